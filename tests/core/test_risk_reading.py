"""Risk read by clause and by item (issue 10): correct wording passes, invented safety fails."""

import pytest

from core.checks.risk_contradictions import find_risk_contradictions
from core.checks.risk_text import Stance, read_risk_statements
from core.notes.model import HomicidalIdeation, Risk, RiskLevel, SelfHarm, SuicidalIdeation

PASSIVE = Risk(
    suicidal_ideation=SuicidalIdeation.PASSIVE,
    homicidal_ideation=HomicidalIdeation.DENIED,
    self_harm=SelfHarm.DENIED,
    level=RiskLevel.LOW,
    details="Wishes he would not wake up on some nights; no plan or intent.",
    safety_plan="Stanley-Brown plan reviewed.",
    actions="Follow-up call on Friday.",
)
DENIED = Risk(
    suicidal_ideation=SuicidalIdeation.DENIED,
    homicidal_ideation=HomicidalIdeation.DENIED,
    self_harm=SelfHarm.DENIED,
    level=RiskLevel.LOW,
)
NOT_ASSESSED = Risk()
HIGH = Risk(
    suicidal_ideation=SuicidalIdeation.ACTIVE_NO_PLAN,
    homicidal_ideation=HomicidalIdeation.DENIED,
    self_harm=SelfHarm.DENIED,
    level=RiskLevel.HIGH,
)


def stances(sentence):
    return [(s.topic, s.stance) for s in read_risk_statements(sentence)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Client endorses passive SI (wishes he would not wake up); denies active SI, intent, "
        "or plan.",
        "Client endorsed passive SI without plan or intent and denied active SI.",
    ],
)
def test_denying_active_si_beside_passive_si_is_not_a_contradiction(sentence):
    assert find_risk_contradictions(PASSIVE, sentence) == []


def test_a_resolved_past_report_beside_a_current_denial_is_not_a_contradiction():
    sentence = "Client denies current SI; the passive SI reported last month has resolved."
    assert find_risk_contradictions(DENIED, sentence) == []
    assert stances(sentence) == [("si", Stance.DENIED)]


@pytest.mark.parametrize(
    "sentence",
    [
        "History of passive SI, previously reported.",
        "Client previously endorsed passive SI.",
        "Passive SI two years ago, in the context of a divorce.",
    ],
)
def test_the_past_is_not_a_current_state_claim(sentence):
    assert stances(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    ["Client denies SI in the last month.", "Client denies SI in the past two weeks."],
)
def test_a_window_up_to_today_is_still_a_current_claim(sentence):
    assert [f.field for f in find_risk_contradictions(NOT_ASSESSED, sentence)] == [
        "risk.suicidal_ideation"
    ]


def test_denying_active_si_still_contradicts_recorded_active_si():
    assert find_risk_contradictions(HIGH, "Client denies active SI, intent or plan.")


def test_each_clause_keeps_its_own_stance():
    sentence = "Client denies suicidal thoughts, and self-harm was not assessed."
    assert stances(sentence) == [("si", Stance.DENIED), ("sh", Stance.NOT_ASSESSED)]
    risk = Risk(suicidal_ideation=SuicidalIdeation.DENIED)  # self-harm not assessed
    assert find_risk_contradictions(risk, sentence) == []
    # One stance still covers a plain list.
    assert stances("No SI, HI, or self-harm reported.") == [
        ("si", Stance.DENIED),
        ("hi", Stance.DENIED),
        ("sh", Stance.DENIED),
    ]


INVENTED_SAFETY = [
    ("No safety concerns at this time.", "risk.suicidal_ideation"),
    ("Client is not a danger to self or others.", "risk.suicidal_ideation"),
    ("Denies thoughts of hurting himself or anyone else.", "risk.self_harm"),
    ("Client denies any thoughts of wanting to die.", "risk.suicidal_ideation"),
    ("No acute risk; client future-oriented.", "risk.level"),
    ("Client is future-oriented.", "risk.suicidal_ideation"),
]


@pytest.mark.parametrize(("sentence", "field"), INVENTED_SAFETY)
def test_a_safety_claim_with_risk_not_assessed_is_an_error(sentence, field):
    found = find_risk_contradictions(NOT_ASSESSED, sentence)
    assert found, sentence
    assert found[0].field == field
    assert all(f.rule_id == "RISK-CONTRADICTION" and f.sentence == sentence for f in found)
    assert "not assessed" in found[0].message


@pytest.mark.parametrize(("sentence", "field"), INVENTED_SAFETY)
def test_the_same_safety_claims_pass_when_risk_was_assessed_and_denied(sentence, field):
    assert find_risk_contradictions(DENIED, sentence) == []


def test_broad_safety_claims_contradict_an_elevated_input():
    found = find_risk_contradictions(PASSIVE, "No safety concerns at this time.")
    assert [f.field for f in found] == ["risk.suicidal_ideation"]
    assert '"No safety concerns"' in found[0].message
    assert find_risk_contradictions(HIGH, "Client is not a danger to self or others.")
    assert find_risk_contradictions(HIGH, "No acute risk.")


def test_no_acute_risk_and_future_orientation_stand_beside_passive_si_at_low_risk():
    sentence = "Passive SI without plan; no acute risk; client future-oriented."
    assert find_risk_contradictions(PASSIVE, sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Client reported safety concerns about her neighborhood.",
        "Client is not future-oriented and sees no point in planning.",
        "Discussed acute risk factors with the family.",
    ],
)
def test_broad_phrases_that_are_not_safety_claims_say_nothing(sentence):
    assert find_risk_contradictions(NOT_ASSESSED, sentence) == []
