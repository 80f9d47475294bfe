"""The form's assessment questions: impression, impairments and medical necessity, one
question each, and who was there and how (participants, telehealth, medications)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Select

from core.notes.model import ClinicalAssessment, Medication, Participant, Telehealth
from core.notes.note_sections import NotePart
from tui.widgets.form_entries import (
    impairments_text,
    medications_text,
    parse_impairments,
    parse_medications,
    parse_participants,
    participants_text,
)
from tui.widgets.form_fields import Question, field_text, labelled_input, long_text
from tui.widgets.form_values import field_widget_id

CONSENT_CHOICES = [("consent: given", "yes"), ("consent: not given", "no")]


class AssessmentSection(Vertical):
    """Impression, impairments and necessity, asked in the clinician's own words."""

    def __init__(self, assessment: ClinicalAssessment, typed: dict[str, str]) -> None:
        super().__init__(id="assessment-section", classes="form-section")
        self._assessment = assessment
        self._typed = typed

    def compose(self) -> ComposeResult:
        assessment = self._assessment
        yield Question("What is your clinical impression today?", NotePart.ASSESSMENT)
        yield long_text(
            "assessment.impression", assessment.impression, "what today's presentation means"
        )
        yield Question("Which areas of functioning are impaired, and how?", NotePart.ASSESSMENT)
        impairments = self._typed.get(
            "assessment.impairments", impairments_text(assessment.impairments)
        )
        yield labelled_input(
            "assessment.impairments", impairments, "impaired", "area: how; ...  e.g. work: ..."
        )
        yield Question("Why is this level of care needed now?", NotePart.ASSESSMENT)
        yield long_text(
            "assessment.medical_necessity",
            assessment.medical_necessity,
            "why this service, at this frequency, now",
        )

    def assessment(self, last: ClinicalAssessment) -> ClinicalAssessment:
        """The assessment as entered; impairments that do not parse keep their last value."""
        impairments = parse_impairments(field_text(self, "assessment.impairments"))
        return ClinicalAssessment(
            impression=field_text(self, "assessment.impression").strip(),
            impairments=last.impairments if isinstance(impairments, str) else impairments,
            medical_necessity=field_text(self, "assessment.medical_necessity").strip(),
        )


class SessionPeopleSection(Vertical):
    """Who else was there, telehealth locations and consent, medications as reported."""

    def __init__(
        self,
        participants: tuple[Participant, ...],
        telehealth: Telehealth | None,
        medications: tuple[Medication, ...],
        typed: dict[str, str],
    ) -> None:
        super().__init__(id="people-section", classes="form-section")
        self._participants = participants
        self._telehealth = telehealth or Telehealth()
        self._medications = medications
        self._typed = typed

    def compose(self) -> ComposeResult:
        tele = self._telehealth
        yield Question("Who else was there? (label and role; never a name)", NotePart.SESSION)
        yield labelled_input(
            "participants",
            self._typed.get("participants", participants_text(self._participants)),
            "with",
            "e.g. Partner B (partner); Aide C (aide)",
        )
        yield Question("Telehealth: where were you both, and was consent given?", NotePart.SESSION)
        yield labelled_input(
            "telehealth.client_location", tele.client_location, "client at", "state"
        )
        yield labelled_input(
            "telehealth.provider_location", tele.provider_location, "you at", "state"
        )
        consent = {True: "yes", False: "no"}.get(tele.consent, Select.NULL)  # type: ignore[arg-type]
        yield Select(
            CONSENT_CHOICES,
            value=consent,
            prompt="consent: not recorded",
            id=field_widget_id("telehealth.consent"),
            compact=True,
        )
        yield labelled_input(
            "telehealth.audio_only_reason", tele.audio_only_reason, "audio only", "why"
        )
        yield Question("Medications, as the client reported them", NotePart.MEDICATIONS)
        yield labelled_input(
            "medications",
            medications_text(self._medications),
            "takes",
            "name dose (prescriber); ...",
        )

    def participants(self, last: tuple[Participant, ...]) -> tuple[Participant, ...]:
        people = parse_participants(field_text(self, "participants"))
        return last if isinstance(people, str) else people

    def telehealth(self) -> Telehealth | None:
        consent = field_text(self, "telehealth.consent")
        tele = Telehealth(
            client_location=field_text(self, "telehealth.client_location").strip(),
            provider_location=field_text(self, "telehealth.provider_location").strip(),
            consent={"yes": True, "no": False}.get(consent),
            audio_only_reason=field_text(self, "telehealth.audio_only_reason").strip(),
        )
        return None if tele == Telehealth() else tele

    def medications(self) -> tuple[Medication, ...]:
        return parse_medications(field_text(self, "medications"))
