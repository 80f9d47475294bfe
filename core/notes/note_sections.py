"""Which section of the composed note each part of the session feeds, in the note's format.

The editor scrolls its preview to that section while the clinician fills the
part. The answer is read from the composer itself (a marker put in the part is
looked up in the composed sections), so it follows any format's layout.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from core.notes.composer import compose_measures_text, compose_risk_statement, compose_sections
from core.notes.model import (
    ClinicalAssessment,
    GoalEntry,
    GoalProgress,
    Homework,
    Intervention,
    Medication,
    SessionDetails,
)
from core.notes.note_text import HEADER_SECTION

MARKER = "Qzqmarkerqzq"  # a word the composer keeps as it is (capitalised, no punctuation)


class NotePart(StrEnum):
    """The parts of the session form, in the order the form asks for them."""

    SESSION = "session"  # also who was there and the telehealth line: both in the header
    PRESENTING = "presenting_concerns"
    OBSERVATIONS = "observations"
    INTERVENTIONS = "interventions"
    RESPONSE = "response"
    GOALS = "goals"
    HOMEWORK = "homework"
    MEASURES = "measures"
    RISK = "risk"
    ASSESSMENT = "assessment"
    MEDICATIONS = "medications"
    PLAN = "plan"


def _marked(details: SessionDetails, part: NotePart) -> SessionDetails | None:
    """The details with a marker in `part`, or None when no marker fits it."""
    match part:
        case NotePart.PRESENTING:
            return replace(details, presenting_concerns=MARKER)
        case NotePart.OBSERVATIONS:
            return replace(details, observations=MARKER)
        case NotePart.RESPONSE:
            return replace(details, response=MARKER)
        case NotePart.PLAN:
            return replace(details, plan=MARKER)
        case NotePart.HOMEWORK:
            return replace(details, homework=Homework(reviewed=MARKER))
        case NotePart.INTERVENTIONS:
            return replace(details, interventions=(Intervention(MARKER, MARKER),))
        case NotePart.ASSESSMENT:
            return replace(details, assessment=ClinicalAssessment(impression=MARKER))
        case NotePart.MEDICATIONS:
            return replace(details, medications=(Medication(name=MARKER),))
        case NotePart.GOALS:
            goal = GoalEntry(id=MARKER, description=MARKER, progress=GoalProgress.PROGRESSING)
            return replace(details, goals=(goal,))
    return None


def _section_holding(sections: dict[str, str], text: str) -> str | None:
    if not text:
        return None
    return next((name for name, body in sections.items() if text in body), None)


def section_fed_by(details: SessionDetails, part: NotePart) -> str | None:
    """The heading of the note section `part` writes into (HEADER_SECTION for the session
    line); None when it writes nowhere in this note (e.g. risk in a missed session)."""
    if part is NotePart.SESSION:
        return HEADER_SECTION
    marked = _marked(details, part)
    if marked is not None:
        return _section_holding(compose_sections(marked), MARKER)
    sections = compose_sections(details)
    if part is NotePart.RISK:
        return _section_holding(sections, compose_risk_statement(details.risk))
    # Measures: their lines when there are scores; before any, where the observations go
    # (every format writes measures beside them).
    found = _section_holding(sections, compose_measures_text(details))
    return found or section_fed_by(details, NotePart.OBSERVATIONS)
