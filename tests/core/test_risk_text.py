"""Reading risk statements back out of prose, and catching the ones the input does not support."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.checks.risk_contradictions import find_risk_contradictions
from core.checks.risk_text import Stance, read_risk_level, read_risk_statements
from core.notes.composer import compose_risk_statement
from core.notes.model import HomicidalIdeation, Risk, RiskLevel, SelfHarm, SuicidalIdeation

# Free text a clinician might enter in the risk fields (fictional, and free of
# stance words the structured fields would have to agree with).
DETAILS = st.sampled_from(
    [
        "",
        "Thoughts of not waking up on two evenings after work stress; protective factors: "
        "partner, dog and a trip planned in June.",
        "Wish to be dead on one night, no plan or intent, no preparatory behaviour.",
    ]
)
SAFETY_PLANS = st.sampled_from(["", "Stanley-Brown safety plan written with two contacts and 988."])
ACTIONS = st.sampled_from(["", "Follow-up call agreed for Friday; partner informed with consent."])

RISKS = st.builds(
    Risk,
    suicidal_ideation=st.sampled_from(list(SuicidalIdeation)),
    homicidal_ideation=st.sampled_from(list(HomicidalIdeation)),
    self_harm=st.sampled_from(list(SelfHarm)),
    level=st.none() | st.sampled_from(list(RiskLevel)),
    details=DETAILS,
    safety_plan=SAFETY_PLANS,
    actions=ACTIONS,
)


def stances(sentence):
    return [(statement.topic, statement.stance) for statement in read_risk_statements(sentence)]


@given(RISKS)
def test_the_composers_risk_statement_never_contradicts_its_own_input(risk):
    assert find_risk_contradictions(risk, compose_risk_statement(risk)) == []


@given(RISKS)
def test_a_written_denial_is_caught_whenever_the_input_is_not_a_denial(risk):
    found = find_risk_contradictions(risk, "Client denies suicidal ideation.")
    assert bool(found) == (risk.suicidal_ideation is not SuicidalIdeation.DENIED)


@given(RISKS)
def test_risk_not_assessed_is_caught_whenever_something_was_assessed(risk):
    found = find_risk_contradictions(risk, "Risk not assessed this session.")
    all_unassessed = (
        risk.suicidal_ideation is SuicidalIdeation.NOT_ASSESSED
        and risk.homicidal_ideation is HomicidalIdeation.NOT_ASSESSED
        and risk.self_harm is SelfHarm.NOT_ASSESSED
    )
    assert len(found) == (0 if all_unassessed else 1)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Client denies suicidal ideation, homicidal ideation and self-harm.",
            [("si", Stance.DENIED), ("hi", Stance.DENIED), ("sh", Stance.DENIED)],
        ),
        ("Client denies SI/HI.", [("si", Stance.DENIED), ("hi", Stance.DENIED)]),
        (
            "Client reports passive SI but denies HI.",
            [("si", Stance.REPORTED), ("hi", Stance.DENIED)],
        ),
        ("Client did not report suicidal ideation.", [("si", Stance.DENIED)]),
        ("Self-harm: not assessed.", [("sh", Stance.NOT_ASSESSED)]),
        (
            "SI, HI and self-harm were denied.",
            [("si", Stance.DENIED), ("hi", Stance.DENIED), ("sh", Stance.DENIED)],
        ),
        (
            "No SI, HI, or self-harm reported.",
            [("si", Stance.DENIED), ("hi", Stance.DENIED), ("sh", Stance.DENIED)],
        ),
        ("Passive suicidal ideation on two nights.", [("si", Stance.REPORTED)]),
    ],
)
def test_stances_are_read_from_cue_words(sentence, expected):
    assert stances(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "History of self-harm at age 15.",
        "Diary card shows urges to self-harm rated 3 of 5, not acted on.",
        "Client will call 988 if suicidal thoughts return.",
        "Screened for suicidal ideation with the clinic protocol.",
        "Suicide risk assessment completed.",
        "Use a DBT skill instead of self-harm when urges reach 3 of 5.",
        "Client worked on a budget with her sister.",
    ],
)
def test_mentions_without_a_stance_say_nothing(sentence):
    assert stances(sentence) == []


def test_a_denied_plan_is_not_a_denied_ideation():
    statements = read_risk_statements("Client denies SI with plan or intent.")
    assert [(s.topic, s.stance, s.plan) for s in statements] == [("si", Stance.REPORTED, False)]
    with_plan = Risk(suicidal_ideation=SuicidalIdeation.ACTIVE_WITH_PLAN, level=RiskLevel.HIGH)
    assert find_risk_contradictions(with_plan, "Active SI, denies plan or intent.")
    passive = Risk(suicidal_ideation=SuicidalIdeation.PASSIVE, level=RiskLevel.LOW)
    assert find_risk_contradictions(passive, "Passive SI, denies plan or intent.") == []


def test_the_risk_level_is_read_only_where_the_text_means_the_clinicians_level():
    assert read_risk_level("Clinician-assessed risk level: moderate.") is RiskLevel.MODERATE
    assert read_risk_level("Assessed as high suicide risk.") is RiskLevel.HIGH
    assert read_risk_level("Client is at high risk for relapse.") is None
    assert read_risk_level("PHQ-9 total 17 (moderately severe).") is None


def test_a_stated_level_with_no_level_entered_is_a_contradiction():
    found = find_risk_contradictions(Risk(), "Overall low risk.")
    assert [finding.field for finding in found] == ["risk.level"]
