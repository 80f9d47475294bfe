"""`clinote --demo`: a throwaway vault of fictional clients in a temp folder, deleted on exit.

Every person here is invented; the names are deliberately ordinary and match no one.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

DEMO_PASSPHRASE = "fictional demo caseload only"
SESSIONS_PER_CLIENT = 8
SIGNED_DELAY = timedelta(hours=2)  # signed the same day: never a late entry


@dataclass(frozen=True)
class DemoClient:
    name: str
    code: str
    born: date
    diagnoses: tuple[tuple[str, str], ...]
    goals: tuple[tuple[str, tuple[str, ...]], ...]
    modality: str
    techniques: tuple[str, ...]
    measures: dict[str, tuple[int, int]]  # instrument -> (first total, last total)
    concerns: tuple[str, ...]
    drafts: int  # how many of the latest notes stay unsigned
    discharged: bool = False


CASELOAD = (
    DemoClient(
        "Avery Lindqvist",
        "AL-1001",
        date(1989, 3, 14),
        (("F41.1", "Generalized anxiety disorder"),),
        (
            (
                "Reduce daily worry to a manageable level",
                ("Worry under 1 hour a day on 5 of 7 days", "GAD-7 below 10 for two sessions"),
            ),
            ("Return to weekly social activity", ("One planned social activity each week",)),
        ),
        "CBT",
        ("cognitive restructuring", "thought record", "diaphragmatic breathing"),
        {"GAD-7": (16, 7), "PHQ-9": (9, 5)},
        (
            "worry about work deadlines",
            "trouble falling asleep before presentations",
            "avoiding team lunches",
        ),
        drafts=1,
    ),
    DemoClient(
        "Bram Okonkwo-Hale",
        "BO-1002",
        date(1976, 11, 2),
        (("F33.1", "Major depressive disorder, recurrent, moderate"),),
        (
            (
                "Increase engagement in valued activities",
                ("Three scheduled activities per week", "PHQ-9 below 10"),
            ),
            ("Improve sleep routine", ("Consistent wake time 6 of 7 days",)),
        ),
        "CBT",
        ("behavioral activation", "activity scheduling", "problem-solving training"),
        {"PHQ-9": (19, 11)},
        ("low mood most days", "staying in bed on weekends", "withdrawal from his cycling group"),
        drafts=2,
    ),
    DemoClient(
        "Carmen Yusupova",
        "CY-1003",
        date(1994, 6, 21),
        (("F43.10", "Post-traumatic stress disorder, unspecified"),),
        (
            (
                "Reduce intrusive memories after the road accident",
                ("PCL-5 drop of 10 points", "Drives to work twice a week"),
            ),
        ),
        "Trauma-focused",
        ("CPT stuck points", "grounding (5-4-3-2-1)", "prolonged exposure (in vivo)"),
        {"PCL-5": (52, 34), "PHQ-9": (14, 9)},
        ("nightmares about the accident", "avoiding the highway", "startle at car horns"),
        drafts=1,
    ),
    DemoClient(
        "Dmitri Farrow",
        "DF-1004",
        date(2001, 1, 30),
        (("F60.3", "Borderline personality disorder"),),
        (
            (
                "Reduce urges acted on in crises",
                ("Diary card completed 6 of 7 days", "Uses a TIPP skill before acting"),
            ),
            ("Steadier relationships at home", ("One DEAR MAN conversation a week",)),
        ),
        "DBT",
        ("diary card review", "chain analysis", "TIPP", "DEAR MAN"),
        {"PHQ-9": (17, 12), "GAD-7": (13, 10)},
        ("arguments with roommate", "intense urges after conflict", "skipped diary card twice"),
        drafts=0,
    ),
    DemoClient(
        "Esi Marchetti",
        "EM-1005",
        date(1983, 9, 8),
        (("F10.20", "Alcohol use disorder, moderate"),),
        (
            (
                "Reduce drinking days",
                ("No more than 2 drinking days a week", "Attends a support group weekly"),
            ),
        ),
        "MI",
        ("OARS", "decisional balance", "importance and confidence rulers"),
        {"PHQ-9": (8, 4)},
        (
            "drinking after long shifts",
            "ambivalence about cutting down",
            "sister's concern about driving",
        ),
        drafts=1,
    ),
    DemoClient(
        "Farid Oyelaran",
        "FO-1006",
        date(1968, 12, 19),
        (("F43.21", "Adjustment disorder with depressed mood"),),
        (("Adjust to retirement with a weekly structure", ("Weekly plan written each Sunday",)),),
        "ACT",
        ("values clarification", "committed action", "cognitive defusion"),
        {"PHQ-9": (12, 3)},
        ("loss of routine since retirement", "feeling without purpose", "irritability with spouse"),
        drafts=0,
        discharged=True,
    ),
)


class DemoVault:
    """A temp folder holding the demo vault; `remove()` (or leaving `with`) deletes it."""

    passphrase = DEMO_PASSPHRASE

    def __init__(self, today: date | None = None) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="clinote-demo-"))
        self.path = self.folder / "demo.vault"
        self.today = today or date.today()
        self.built = False

    def build(self, kdf: Any = None, kdf_limits: Any = None) -> None:
        """Create the vault and fill it with the fictional caseload (blocking: run in a worker)."""
        from storage import Vault
        from storage.records.repositories import Repositories

        limits = {} if kdf_limits is None else {"kdf_limits": kdf_limits}
        vault = Vault.create(self.path, self.passphrase, kdf=kdf, **limits)
        try:
            fill_caseload(Repositories.from_vault(vault), self.today)
        finally:
            vault.close()
        self.built = True

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> DemoVault:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.remove()


def fill_caseload(repos: Any, today: date) -> None:
    """Clients, plans and weekly notes ending last week; the latest few left as drafts."""
    from core.notes.model import GoalStatus, Settings

    settings = Settings(clinician_name="Robin Demo", credentials="LPC (demo)")
    repos.settings.save(settings)
    for offset, person in enumerate(CASELOAD):
        client, goals = _client_and_plan(repos, person, today)
        first_session = today - timedelta(weeks=SESSIONS_PER_CLIENT, days=offset % 5)
        for number in range(SESSIONS_PER_CLIENT):
            day = first_session + timedelta(weeks=number)
            details = _session_details(person, client, goals, settings, day, number)
            note = _save_draft(repos, client, details)
            if number < SESSIONS_PER_CLIENT - person.drafts:
                signed_at = datetime.combine(day, details.session.end) + SIGNED_DELAY
                _try_sign(repos, note.id, settings, signed_at)
        if person.discharged:
            # Discharged once the goals were met, as the last note says.
            plan = repos.plans.get(client.id)
            met = tuple(replace(goal, status=GoalStatus.MET) for goal in plan.goals)
            repos.plans.save(replace(plan, goals=met))
            repos.clients.discharge(client.id)


def _client_and_plan(repos: Any, person: DemoClient, today: date) -> tuple[Any, tuple[Any, ...]]:
    from core.notes.model import Client, Diagnosis, Goal, TreatmentPlan

    client = Client(
        name=person.name,
        code=person.code,
        dob=person.born,
        diagnoses=tuple(Diagnosis(code, label) for code, label in person.diagnoses),
    )
    repos.clients.save(client)
    plan_date = today - timedelta(weeks=SESSIONS_PER_CLIENT + 1)
    goals = tuple(
        Goal(description=text, objectives=objectives, target_date=plan_date + timedelta(days=180))
        for text, objectives in person.goals
    )
    repos.plans.save(
        TreatmentPlan(
            client_id=client.id,
            goals=goals,
            plan_date=plan_date,
            review_date=plan_date + timedelta(days=365),
        )
    )
    return client, goals


def demo_scores(person: DemoClient, number: int) -> dict[str, int]:
    """The client's totals at session `number`: a straight line from the first to the last."""
    fraction = number / (SESSIONS_PER_CLIENT - 1)
    return {
        name: round(first + (last - first) * fraction)
        for name, (first, last) in person.measures.items()
    }


def _final_session(person: DemoClient, number: int) -> bool:
    """The last session of a client discharged after it."""
    return person.discharged and number == SESSIONS_PER_CLIENT - 1


def _progress_for(person: DemoClient, number: int, goal_index: int) -> Any:
    """A rating the client's own scores support: better scores progressing, unchanged
    maintaining, worse regressing. Later goals are worked on every other session."""
    from core.notes.model import GoalProgress

    if _final_session(person, number):
        return GoalProgress.MET  # the client is discharged after it: the goals were met
    if goal_index and number % 2:
        return GoalProgress.NOT_ADDRESSED
    if number == 0:
        return GoalProgress.MAINTAINING  # nothing earlier to compare with
    now, before = demo_scores(person, number), demo_scores(person, number - 1)
    if any(now[name] > before[name] for name in now):
        return GoalProgress.REGRESSING
    if any(now[name] < before[name] for name in now):
        return GoalProgress.PROGRESSING
    return GoalProgress.MAINTAINING


# Varied, fictional wording a clinician might write, so the demo's notes are not clones.
# Nothing here assumes a job: one of the clients is retired.
DAYS_AFFECTED = ("six", "five", "five", "four", "four", "three", "three", "two")
WHEN_WORST = (
    "worst in the evenings",
    "mostly on the two busiest days of the week",
    "especially after a tense phone call with a sibling",
    "peaking on Sunday night before the week began",
    "mainly in the first hour after waking",
    "usually when plans changed at short notice",
    "chiefly while lying awake before sleep",
    "briefly and with less intensity than before",
)
OBSERVATIONS = (
    # The first session's: no log to review yet.
    "Engaged throughout; speech normal in rate; affect congruent; thought organized.",
    "Arrived on time; guarded at first, more open after the log review; affect anxious.",
    "Appeared tired after a short night; attentive; affect mildly constricted.",
    "Arrived early; animated when describing the week; affect bright and congruent.",
    "Fidgeted during the first minutes, settled once the agenda was set; thought linear.",
    "Made good eye contact; asked clarifying questions; affect euthymic.",
    "Tearful briefly when describing a setback, recovered quickly; insight fair.",
    "Relaxed posture; brought written notes from the week; affect congruent.",
)
ENGAGEMENT = (
    "needing prompts at the first step",
    "leading the second round with little prompting",
    "questioning whether it would help, then trying it",
    "adapting the steps to a recent example",
    "completing it twice without prompts",
    "rating distress lower after each round",
    "explaining the steps back in their own words",
    "suggesting a change to make it fit the daily routine",
)
FIRST_USE = (
    "the Monday morning routine",
    "the evening routine at home",
    "the drive home on a busy day",
    "the next family dinner",
    "the moment before opening email",
    "the walk to the bus stop",
    "the half hour before bed",
    "the weekly call with a parent",
)
# What shows each rating, in the clinician's words: evidence for a goal worked on agrees with
# its rating, the first session (nothing assigned yet) cites no practice log, and a goal not
# addressed carries none.
BASELINE_EVIDENCE = (
    "Baseline set today from the client's account of the past two weeks.",
    "Client described how often this happens now; that is the baseline.",
)
GOAL_EVIDENCE = {
    "progressing": (
        "Practice log shows the skill used on four days.",
        "Client described two situations handled differently from a month ago.",
        "Client kept the agreed plan on three of five weekdays.",
        "Log entries are shorter and rate distress lower than at intake.",
        "Client named a step taken without prompting since the last session.",
        "Client reported that a family member noticed the change at home.",
    ),
    "maintaining": (
        "Practice log shows the skill used on as many days as last week.",
        "Client reported one setback and how the next day went as before.",
        "Client kept the agreed plan on the same days as last week.",
    ),
    "met": ("The objective was kept in each of the last four weeks.",),
    "regressing": (
        "Practice log shows fewer entries than last week and higher distress ratings.",
        "Client reported more days affected than last week.",
    ),
}


# The impression agrees with how the scores moved since the last session.
IMPRESSIONS = {
    "first": (
        "Presentation is consistent with the working diagnosis; {concern} is the main "
        "barrier in daily life.",
    ),
    "progressing": (
        "{Concern} persists but is named earlier; {technique} is starting to generalise.",
        "Presentation is consistent with the working diagnosis; {concern} eased when "
        "{technique} was used.",
        "Engagement is good; {concern} is still the main barrier in daily life.",
    ),
    "maintaining": (
        "Symptoms are stable this week; {technique} is used with less prompting.",
        "Engagement is good; {concern} is still the main barrier in daily life.",
    ),
    "met": (
        "{Concern} no longer limits daily routines; the treatment goal is met and "
        "discharge was agreed with the client.",
    ),
    "regressing": ("{Concern} increased this week; {technique} was used less often than planned.",),
}
FINAL_NECESSITY = (
    "A final session was needed to review the relapse-prevention plan before discharge."
)
FINAL_PLAN = (
    "Discharged from outpatient psychotherapy with a written relapse-prevention plan; "
    "follow-up call in four weeks; {technique} to continue on the client's own."
)
NECESSITY = (
    "Weekly outpatient psychotherapy remains needed while {concern} limits daily routines and sleep.",
    "Weekly sessions are needed to consolidate {technique} before the frequency is reduced.",
    "Continued weekly care is needed: {concern} still interrupts daily routines.",
)


def _pick(options: tuple[str, ...], number: int) -> str:
    return options[number % len(options)]


def _goal_evidence(person: DemoClient, number: int, goal_index: int) -> str:
    """What shows the goal's rating this session; nothing for a goal not addressed."""
    from core.notes.model import GoalProgress

    progress = _progress_for(person, number, goal_index)
    if progress is GoalProgress.NOT_ADDRESSED:
        return ""
    if number == 0:
        return _pick(BASELINE_EVIDENCE, goal_index)
    return _pick(GOAL_EVIDENCE[progress.value], number + goal_index)


def _impression_kind(person: DemoClient, number: int) -> str:
    return "first" if number == 0 else _progress_for(person, number, 0).value


def _session_details(
    person: DemoClient, client: Any, goals: tuple[Any, ...], settings: Any, day: date, number: int
) -> Any:
    from core.notes.model import (
        ClinicalAssessment,
        GoalEntry,
        Homework,
        HomicidalIdeation,
        Instrument,
        Intervention,
        MeasureResult,
        Risk,
        SelfHarm,
        SessionDetails,
        SessionInfo,
        SuicidalIdeation,
    )

    measures = tuple(
        MeasureResult(Instrument(name), total=total)
        for name, total in demo_scores(person, number).items()
    )
    technique = person.techniques[number % len(person.techniques)]
    concern = person.concerns[number % len(person.concerns)]
    final = _final_session(person, number)
    entries = tuple(
        GoalEntry(
            id=goal.id,
            description=goal.description,
            progress=_progress_for(person, number, index),
            evidence=_goal_evidence(person, number, index),
        )
        for index, goal in enumerate(goals)
    )
    return SessionDetails(
        client=client,
        session=SessionInfo(date=day, start=time(10, 0), end=time(10, 53)),
        clinician=settings.clinician,
        format=settings.default_format,
        presenting_concerns=(
            f"Client reported {concern} on {_pick(DAYS_AFFECTED, number)} of the past seven "
            f"days, {_pick(WHEN_WORST, number)}."
        ),
        observations=_pick(OBSERVATIONS, number),
        interventions=(Intervention(person.modality, technique, f"applied to {concern}"),),
        response=(
            f"Client practised {technique} in session, {_pick(ENGAGEMENT, number)}, and chose "
            f"{_pick(FIRST_USE, number)} as the first place to use it this week."
        ),
        goals=entries,
        homework=Homework(
            reviewed="Practice log from last week reviewed with the client." if number else "",
            assigned=(
                f"Keep using {technique} without sessions until the follow-up call."
                if final
                else f"Use {technique} once a day and note the result."
            ),
        ),
        measures=measures,
        risk=Risk(
            suicidal_ideation=SuicidalIdeation.DENIED,
            homicidal_ideation=HomicidalIdeation.DENIED,
            self_harm=SelfHarm.DENIED,
        ),
        assessment=ClinicalAssessment(
            impression=_pick(IMPRESSIONS[_impression_kind(person, number)], number).format(
                Concern=concern[:1].upper() + concern[1:], concern=concern, technique=technique
            ),
            medical_necessity=(FINAL_NECESSITY if final else _pick(NECESSITY, number)).format(
                concern=concern, technique=technique
            ),
        ),
        # A client discharged after this session has no next one booked.
        plan=FINAL_PLAN.format(technique=technique)
        if final
        else f"Weekly individual sessions; next session review {technique} practice log.",
        next_session=None if final else day + timedelta(weeks=1),
    )


def _save_draft(repos: Any, client: Any, details: Any) -> Any:
    from core.notes.composer import compose_note
    from core.notes.model import SessionNote

    note = SessionNote(client_id=client.id, details=details, text=compose_note(details))
    return repos.notes.save_draft(note)


def _try_sign(repos: Any, note_id: str, settings: Any, signed_at: datetime) -> None:
    from core.notes.records import SigningRefused

    try:
        repos.notes.sign(note_id, settings, now=signed_at)
    except SigningRefused:
        pass  # the demo keeps it as a draft: the checks say what it lacks
