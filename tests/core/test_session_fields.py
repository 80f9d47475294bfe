"""The session file's newer fields: assessment, participants, telehealth, session number,
previous totals, medications, homework review status, missed sessions without an end,
and the lenient reading of stored drafts."""

import json
from datetime import date, time
from pathlib import Path

import pytest

from core.notes.model import (
    HomeworkStatus,
    ImpairmentDomain,
    ParticipantRole,
    PriorTotal,
    Setting,
)
from core.notes.session_file import (
    SessionFileError,
    load_session_file,
    parse_session,
    session_to_dict,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ALL_EXAMPLES = sorted(EXAMPLES.glob("*.json"))
LEGACY = Path(__file__).resolve().parent / "data"  # session files as written before these fields


def minimal(**session: object) -> dict:
    fields = {
        "date": "2026-11-23",
        "start": "09:00",
        "end": "09:45",
        "service": "individual",
        "setting": "in_person",
        "attendance": "attended",
    }
    fields.update(session)
    return {"client": {"name": "Riley Fictional", "code": "RF-0001"}, "session": fields}


def problems_for(data: dict) -> list[str]:
    with pytest.raises(SessionFileError) as caught:
        parse_session(data)
    return caught.value.problems


def test_the_telehealth_example_reads_every_new_field():
    details = load_session_file(EXAMPLES / "telehealth-audio-act.json")
    assert details.session.number == 7
    assert details.session.previous_date == date(2026, 11, 2)
    assert details.session.setting is Setting.TELEHEALTH_AUDIO
    assert details.telehealth is not None and details.telehealth.consent is True
    assert details.telehealth.client_location == "client's home in Oregon"
    assert details.assessment.impairments[0].domain is ImpairmentDomain.WORK
    assert details.assessment.medical_necessity.startswith("Weekly outpatient")
    assert details.measures[0].previous == PriorTotal(date(2026, 11, 2), 15)
    assert details.medications[0].name == "sertraline"
    assert details.homework.reviewed_status is HomeworkStatus.PARTIAL
    assert details.goals[0].objectives[0] == "GAD-7 below 10 on two administrations"
    assert details.interventions[0].technique == "worry postponement"


def test_participants_are_read_by_role_and_label():
    details = load_session_file(EXAMPLES / "couples-soap.json")
    assert [(p.role, p.label) for p in details.participants] == [
        (ParticipantRole.CLIENT, "Partner A"),
        (ParticipantRole.PARTNER, "Partner B"),
    ]


@pytest.mark.parametrize("path", ALL_EXAMPLES, ids=lambda p: p.name)
def test_every_example_round_trips(path):
    details = load_session_file(path)
    as_json = json.loads(json.dumps(session_to_dict(details)))
    assert parse_session(as_json) == details


def test_any_technique_text_is_accepted():
    data = minimal() | {"interventions": [{"technique": "narrative letter writing"}]}
    assert parse_session(data).interventions[0].technique == "narrative letter writing"


def test_a_missed_session_needs_no_end_and_keeps_its_outreach():
    data = minimal(attendance="no_show", outreach="Called at 09:15 and left a voicemail.")
    del data["session"]["end"]
    details = parse_session(data)
    assert details.session.minutes == 0
    assert details.session.outreach == "Called at 09:15 and left a voicemail."
    assert "end" not in session_to_dict(details)["session"]
    assert parse_session(session_to_dict(details)) == details


def test_a_held_session_still_needs_its_end():
    data = minimal()
    del data["session"]["end"]
    assert problems_for(data) == ["session.end: required field missing (the session was held)"]


def test_outreach_belongs_to_missed_sessions_only():
    assert problems_for(minimal(outreach="Called")) == [
        "session.outreach: only for a no_show or late_cancel session"
    ]


def test_new_fields_are_checked_with_their_paths():
    data = minimal(number=0, previous_date="2026-11-30") | {
        "telehealth": {"consent": "yes"},
        "participants": [{"role": "cousin", "label": "Partner B"}],
        "assessment": {"impairments": [{"domain": "work"}]},
        "homework": {"reviewed_status": "done"},
        "measures": [{"instrument": "GAD-7", "total": 9, "previous": {"date": "2026-12-01"}}],
    }
    problems = problems_for(data)
    assert "session.number: sessions are counted from 1" in problems
    assert any(p.startswith("session.previous_date: 2026-11-30 is not before") for p in problems)
    assert "telehealth.consent: expected true or false" in problems
    assert any(p.startswith("participants[0].role: cousin is not one of") for p in problems)
    assert "assessment.impairments[0].description: required field missing" in problems
    assert any(p.startswith("homework.reviewed_status: done is not one of") for p in problems)
    assert "measures[0].previous.total: required field missing" in problems
    assert any(
        p.startswith("measures[0].previous.date: 2026-12-01 is not before") for p in problems
    )


def test_lenient_reading_keeps_a_half_typed_draft_as_stored():
    data = minimal(end="08:30") | {"interventions": [{"technique": "", "detail": "for sleep"}]}
    assert problems_for(data)  # a session file may not hold these
    details = parse_session(data, client_id="stored-id", lenient=True)
    assert details.session.end == time(8, 30)
    assert details.interventions[0].detail == "for sleep"
    assert details.client.id == "stored-id"


def test_lenient_reading_still_refuses_a_document_without_a_session():
    with pytest.raises(SessionFileError):
        parse_session({"client": {"name": "Riley Fictional", "code": "RF-0001"}}, lenient=True)


def test_an_old_file_without_the_new_fields_reads_with_empty_defaults():
    details = load_session_file(LEGACY / "legacy-individual-cbt.json")
    assert details.assessment.is_empty
    assert details.participants == () and details.telehealth is None
    assert details.session.number is None and details.homework.reviewed_status is None
