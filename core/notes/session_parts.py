"""Parsers for parts of the session file: measures, risk, assessment, participants,
telehealth, medications and the homework review.

Each takes the FieldReader of the whole file, so every problem is collected
with its field path; none raises.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from core.notes.field_validation import FieldReader
from core.notes.measures import SPECS
from core.notes.model import (
    ClinicalAssessment,
    Homework,
    HomeworkStatus,
    HomicidalIdeation,
    Impairment,
    ImpairmentDomain,
    Instrument,
    MeasureResult,
    Medication,
    Participant,
    ParticipantRole,
    PriorTotal,
    Risk,
    RiskLevel,
    SelfHarm,
    SuicidalIdeation,
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
MEASURE_REQUIRED = {"instrument"}
MEASURE_OPTIONAL = {"items", "total", "previous"}
RISK_OPTIONAL = {
    "suicidal_ideation",
    "homicidal_ideation",
    "self_harm",
    "level",
    "details",
    "safety_plan",
    "actions",
    "rationale",
    "means_safety",
}


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


def parse_participants(reader: FieldReader, parent: dict[str, Any]) -> tuple[Participant, ...]:
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


def parse_medications(reader: FieldReader, parent: dict[str, Any]) -> tuple[Medication, ...]:
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


def parse_measure(
    reader: FieldReader, value: object, path: str, session_date: date | None, lenient: bool
) -> MeasureResult | None:
    fields = reader.obj(value, path, MEASURE_REQUIRED, MEASURE_OPTIONAL)
    if fields is None:
        return None
    instrument = reader.enum(fields, "instrument", path, Instrument, None)
    if "items" not in fields and "total" not in fields:
        reader.problem(path, "give either items (the item scores) or total")
    if instrument is None:
        return None
    spec = SPECS[instrument]
    problems_before = len(reader.problems)
    items = None
    if "items" in fields:
        raw_items = reader.items(fields, "items", path)
        if isinstance(fields["items"], list) and len(raw_items) != spec.item_count:
            reader.problem(
                f"{path}.items",
                f"{instrument.value} has {spec.item_count} items, got {len(raw_items)}",
            )
        parsed = [
            reader.whole_number(item, f"{path}.items[{index}]", spec.item_max)
            for index, item in enumerate(raw_items)
        ]
        items = tuple(item for item in parsed if item is not None)
    total = None
    if "total" in fields:
        total = reader.whole_number(fields["total"], f"{path}.total", spec.total_max)
    previous = None
    if "previous" in fields:
        previous = parse_previous_total(
            reader, fields["previous"], f"{path}.previous", spec.total_max, session_date
        )
    if len(reader.problems) > problems_before and not lenient:
        return None
    if items is not None and total is not None and sum(items) != total:
        reader.problem(
            f"{path}.total", f"{total} does not match the item scores, which sum to {sum(items)}"
        )
        if not lenient:
            return None
    return MeasureResult(instrument=instrument, items=items, total=total, previous=previous)


def parse_risk(reader: FieldReader, value: object) -> Risk:
    fields = reader.obj(value, "risk", set(), RISK_OPTIONAL)
    if fields is None:
        return Risk()
    return Risk(
        suicidal_ideation=reader.enum(
            fields, "suicidal_ideation", "risk", SuicidalIdeation, SuicidalIdeation.NOT_ASSESSED
        ),
        homicidal_ideation=reader.enum(
            fields, "homicidal_ideation", "risk", HomicidalIdeation, HomicidalIdeation.NOT_ASSESSED
        ),
        self_harm=reader.enum(fields, "self_harm", "risk", SelfHarm, SelfHarm.NOT_ASSESSED),
        level=reader.enum(fields, "level", "risk", RiskLevel, None),
        details=reader.text(fields, "details", "risk"),
        safety_plan=reader.text(fields, "safety_plan", "risk"),
        actions=reader.text(fields, "actions", "risk"),
        rationale=reader.text(fields, "rationale", "risk"),
        means_safety=reader.text(fields, "means_safety", "risk"),
    )
