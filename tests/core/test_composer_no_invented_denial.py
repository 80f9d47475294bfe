"""Property: the composer never writes a risk denial that the input did not record."""

import re
from datetime import date, time

from hypothesis import given, settings
from hypothesis import strategies as st

from core.notes.composer import compose_note
from core.notes.model import (
    Attendance,
    Client,
    GoalEntry,
    GoalProgress,
    Homework,
    HomicidalIdeation,
    Instrument,
    Intervention,
    MeasureResult,
    NoteFormat,
    Risk,
    RiskLevel,
    SelfHarm,
    Service,
    SessionDetails,
    SessionInfo,
    Setting,
    SuicidalIdeation,
)

# Clinician text drawn from words that cannot form a denial themselves, but that
# do talk about risk, so that a denial could only come from the composer.
WORDS = [
    "client",
    "reported",
    "suicidal",
    "ideation",
    "self-harm",
    "homicidal",
    "sleep",
    "work",
    "plan",
    "sister",
    "urges",
    "thoughts",
    "mood",
    "SI",
    "HI",
    "walk",
    "safety",
]
free_text = st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join)

DENIAL = re.compile(
    r"\b(denies|denied|deny|denying|negative for|no (?:current )?(?:suicidal|SI|HI|homicidal|"
    r"self-harm|thoughts of)|without (?:suicidal|homicidal)|not suicidal|not homicidal)\b",
    re.IGNORECASE,
)
ITEMS = {
    "suicidal": re.compile(r"suicid|\bSI\b", re.IGNORECASE),
    "homicidal": re.compile(r"homicid|\bHI\b", re.IGNORECASE),
    "self_harm": re.compile(r"self-harm|self harm", re.IGNORECASE),
}


def sentences_with_a_denial(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+|\n", text) if DENIAL.search(s)]


risks = st.builds(
    Risk,
    suicidal_ideation=st.sampled_from(SuicidalIdeation),
    homicidal_ideation=st.sampled_from(HomicidalIdeation),
    self_harm=st.sampled_from(SelfHarm),
    level=st.none() | st.sampled_from(RiskLevel),
    details=free_text,
    safety_plan=free_text,
    actions=free_text,
)

details_strategy = st.builds(
    SessionDetails,
    client=st.just(Client("Riley Fictional", "RF-0001")),
    session=st.builds(
        SessionInfo,
        date=st.just(date(2025, 1, 15)),
        start=st.just(time(9, 0)),
        end=st.sampled_from([time(9, 10), time(9, 50), time(10, 30)]),
        service=st.sampled_from(Service),
        setting=st.sampled_from(Setting),
        attendance=st.sampled_from(Attendance),
    ),
    format=st.sampled_from(NoteFormat),
    presenting_concerns=free_text,
    observations=free_text,
    interventions=st.lists(
        st.builds(Intervention, modality=free_text, technique=free_text, detail=free_text),
        max_size=2,
    ).map(tuple),
    response=free_text,
    goals=st.lists(
        st.builds(
            GoalEntry,
            id=st.just("g"),
            description=free_text,
            progress=st.sampled_from(GoalProgress),
            evidence=free_text,
        ),
        max_size=2,
    ).map(tuple),
    homework=st.builds(Homework, reviewed=free_text, assigned=free_text),
    measures=st.lists(
        st.builds(
            MeasureResult,
            instrument=st.just(Instrument.PHQ9),
            items=st.lists(st.integers(0, 3), min_size=9, max_size=9).map(tuple),
        ),
        max_size=1,
    ).map(tuple),
    risk=risks,
    plan=free_text,
)


@settings(max_examples=300, deadline=None)
@given(details=details_strategy)
def test_every_denial_in_the_note_was_recorded(details):
    text = compose_note(details)
    recorded = {
        "suicidal": details.risk.suicidal_ideation is SuicidalIdeation.DENIED,
        "homicidal": details.risk.homicidal_ideation is HomicidalIdeation.DENIED,
        "self_harm": details.risk.self_harm is SelfHarm.DENIED,
    }
    for sentence in sentences_with_a_denial(text):
        mentioned = [item for item, pattern in ITEMS.items() if pattern.search(sentence)]
        assert mentioned, f"a denial that names nothing: {sentence!r}"
        for item in mentioned:
            assert recorded[item], f"{item} denied but recorded as not denied: {sentence!r}"


@settings(max_examples=200, deadline=None)
@given(risk=risks)
def test_nothing_denied_means_no_denial_words_at_all(risk):
    from core.notes.composer import compose_risk_statement

    nothing_denied = Risk(
        suicidal_ideation=(
            SuicidalIdeation.NOT_ASSESSED
            if risk.suicidal_ideation is SuicidalIdeation.DENIED
            else risk.suicidal_ideation
        ),
        homicidal_ideation=(
            HomicidalIdeation.NOT_ASSESSED
            if risk.homicidal_ideation is HomicidalIdeation.DENIED
            else risk.homicidal_ideation
        ),
        self_harm=SelfHarm.NOT_ASSESSED if risk.self_harm is SelfHarm.DENIED else risk.self_harm,
        level=risk.level,
        details=risk.details,
        safety_plan=risk.safety_plan,
        actions=risk.actions,
    )
    assert not DENIAL.search(compose_risk_statement(nothing_denied))


def test_the_denial_detector_sees_the_composers_own_denial():
    # Guards the property tests above against a detector that can never fire.
    from core.notes.composer import compose_risk_statement

    statement = compose_risk_statement(Risk(suicidal_ideation=SuicidalIdeation.DENIED))
    assert sentences_with_a_denial(statement) == ["Client denies suicidal ideation."]
    assert DENIAL.search("No SI or HI reported") and DENIAL.search("no self-harm")
