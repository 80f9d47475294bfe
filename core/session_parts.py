"""Parsers for the session file's newer parts: assessment, participants, telehealth,
medications, a measure's previous total and the homework review.

Each takes the FieldReader of the whole file, so every problem is collected
with its field path; none raises.
"""

from __future__ import annotations

from datetime import date

from core.field_validation import FieldReader
from core.model import (
    ClinicalAssessment,
    Homework,
    HomeworkStatus,
    Impairment,
    ImpairmentDomain,
    Medication,
    Participant,
    ParticipantRole,
    PriorTotal,
    Telehealth,
)

ASSESSMENT_OPTIONAL = {"impression", "impairments", "medical_necessity"}
IMPAIRMENT_REQUIRED = {"domain", "description"}
PARTICIPANT_REQUIRED = {"role", "label"}
TELEHEALTH_OPTIONAL = {"client_location", "provider_location", "consent", "audio_only_reason"}
MEDICATION_REQUIRED = {"name"}
MEDICATION_OPTIONAL = {"dose", "prescriber"}
HOMEWORK_OPTIONAL = {"reviewed", "assigned", "reviewed_status"}
PREVIOUS_REQUIRED = {"date", "total"}


def parse_assessment(reader: FieldReader, value: object) -> ClinicalAssessment:
    fields = reader.obj(value, "assessment", set(), ASSESSMENT_OPTIONAL)
    if fields is None:
        return ClinicalAssessment()
    impairments = []
    for index, entry in enumerate(reader.items(fields, "impairments", "assessment")):
        path = f"assessment.impairments[{index}]"
        item = reader.obj(entry, path, IMPAIRMENT_REQUIRED, set())
        if item is None:
            continue
        domain = reader.enum(item, "domain", path, ImpairmentDomain, None)
        description = reader.text(item, "description", path, required=True)
        impairments.append(Impairment(domain or ImpairmentDomain.OTHER, description))
    return ClinicalAssessment(
        impression=reader.text(fields, "impression", "assessment"),
        impairments=tuple(impairments),
        medical_necessity=reader.text(fields, "medical_necessity", "assessment"),
    )


def parse_participants(reader: FieldReader, parent: dict) -> tuple[Participant, ...]:
    participants = []
    for index, entry in enumerate(reader.items(parent, "participants", "")):
        path = f"participants[{index}]"
        item = reader.obj(entry, path, PARTICIPANT_REQUIRED, set())
        if item is None:
            continue
        role = reader.enum(item, "role", path, ParticipantRole, None)
        label = reader.text(item, "label", path, required=True)
        participants.append(Participant(role or ParticipantRole.OTHER, label))
    return tuple(participants)


def parse_telehealth(reader: FieldReader, value: object) -> Telehealth:
    fields = reader.obj(value, "telehealth", set(), TELEHEALTH_OPTIONAL)
    if fields is None:
        return Telehealth()
    consent = fields.get("consent")
    if consent is not None and not isinstance(consent, bool):
        reader.problem("telehealth.consent", "expected true or false")
        consent = None
    return Telehealth(
        client_location=reader.text(fields, "client_location", "telehealth"),
        provider_location=reader.text(fields, "provider_location", "telehealth"),
        consent=consent,
        audio_only_reason=reader.text(fields, "audio_only_reason", "telehealth"),
    )


def parse_medications(reader: FieldReader, parent: dict) -> tuple[Medication, ...]:
    medications = []
    for index, entry in enumerate(reader.items(parent, "medications", "")):
        path = f"medications[{index}]"
        item = reader.obj(entry, path, MEDICATION_REQUIRED, MEDICATION_OPTIONAL)
        if item is None:
            continue
        medications.append(
            Medication(
                name=reader.text(item, "name", path, required=True),
                dose=reader.text(item, "dose", path),
                prescriber=reader.text(item, "prescriber", path),
            )
        )
    return tuple(medications)


def parse_homework(reader: FieldReader, value: object) -> Homework:
    fields = reader.obj(value, "homework", set(), HOMEWORK_OPTIONAL)
    if fields is None:
        return Homework()
    return Homework(
        reviewed=reader.text(fields, "reviewed", "homework"),
        assigned=reader.text(fields, "assigned", "homework"),
        reviewed_status=reader.enum(fields, "reviewed_status", "homework", HomeworkStatus, None),
    )


def parse_previous_total(
    reader: FieldReader, value: object, path: str, total_max: int, session_date: date | None
) -> PriorTotal | None:
    fields = reader.obj(value, path, PREVIOUS_REQUIRED, set())
    if fields is None:
        return None
    when = reader.date_field(fields, "date", path)
    total = (
        reader.whole_number(fields["total"], f"{path}.total", total_max)
        if "total" in fields
        else None
    )
    if when is not None and session_date is not None and when >= session_date:
        reader.problem(
            f"{path}.date",
            f"{when.isoformat()} is not before the session date {session_date.isoformat()}",
        )
    if when is None or total is None:
        return None
    return PriorTotal(when, total)
