"""Treatment summaries: every fact from a signed note in the period, drafts counted, not used."""

from __future__ import annotations

from datetime import date

import pytest

from core.notes.model import GoalProgress, Instrument, RiskLevel
from core.notes.records import sign_note
from core.summaries.summary import (
    Discharge,
    SummaryKind,
    SummaryRefused,
    build_treatment_summary,
)
from core.summaries.text import clean, render_summary, sparkline
from tests.support.fictional_notes import SIGNER, fictional_client, fictional_plan
from tests.support.summary_course import (
    COURSE,
    DRAFT_ONLY,
    OUTSIDE_PERIOD,
    RISK_ACTIONS,
    SAFETY_PLAN,
    course_note,
    signing_time,
)

CLIENT = fictional_client()
PLAN = fictional_plan(CLIENT)


def course_notes():
    notes = []
    for session in COURSE:
        note = course_note(CLIENT, session)
        if session.signed:
            note = sign_note(note, SIGNER, [], signing_time(session))
        notes.append(note)
    return notes


def summary(kind=SummaryKind.PROGRESS, period_from=date(2025, 1, 1), period_to=None, **kw):
    return build_treatment_summary(CLIENT, PLAN, course_notes(), kind, period_from, period_to, **kw)


def test_only_signed_notes_in_the_period_count_and_drafts_are_reported():
    result = summary()
    assert [line.date for line in result.sessions] == [
        date(2025, 1, 7),
        date(2025, 1, 14),
        date(2025, 1, 21),
        date(2025, 1, 28),
        date(2025, 2, 4),
    ]
    assert result.drafts_excluded == 1
    assert result.counts == {"attended": 3, "no_show": 1, "late_cancel": 1}
    assert (result.period_from, result.period_to) == (date(2025, 1, 1), date(2025, 2, 4))


def test_goal_progress_session_by_session_and_where_it_stands():
    (goal,) = summary().goals
    assert goal.description == "Reduce worry to a GAD-7 below 10"
    assert [(u.date, u.progress) for u in goal.updates] == [
        (date(2025, 1, 7), GoalProgress.PROGRESSING),
        (date(2025, 1, 21), GoalProgress.MAINTAINING),
        (date(2025, 2, 4), GoalProgress.MET),
    ]
    assert goal.latest.progress is GoalProgress.MET


def test_measures_first_last_change_against_the_meaningful_change():
    (gad7,) = summary().measures
    assert gad7.instrument is Instrument.GAD7
    assert [p.score for p in gad7.points] == [16, 13, 9]
    assert (gad7.first.score, gad7.last.score, gad7.change) == (16, 9, -7)
    assert gad7.meaningful_change == 4 and gad7.reached_meaningful_change


def test_interventions_by_frequency_and_risk_history():
    result = summary()
    assert [(i.technique, i.sessions) for i in result.interventions] == [
        ("cognitive restructuring", 3),
        ("behavioral activation", 1),
        ("diaphragmatic breathing", 1),
    ]
    (event,) = result.risk_events
    assert event.date == date(2025, 1, 7)
    assert event.level is RiskLevel.MODERATE
    assert event.reported == ("suicidal ideation: passive",)
    assert (event.safety_plan, event.actions) == (SAFETY_PLAN, RISK_ACTIONS)


def test_the_rendered_summary_holds_what_the_signed_notes_say_and_nothing_else():
    for markdown in (False, True):
        text = render_summary(summary(), markdown=markdown)
        assert DRAFT_ONLY not in text and OUTSIDE_PERIOD not in text
        for evidence in (
            "Named three worry triggers at work",
            "Worry log kept on five days",
            "GAD-7 below 10 and worry under 30 minutes a day",
        ):
            assert evidence in text
        assert SAFETY_PLAN in text and RISK_ACTIONS in text
        assert "1 draft(s) in this period are not included (not signed)" in text
        assert "Attended 3 · no-show 1 · late cancel 1" in text
        assert "first 16 (2025-01-07), last 9 (2025-02-04), change -7" in text
        assert "reaches the 4-point threshold" in text
        assert "F41.1 Generalized anxiety disorder" in text
    assert render_summary(summary(), markdown=True).startswith("# Treatment progress summary\n")
    assert render_summary(summary()).startswith("TREATMENT PROGRESS SUMMARY\n")


def test_without_a_period_every_signed_note_counts():
    result = summary(period_from=None)
    assert result.period_from == date(2024, 12, 3)
    assert [p.score for p in result.measures[0].points] == [19, 16, 13, 9]


def test_a_discharge_needs_the_reason_and_aftercare_and_shows_them():
    with pytest.raises(SummaryRefused, match="needs the reason for discharge and aftercare plan$"):
        summary(SummaryKind.DISCHARGE)
    with pytest.raises(SummaryRefused):
        summary(SummaryKind.DISCHARGE, discharge=Discharge("Goals met", " "))
    text = render_summary(
        summary(
            SummaryKind.DISCHARGE,
            discharge=Discharge("Treatment goals met", "Monthly check-ins with primary care"),
        )
    )
    assert text.startswith("DISCHARGE SUMMARY")
    assert "Reason for discharge: Treatment goals met" in text
    assert "Aftercare plan: Monthly check-ins with primary care" in text


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(SummaryRefused, match="swap the two dates$"):
        summary(period_from=date(2025, 3, 1), period_to=date(2025, 1, 1))


def test_entered_text_cannot_carry_terminal_escapes():
    assert clean("Goal \x1b[31mred\x1b[0m\nline") == "Goal [31mred[0m line"


def test_sparkline_spans_the_instruments_range():
    assert sparkline([0, 21], 21) == "▁█"


# --- the optional narrative paragraph ------------------------------------------------------


def test_the_narrative_prompt_carries_facts_but_no_identifiers():
    from core.drafting.summary_narrative import narrative_facts

    facts = narrative_facts(summary())
    assert "Sessions: 3 attended, 1 no-show, 1 late cancel" in facts
    assert "GAD-7: first 16 (2025-01-07), last 9 (2025-02-04), change -7" in facts
    for identifier in (CLIENT.name, CLIENT.code, "1991-06-14", "Jordan", "Avery"):
        assert identifier not in facts
    assert DRAFT_ONLY not in facts


def test_the_narrative_keeps_only_what_the_facts_support():
    from core.drafting.summary_narrative import ground_narrative

    text = (
        "Over the period the client attended 3 sessions. "
        "The GAD-7 fell from 16 to 9, a change of 7. "
        "The client reported 12 panic attacks in March. "
        "The client denies suicidal ideation. "
        "Jordan used cognitive restructuring in 3 sessions."
    )
    grounded = ground_narrative(text, summary())
    assert grounded.text == (
        "Over the period the client attended 3 sessions. "
        "The GAD-7 fell from 16 to 9, a change of 7. "
        "The client used cognitive restructuring in 3 sessions."
    )
    assert [f.rule_id for f in grounded.findings] == [
        "SUMMARY-NARRATIVE-UNSUPPORTED",
        "SUMMARY-NARRATIVE-UNSUPPORTED",
        "SUMMARY-NARRATIVE-IDENTIFIER",
    ]
    assert (
        render_summary(summary(), narrative=grounded.text, narrative_model="m").count(
            "Over the period the client attended 3 sessions."
        )
        == 1
    )


def test_signed_addenda_are_listed_with_their_note():
    from datetime import datetime

    from core.notes.records import add_addendum

    notes = course_notes()
    index = next(i for i, n in enumerate(notes) if n.details.session.date == date(2025, 1, 21))
    notes[index] = add_addendum(
        notes[index],
        "The GAD-7 total was 12, not 13.",
        "Scoring error",
        SIGNER,
        datetime(2025, 1, 22, 9, 0).astimezone(),
    )
    result = build_treatment_summary(CLIENT, PLAN, notes, period_from=date(2025, 1, 1))
    text = render_summary(result)
    assert "Addenda to these notes" in text
    assert (
        f"2025-01-21 note {notes[index].id[:8]}, addendum of 2025-01-22: Scoring error — "
        "The GAD-7 total was 12, not 13."
    ) in text
    assert "Addenda to these notes" not in render_summary(summary())
