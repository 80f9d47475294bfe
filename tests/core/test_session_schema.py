"""The shipped JSON Schema says what the parser accepts: same fields, enums and requirements."""

import json
from pathlib import Path

import pytest

from core.notes import session_file, session_parts
from core.notes.measures import SPECS
from core.notes.model import (
    Attendance,
    GoalProgress,
    HomeworkStatus,
    HomicidalIdeation,
    ImpairmentDomain,
    Instrument,
    NoteFormat,
    ParticipantRole,
    RiskLevel,
    SelfHarm,
    Service,
    Setting,
    SuicidalIdeation,
)

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "core/notes/session_schema.json").read_text(encoding="utf-8"))
PROPS = SCHEMA["properties"]


def values(kind):
    return [member.value for member in kind]


def object_fields(node):
    assert node["type"] == "object" and node["additionalProperties"] is False
    return set(node["properties"]), set(node.get("required", []))


def test_schema_is_draft_2020_12():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize(
    ("node", "required", "optional"),
    [
        (lambda: SCHEMA, session_file.TOP_REQUIRED, session_file.TOP_OPTIONAL),
        (lambda: PROPS["client"], session_file.CLIENT_REQUIRED, session_file.CLIENT_OPTIONAL),
        (
            lambda: PROPS["client"]["properties"]["diagnoses"]["items"],
            session_file.DIAGNOSIS_REQUIRED,
            set(),
        ),
        (lambda: PROPS["clinician"], session_file.CLINICIAN_REQUIRED, set()),
        (
            lambda: PROPS["interventions"]["items"],
            session_file.INTERVENTION_REQUIRED,
            session_file.INTERVENTION_OPTIONAL,
        ),
        (lambda: PROPS["goals"]["items"], session_file.GOAL_REQUIRED, session_file.GOAL_OPTIONAL),
        (lambda: PROPS["homework"], set(), session_file.HOMEWORK_OPTIONAL),
        (
            lambda: PROPS["measures"]["items"],
            session_file.MEASURE_REQUIRED,
            session_file.MEASURE_OPTIONAL,
        ),
        (lambda: PROPS["risk"], set(), session_file.RISK_OPTIONAL),
        (lambda: PROPS["session"], session_file.SESSION_REQUIRED, session_file.SESSION_OPTIONAL),
        (lambda: PROPS["assessment"], set(), session_parts.ASSESSMENT_OPTIONAL),
        (
            lambda: PROPS["assessment"]["properties"]["impairments"]["items"],
            session_parts.IMPAIRMENT_REQUIRED,
            set(),
        ),
        (lambda: PROPS["participants"]["items"], session_parts.PARTICIPANT_REQUIRED, set()),
        (lambda: PROPS["telehealth"], set(), session_parts.TELEHEALTH_OPTIONAL),
        (
            lambda: PROPS["medications"]["items"],
            session_parts.MEDICATION_REQUIRED,
            session_parts.MEDICATION_OPTIONAL,
        ),
        (
            lambda: PROPS["measures"]["items"]["properties"]["previous"],
            session_parts.PREVIOUS_REQUIRED,
            set(),
        ),
    ],
)
def test_fields_and_required_lists_match_the_parser(node, required, optional):
    fields, schema_required = object_fields(node())
    assert schema_required == required
    assert fields == required | optional


@pytest.mark.parametrize(
    ("enum_node", "kind"),
    [
        (lambda: PROPS["format"], NoteFormat),
        (lambda: PROPS["session"]["properties"]["service"], Service),
        (lambda: PROPS["session"]["properties"]["setting"], Setting),
        (lambda: PROPS["session"]["properties"]["attendance"], Attendance),
        (lambda: PROPS["goals"]["items"]["properties"]["progress"], GoalProgress),
        (lambda: PROPS["measures"]["items"]["properties"]["instrument"], Instrument),
        (lambda: PROPS["risk"]["properties"]["suicidal_ideation"], SuicidalIdeation),
        (lambda: PROPS["risk"]["properties"]["homicidal_ideation"], HomicidalIdeation),
        (lambda: PROPS["risk"]["properties"]["self_harm"], SelfHarm),
        (lambda: PROPS["risk"]["properties"]["level"], RiskLevel),
        (lambda: PROPS["homework"]["properties"]["reviewed_status"], HomeworkStatus),
        (lambda: PROPS["participants"]["items"]["properties"]["role"], ParticipantRole),
        (
            lambda: PROPS["assessment"]["properties"]["impairments"]["items"]["properties"][
                "domain"
            ],
            ImpairmentDomain,
        ),
    ],
)
def test_enums_match_the_model(enum_node, kind):
    assert enum_node()["enum"] == values(kind)


def test_risk_defaults_are_not_assessed():
    risk = PROPS["risk"]["properties"]
    for item in ("suicidal_ideation", "homicidal_ideation", "self_harm"):
        assert risk[item]["default"] == "not_assessed"


def test_measure_limits_match_the_instrument_specs():
    rules = {
        rule["if"]["properties"]["instrument"]["const"]: rule["then"]["properties"]
        for rule in PROPS["measures"]["items"]["allOf"]
    }
    for instrument, spec in SPECS.items():
        limits = rules[instrument.value]
        assert limits["items"]["minItems"] == limits["items"]["maxItems"] == spec.item_count
        assert limits["items"]["items"]["maximum"] == spec.item_max
        assert limits["total"]["maximum"] == spec.total_max


@pytest.mark.parametrize(
    "example", sorted((ROOT / "examples").glob("*.json")), ids=lambda p: p.name
)
def test_examples_validate_against_the_schema(example):
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(SCHEMA).validate(
        json.loads(example.read_text(encoding="utf-8"))
    )
