"""Fictional clients, sessions and notes for the records, repository and transfer tests.

Every person here is invented.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from core.notes.composer import compose_note
from core.notes.model import (
    Client,
    Diagnosis,
    Goal,
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
    SessionDetails,
    SessionInfo,
    SessionNote,
    Settings,
    SuicidalIdeation,
    TreatmentPlan,
)

SIGNER = Settings(clinician_name="Dana Reyes", credentials="LCSW")


def fictional_client(name: str = "Jordan Avery", code: str = "JA-0142", **changes) -> Client:
    client = Client(
        name=name,
        code=code,
        dob=date(1991, 6, 14),
        diagnoses=(Diagnosis("F41.1", "Generalized anxiety disorder"),),
    )
    return replace(client, **changes)


def fictional_plan(client: Client) -> TreatmentPlan:
    return TreatmentPlan(
        client_id=client.id,
        goals=(
            Goal(
                description="Reduce worry to a GAD-7 below 10",
                objectives=("Practise diaphragmatic breathing daily",),
                target_date=date(2025, 9, 1),
                id="goal-worry",
            ),
        ),
        plan_date=date(2025, 1, 10),
        review_date=date(2025, 7, 10),
    )


def fictional_details(
    client: Client,
    session_date: date = date(2025, 3, 4),
    gad7: int = 12,
    start: time = time(10, 0),
    end: time = time(10, 53),
) -> SessionDetails:
    return SessionDetails(
        client=client,
        session=SessionInfo(session_date, start, end),
        format=NoteFormat.DAP,
        presenting_concerns="Client reported worry about a work review on five of seven days.",
        observations="On time; affect anxious, brightened when describing a weekend hike.",
        interventions=(
            Intervention("CBT", "cognitive restructuring", "challenged catastrophic predictions"),
            Intervention("CBT", "diaphragmatic breathing", "practised for five minutes"),
        ),
        response="Client rated worry down from 7 to 4 of 10 by the end of the session.",
        goals=(
            GoalEntry(
                "goal-worry",
                "Reduce worry to a GAD-7 below 10",
                GoalProgress.PROGRESSING,
                "Used breathing on four days this week",
            ),
        ),
        homework=Homework(reviewed="Breathing log on four days.", assigned="Daily worry log."),
        measures=(MeasureResult(Instrument.GAD7, total=gad7),),
        risk=Risk(
            suicidal_ideation=SuicidalIdeation.DENIED,
            homicidal_ideation=HomicidalIdeation.DENIED,
            self_harm=SelfHarm.DENIED,
            level=RiskLevel.LOW,
        ),
        plan="Weekly CBT; next session review the worry log and begin worry exposure.",
        next_session=session_date + timedelta(days=7),
    )


def fictional_draft(
    client: Client, session_date: date = date(2025, 3, 4), **changes
) -> SessionNote:
    details = fictional_details(client, session_date, **changes)
    return SessionNote(client_id=client.id, details=details, text=compose_note(details))


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A fixed moment in UTC, so late-entry arithmetic does not depend on the machine."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)
