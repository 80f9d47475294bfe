"""The session file parser: what it accepts, and the one-line-per-problem errors it gives."""

import copy
import json
from datetime import date, time
from pathlib import Path

import pytest

from core.notes.model import (
    Attendance,
    GoalProgress,
    HomicidalIdeation,
    Instrument,
    NoteFormat,
    Risk,
    RiskLevel,
    SelfHarm,
    Service,
    Setting,
    SuicidalIdeation,
)
from core.notes.session_file import (
    SessionFileError,
    client_id_for_code,
    load_session_file,
    parse_session,
    session_to_dict,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def minimal() -> dict:
    return {
        "client": {"name": "Riley Fictional", "code": "RF-0001"},
        "session": {
            "date": "2025-01-15",
            "start": "09:00",
            "end": "09:45",
            "service": "individual",
            "setting": "in_person",
            "attendance": "attended",
        },
    }


def problems_for(data: object) -> list[str]:
    with pytest.raises(SessionFileError) as caught:
        parse_session(data)
    return caught.value.problems


# --- what a valid file becomes ------------------------------------------------


def test_minimal_file_gets_the_documented_defaults():
    details = parse_session(minimal())
    assert details.client.name == "Riley Fictional"
    assert details.session.date == date(2025, 1, 15)
    assert details.session.start == time(9, 0)
    assert details.session.minutes == 45
    assert details.format is NoteFormat.DAP
    assert details.interventions == ()
    assert details.clinician is None


def test_missing_risk_means_not_assessed_never_denied():
    risk = parse_session(minimal()).risk
    assert risk.suicidal_ideation is SuicidalIdeation.NOT_ASSESSED
    assert risk.homicidal_ideation is HomicidalIdeation.NOT_ASSESSED
    assert risk.self_harm is SelfHarm.NOT_ASSESSED
    assert risk.level is None


def test_partial_risk_leaves_the_unmentioned_items_not_assessed():
    data = minimal() | {"risk": {"suicidal_ideation": "denied"}}
    risk = parse_session(data).risk
    assert risk == Risk(suicidal_ideation=SuicidalIdeation.DENIED)


def test_full_example_parses_every_field():
    details = load_session_file(EXAMPLES / "elevated-risk-dbt.json")
    assert details.format is NoteFormat.BIRP
    assert details.session.service is Service.INDIVIDUAL
    assert details.session.setting is Setting.TELEHEALTH_VIDEO
    assert details.session.attendance is Attendance.ATTENDED
    assert [d.code for d in details.client.diagnoses] == ["F60.3", "F32.1"]
    assert details.risk.suicidal_ideation is SuicidalIdeation.PASSIVE
    assert details.risk.level is RiskLevel.MODERATE
    assert details.goals[1].progress is GoalProgress.NOT_ADDRESSED
    assert details.measures[0].instrument is Instrument.PHQ9
    assert details.measures[0].items[8] == 1
    assert details.next_session == date(2025, 3, 12)


def test_client_id_is_derived_from_the_code_so_parsing_is_repeatable():
    first = parse_session(minimal())
    second = parse_session(minimal())
    assert first == second
    assert first.client.id == client_id_for_code("RF-0001")
    other = minimal()
    other["client"]["code"] = "RF-0002"
    assert parse_session(other).client.id != first.client.id


def test_a_stored_client_id_can_be_given():
    assert parse_session(minimal(), client_id="abc123").client.id == "abc123"


def test_goal_without_id_gets_a_stable_one():
    data = minimal() | {"goals": [{"description": "Sleep seven hours", "progress": "met"}]}
    first = parse_session(data).goals[0]
    assert first.id and first.id == parse_session(copy.deepcopy(data)).goals[0].id


def test_enum_values_are_case_insensitive():
    data = minimal() | {"format": "SOAP", "measures": [{"instrument": "phq-9", "total": 3}]}
    details = parse_session(data)
    assert details.format is NoteFormat.SOAP
    assert details.measures[0].instrument is Instrument.PHQ9


def test_measure_with_items_and_a_matching_total_is_accepted():
    data = minimal() | {"measures": [{"instrument": "GAD-7", "items": [1] * 7, "total": 7}]}
    assert parse_session(data).measures[0].score == 7


# --- round trip ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["individual-cbt.json", "elevated-risk-dbt.json"])
def test_round_trip_of_the_examples(name):
    details = parse_session(example(name))
    as_dict = session_to_dict(details)
    assert parse_session(as_dict) == details
    # And the dict survives JSON, as storage and export write it.
    assert parse_session(json.loads(json.dumps(as_dict))) == details


def test_round_trip_of_the_minimal_file():
    details = parse_session(minimal())
    assert parse_session(session_to_dict(details)) == details


# --- errors: one per problem, each naming its field -------------------------------


def test_not_an_object():
    assert problems_for([1, 2]) == ["session file: expected an object, got list"]
    assert problems_for(None) == ["session file: expected an object, got null"]


def test_missing_required_fields_are_each_named():
    problems = problems_for({"client": {"name": "Riley Fictional"}})
    assert "client.code: required field missing" in problems
    assert "session: required field missing" in problems


def test_missing_session_fields_are_each_named():
    data = minimal()
    del data["session"]["service"]
    del data["session"]["attendance"]
    assert problems_for(data) == [
        "session.attendance: required field missing",
        "session.service: required field missing",
    ]


def test_unknown_fields_at_any_depth():
    data = minimal() | {"mood": "ok", "risk": {"colour": "red"}}
    data["session"]["room"] = "3"
    problems = problems_for(data)
    assert "mood: unknown field" in problems
    assert "risk.colour: unknown field" in problems
    assert "session.room: unknown field" in problems


def test_end_before_start():
    data = minimal()
    data["session"]["start"] = "10:00"
    data["session"]["end"] = "09:10"
    assert problems_for(data) == ["session.end: 09:10 is before start 10:00"]


def test_end_equal_to_start():
    data = minimal()
    data["session"]["end"] = "09:00"
    assert problems_for(data) == ["session.end: 09:00 is the same as start 09:00"]


def test_impossible_dates_and_times():
    data = minimal()
    data["session"]["date"] = "2025-02-30"
    data["session"]["start"] = "25:00"
    data["session"]["end"] = "9.45"
    assert problems_for(data) == [
        "session.date: 2025-02-30 is not a real date",
        "session.start: 25:00 is not a real time of day (00:00-23:59)",
        "session.end: 9.45 is not a time in the form HH:MM",
    ]


def test_dates_out_of_order():
    data = minimal() | {"next_session": "2025-01-01"}
    data["client"]["dob"] = "2030-01-01"
    problems = problems_for(data)
    assert "next_session: 2025-01-01 is before the session date 2025-01-15" in problems
    assert "client.dob: 2030-01-01 is after the session date 2025-01-15" in problems


def test_bad_enum_values_list_the_choices():
    data = minimal() | {"format": "narrative"}
    data["session"]["setting"] = "phone"
    problems = problems_for(data)
    assert "format: narrative is not one of dap, birp, soap, girp, pirp, sirp" in problems
    assert (
        "session.setting: phone is not one of in_person, telehealth_video, telehealth_audio"
        in problems
    )


def test_wrong_types():
    data = minimal() | {
        "plan": 5,
        "interventions": {"technique": "x"},
        "homework": "read a book",
    }
    problems = problems_for(data)
    assert "plan: expected text, got number" in problems
    assert "interventions: expected a list, got object" in problems
    assert "homework: expected an object, got text" in problems


def test_measure_item_out_of_range():
    data = minimal() | {"measures": [{"instrument": "GAD-7", "items": [0, 1, 2, 4, 0, 0, 0]}]}
    assert problems_for(data) == ["measures[0].items[3]: 4 is out of range 0-3"]


def test_measure_wrong_item_count_and_bad_items_together():
    data = minimal() | {"measures": [{"instrument": "PHQ-9", "items": [1, 1, "2", True]}]}
    assert problems_for(data) == [
        "measures[0].items: PHQ-9 has 9 items, got 4",
        "measures[0].items[2]: expected a whole number, got 2",
        "measures[0].items[3]: expected a whole number, got true",
    ]


def test_measure_total_out_of_range_and_inconsistent_total():
    data = minimal() | {
        "measures": [
            {"instrument": "PCL-5", "total": 81},
            {"instrument": "GAD-7", "items": [1] * 7, "total": 8},
            {"instrument": "PHQ-9"},
            {"instrument": "BDI-II", "total": 10},
        ]
    }
    assert problems_for(data) == [
        "measures[0].total: 81 is out of range 0-80",
        "measures[1].total: 8 does not match the item scores, which sum to 7",
        "measures[2]: give either items (the item scores) or total",
        "measures[3].instrument: BDI-II is not one of PHQ-9, GAD-7, PCL-5",
    ]


def test_duplicate_goal_ids():
    data = minimal() | {
        "goals": [
            {"id": "g1", "description": "Sleep seven hours"},
            {"id": "g1", "description": "Walk daily"},
        ]
    }
    assert problems_for(data) == ["goals[1].id: same goal as goals[0]"]


def test_empty_required_text():
    data = minimal()
    data["client"]["name"] = "  "
    data["interventions"] = [{"modality": "CBT"}]
    problems = problems_for(data)
    assert problems == [
        "client.name: must not be empty",
        "interventions[0].technique: required field missing",
    ]


def test_many_problems_are_all_reported_at_once():
    data = minimal() | {"risk": {"suicidal_ideation": "maybe", "level": "extreme", "tone": 1}}
    data["session"]["end"] = "08:00"
    data["measures"] = [{"instrument": "GAD-7", "total": -1}]
    problems = problems_for(data)
    assert len(problems) == 5
    assert str(SessionFileError(problems)).splitlines() == problems


# --- free text never appears in errors -------------------------------------------


SECRET = "Riley told me about the divorce"


def test_free_text_values_are_never_echoed():
    data = minimal() | {
        "format": SECRET,
        "next_session": SECRET,
        "risk": {"level": SECRET, "details": 7},
        "measures": [{"instrument": "PHQ-9", "total": SECRET}],
    }
    data["session"]["date"] = SECRET
    data["session"]["start"] = SECRET
    data["client"]["dob"] = {"note": SECRET}
    with pytest.raises(SessionFileError) as caught:
        parse_session(data)
    message = str(caught.value)
    assert len(caught.value.problems) == 8
    assert "divorce" not in message and "Riley" not in message


# --- reading files -------------------------------------------------------------------


def test_load_missing_file(tmp_path):
    with pytest.raises(SessionFileError) as caught:
        load_session_file(tmp_path / "absent.json")
    assert caught.value.problems == [f"{tmp_path / 'absent.json'}: no such file"]


def test_load_invalid_json_names_the_position_but_not_the_text(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"client": {"name": "Riley Fictional" "code": 1}}', encoding="utf-8")
    with pytest.raises(SessionFileError) as caught:
        load_session_file(path)
    (problem,) = caught.value.problems
    assert "not valid JSON at line 1 column 39" in problem
    assert "Riley" not in problem


def test_load_accepts_a_byte_order_mark(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(minimal()).encode())
    assert load_session_file(path).client.code == "RF-0001"


def test_load_rejects_non_utf8(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"client": "\xe9"}')
    with pytest.raises(SessionFileError, match="is not UTF-8 text"):
        load_session_file(path)
