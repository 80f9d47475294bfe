"""A fictional session and model replies for the drafting tests. Every person is invented."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

from core.notes.model import (
    Client,
    Clinician,
    Diagnosis,
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
    SuicidalIdeation,
)

CLIENT = Client(
    name="Riley Chen",
    code="RC-2208",
    dob=date(1987, 4, 19),
    diagnoses=(Diagnosis("F41.1", "Generalized anxiety disorder"),),
)


def passive_ideation_session(**changes) -> SessionDetails:
    """A DAP session with passive suicidal ideation; free text names the client on purpose."""
    details = SessionDetails(
        client=CLIENT,
        session=SessionInfo(date(2026, 3, 9), time(15, 0), time(15, 50)),
        clinician=Clinician("Morgan Ellis", "LPC"),
        format=NoteFormat.DAP,
        presenting_concerns=(
            "Riley reported worry about a job interview on most days and sleeping about "
            "five hours a night. Riley said 'I keep thinking I will freeze up'. "
            "Born 1987-04-19; chart RC-2208."
        ),
        observations="Fidgeting early in the session, settled after breathing practice.",
        interventions=(
            Intervention("CBT", "diaphragmatic breathing", "to lower arousal before the interview"),
            Intervention("CBT", "Socratic questioning", "of the prediction of freezing up"),
        ),
        response="Client rated anxiety down from 8 to 5 of 10 after the breathing practice.",
        goals=(
            GoalEntry(
                "goal-worry",
                "Reduce worry to under one hour a day",
                GoalProgress.PROGRESSING,
                "Worry logs show two hours a day, down from three",
            ),
        ),
        homework=Homework(
            reviewed="Worry log kept on six days.", assigned="Breathing twice a day."
        ),
        measures=(MeasureResult(Instrument.GAD7, total=12),),
        risk=Risk(
            suicidal_ideation=SuicidalIdeation.PASSIVE,
            homicidal_ideation=HomicidalIdeation.DENIED,
            self_harm=SelfHarm.DENIED,
            level=RiskLevel.LOW,
            details="Passing thoughts of not waking up, no plan or intent.",
            safety_plan="Reviewed the Stanley-Brown safety plan; the client keeps it on the phone.",
            actions="Gave the 988 number and the clinic after-hours line.",
        ),
        plan="Weekly individual CBT; rehearse the interview with graded exposure next session.",
        next_session=date(2026, 3, 16),
    )
    return replace(details, **changes)


GOOD_DRAFT = """\
## Data
The client reported worry about a job interview on most days and sleeping about five hours a night. \
The clinician used diaphragmatic breathing to lower arousal and Socratic questioning of the \
prediction of freezing up.

## Assessment
The client rated anxiety down from 8 to 5 of 10 after the breathing practice. Worry is \
progressing toward the goal, with worry logs showing two hours a day, down from three.

## Plan
Weekly individual CBT. The next session will rehearse the interview with graded exposure.
"""

INVENTED_QUOTE = 'The client said "I cannot do this anymore" when describing the interview.'
INVENTED_MEDICATION = "The client started sertraline last week."
INVENTED_DENIAL = "The client denies suicidal ideation."

INVENTING_DRAFT = f"""\
## Data
The client reported worry about a job interview on most days. {INVENTED_QUOTE} {INVENTED_MEDICATION}

## Assessment
The client rated anxiety down from 8 to 5 of 10. {INVENTED_DENIAL} Worry is progressing.

## Plan
Weekly individual CBT with graded exposure next session.
"""


def chunked(text: str, size: int = 12) -> list[str]:
    """The reply as a model streams it: small pieces that cut words apart."""
    return [text[index : index + size] for index in range(0, len(text), size)]
