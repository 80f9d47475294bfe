"""A fictional course of treatment for the summary tests: signed sessions, misses, a draft.

Every person here is invented.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time

from core.notes.composer import compose_note
from core.notes.model import (
    Attendance,
    Client,
    GoalEntry,
    GoalProgress,
    Instrument,
    Intervention,
    MeasureResult,
    Risk,
    RiskLevel,
    SessionNote,
    SuicidalIdeation,
)
from tests.support.fictional_notes import fictional_details

DRAFT_ONLY = "Draft-only evidence, never in a summary"
OUTSIDE_PERIOD = "Evidence from before the period"
SAFETY_PLAN = "Stanley-Brown safety plan written with two contacts"
RISK_ACTIONS = "Crisis line number given; follow-up call in two days"


@dataclass(frozen=True)
class CourseSession:
    when: date
    attendance: Attendance = Attendance.ATTENDED
    gad7: int | None = None
    progress: GoalProgress = GoalProgress.NOT_ADDRESSED
    evidence: str = ""
    techniques: tuple[str, ...] = ()
    passive_si: bool = False
    signed: bool = True


COURSE = (
    CourseSession(
        date(2024, 12, 3),
        gad7=19,
        progress=GoalProgress.PROGRESSING,
        evidence=OUTSIDE_PERIOD,
        techniques=("psychoeducation",),
    ),
    CourseSession(
        date(2025, 1, 7),
        gad7=16,
        progress=GoalProgress.PROGRESSING,
        evidence="Named three worry triggers at work",
        techniques=("cognitive restructuring", "diaphragmatic breathing"),
        passive_si=True,
    ),
    CourseSession(date(2025, 1, 14), Attendance.NO_SHOW),
    CourseSession(
        date(2025, 1, 21),
        gad7=13,
        progress=GoalProgress.MAINTAINING,
        evidence="Worry log kept on five days",
        techniques=("cognitive restructuring",),
    ),
    CourseSession(date(2025, 1, 28), Attendance.LATE_CANCEL),
    CourseSession(
        date(2025, 2, 4),
        gad7=9,
        progress=GoalProgress.MET,
        evidence="GAD-7 below 10 and worry under 30 minutes a day",
        techniques=("cognitive restructuring", "behavioral activation"),
    ),
    CourseSession(
        date(2025, 2, 11),
        gad7=7,
        progress=GoalProgress.MET,
        evidence=DRAFT_ONLY,
        techniques=("graded exposure",),
        signed=False,
    ),
)


def course_note(client: Client, session: CourseSession) -> SessionNote:
    details = fictional_details(client, session.when)
    held = session.attendance.session_held
    details = replace(
        details,
        session=replace(
            details.session, attendance=session.attendance, start=time(10, 0), end=time(10, 53)
        ),
        interventions=tuple(Intervention("CBT", technique) for technique in session.techniques),
        goals=(
            GoalEntry(
                "goal-worry", "Reduce worry to a GAD-7 below 10", session.progress, session.evidence
            ),
        )
        if held
        else (),
        measures=(MeasureResult(Instrument.GAD7, total=session.gad7),)
        if session.gad7 is not None
        else (),
        risk=Risk(
            suicidal_ideation=SuicidalIdeation.PASSIVE,
            level=RiskLevel.MODERATE,
            details="Passing thoughts that family would be better off, no plan or intent",
            safety_plan=SAFETY_PLAN,
            actions=RISK_ACTIONS,
        )
        if session.passive_si
        else details.risk,
    )
    return SessionNote(client_id=client.id, details=details, text=compose_note(details))


def signing_time(session: CourseSession) -> datetime:
    return datetime.combine(session.when, time(12, 0)).astimezone()
