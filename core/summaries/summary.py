"""Treatment summaries (progress, transfer, discharge) from a client's signed notes.

Pure functions over notes: every fact comes from a signed note in the period
(or, for a discharge, from what the clinician enters now), with the date of the
note it came from. Drafts are left out and counted. Nothing here writes a
clinical sentence of its own: only entries, counts, scores, bands and changes.
Rendering as text or Markdown lives in core.summaries.text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from core.notes.billing import suggest_cpt_code
from core.notes.measures import PCL5_RESPONSE_DROP, severity_band
from core.notes.model import (
    Attendance,
    Client,
    Diagnosis,
    GoalProgress,
    HomicidalIdeation,
    Instrument,
    NoteStatus,
    RiskLevel,
    SelfHarm,
    SessionNote,
    SuicidalIdeation,
    TreatmentPlan,
)


class SummaryKind(StrEnum):
    PROGRESS = "progress"
    TRANSFER = "transfer"
    DISCHARGE = "discharge"


KIND_TITLES = {
    SummaryKind.PROGRESS: "Treatment progress summary",
    SummaryKind.TRANSFER: "Transfer summary",
    SummaryKind.DISCHARGE: "Discharge summary",
}

# The change in total score that domain.md calls clinically meaningful, per instrument.
MEANINGFUL_CHANGE: dict[Instrument, tuple[int, str]] = {
    Instrument.PHQ9: (5, "a change of 5 points is clinically significant"),
    Instrument.GAD7: (
        4,
        "a change of about 4 points is the minimal clinically important difference",
    ),
    Instrument.PCL5: (
        10,
        f"a change of {PCL5_RESPONSE_DROP} points is a response, 10 is clinically meaningful",
    ),
}

ELEVATED_LEVELS = (RiskLevel.MODERATE, RiskLevel.HIGH, RiskLevel.IMMINENT)


class SummaryRefused(ValueError):
    """The summary cannot be written as asked; the message says what to do."""


@dataclass(frozen=True)
class AddendumLine:
    """A signed addendum: a correction or addition the summary's reader must see."""

    written_at: datetime
    reason: str
    text: str


@dataclass(frozen=True)
class SessionLine:
    """One signed note's session: when, what service, attended or not, minutes, CPT code."""

    date: date
    service: str
    attendance: Attendance
    minutes: int
    cpt: str
    signed_by: str
    signed_at: datetime | None
    note_id: str
    addenda: tuple[AddendumLine, ...] = ()


@dataclass(frozen=True)
class GoalUpdate:
    date: date
    progress: GoalProgress
    evidence: str


@dataclass(frozen=True)
class GoalCourse:
    """One treatment-plan goal: progress recorded session by session, and where it stands."""

    goal_id: str
    description: str
    updates: tuple[GoalUpdate, ...]

    @property
    def latest(self) -> GoalUpdate | None:
        rated = [
            update for update in self.updates if update.progress is not GoalProgress.NOT_ADDRESSED
        ]
        return rated[-1] if rated else None


@dataclass(frozen=True)
class ScorePoint:
    date: date
    score: int
    band: str


@dataclass(frozen=True)
class MeasureCourse:
    instrument: Instrument
    points: tuple[ScorePoint, ...]

    @property
    def first(self) -> ScorePoint:
        return self.points[0]

    @property
    def last(self) -> ScorePoint:
        return self.points[-1]

    @property
    def change(self) -> int:
        return self.last.score - self.first.score

    @property
    def meaningful_change(self) -> int:
        return MEANINGFUL_CHANGE[self.instrument][0]

    @property
    def reached_meaningful_change(self) -> bool:
        return len(self.points) > 1 and abs(self.change) >= self.meaningful_change


@dataclass(frozen=True)
class InterventionCount:
    technique: str
    modality: str
    sessions: int


@dataclass(frozen=True)
class RiskEvent:
    """A session whose signed note records elevated risk, in the clinician's entries."""

    date: date
    reported: tuple[str, ...]
    level: RiskLevel | None
    details: str
    safety_plan: str
    actions: str


@dataclass(frozen=True)
class Discharge:
    reason: str
    aftercare: str


@dataclass(frozen=True)
class TreatmentSummary:
    kind: SummaryKind
    client: Client
    period_from: date | None
    period_to: date | None
    sessions: tuple[SessionLine, ...]
    drafts_excluded: int
    diagnoses: tuple[Diagnosis, ...]
    goals: tuple[GoalCourse, ...]
    measures: tuple[MeasureCourse, ...]
    interventions: tuple[InterventionCount, ...]
    risk_events: tuple[RiskEvent, ...]
    discharge: Discharge | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return KIND_TITLES[self.kind]


def _in_period(note: SessionNote, period_from: date | None, period_to: date | None) -> bool:
    when = note.details.session.date
    return (period_from is None or when >= period_from) and (period_to is None or when <= period_to)


def _chronological(note: SessionNote) -> tuple[date, object, str]:
    session = note.details.session
    return session.date, session.start, note.id


def attendance_counts(notes: list[SessionNote]) -> dict[str, int]:
    """attended (late arrivals included), no-show and late cancel, over the given notes."""
    counts = Counter(note.details.session.attendance for note in notes)
    return {
        "attended": counts[Attendance.ATTENDED] + counts[Attendance.LATE_ARRIVAL],
        "no_show": counts[Attendance.NO_SHOW],
        "late_cancel": counts[Attendance.LATE_CANCEL],
    }


def _session_line(note: SessionNote) -> SessionLine:
    session = note.details.session
    suggestion = suggest_cpt_code(session)
    signature = note.signature
    return SessionLine(
        date=session.date,
        service=session.service.value.replace("_", " "),
        attendance=session.attendance,
        minutes=session.minutes if session.attendance.session_held else 0,
        cpt=suggestion.display() if suggestion.billable else "",
        signed_by=f"{signature.clinician_name}, {signature.credentials}" if signature else "",
        signed_at=signature.signed_at if signature else None,
        note_id=note.id,
        addenda=tuple(
            AddendumLine(addendum.written_at, addendum.reason, addendum.text)
            for addendum in note.addenda
        ),
    )


def _diagnoses(notes: list[SessionNote]) -> tuple[Diagnosis, ...]:
    """Every diagnosis on the signed notes, in the order they first appear."""
    seen: dict[str, Diagnosis] = {}
    for note in notes:
        for diagnosis in note.details.client.diagnoses:
            seen.setdefault(diagnosis.code, diagnosis)
    return tuple(seen.values())


def _goal_courses(notes: list[SessionNote], plan: TreatmentPlan) -> tuple[GoalCourse, ...]:
    """Each goal the notes rate, plan goals first (plan order), then any others as they appear."""
    updates: dict[str, list[GoalUpdate]] = {}
    descriptions: dict[str, str] = {}
    for note in notes:
        if not note.details.session.attendance.session_held:
            continue
        for entry in note.details.goals:
            descriptions.setdefault(entry.id, entry.description)
            updates.setdefault(entry.id, []).append(
                GoalUpdate(note.details.session.date, entry.progress, entry.evidence)
            )
    order = [goal.id for goal in plan.goals if goal.id in updates]
    order += [goal_id for goal_id in updates if goal_id not in order]
    return tuple(
        GoalCourse(goal_id, descriptions[goal_id], tuple(updates[goal_id])) for goal_id in order
    )


def _measure_courses(notes: list[SessionNote]) -> tuple[MeasureCourse, ...]:
    points: dict[Instrument, list[ScorePoint]] = {}
    for note in notes:
        for result in note.details.measures:
            score = result.score
            points.setdefault(result.instrument, []).append(
                ScorePoint(
                    note.details.session.date, score, severity_band(result.instrument, score)
                )
            )
    return tuple(
        MeasureCourse(instrument, tuple(points[instrument]))
        for instrument in Instrument
        if instrument in points
    )


def _intervention_counts(notes: list[SessionNote]) -> tuple[InterventionCount, ...]:
    """Techniques by the number of sessions that used them, most used first."""
    counts: Counter[tuple[str, str]] = Counter()
    names: dict[tuple[str, str], tuple[str, str]] = {}
    for note in notes:
        used = set()
        for intervention in note.details.interventions:
            key = (
                intervention.technique.strip().casefold(),
                intervention.modality.strip().casefold(),
            )
            names.setdefault(key, (intervention.technique.strip(), intervention.modality.strip()))
            used.add(key)
        counts.update(used)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(InterventionCount(*names[key], sessions) for key, sessions in ranked)


def _reported_risk(note: SessionNote) -> tuple[str, ...]:
    risk = note.details.risk
    reported = []
    if risk.suicidal_ideation not in (SuicidalIdeation.DENIED, SuicidalIdeation.NOT_ASSESSED):
        reported.append("suicidal ideation: " + risk.suicidal_ideation.value.replace("_", " "))
    if risk.homicidal_ideation is HomicidalIdeation.PRESENT:
        reported.append("homicidal ideation: present")
    if risk.self_harm is SelfHarm.RECENT:
        reported.append("self-harm: recent")
    return tuple(reported)


def _risk_events(notes: list[SessionNote]) -> tuple[RiskEvent, ...]:
    events = []
    for note in notes:
        risk = note.details.risk
        reported = _reported_risk(note)
        if reported or risk.level in ELEVATED_LEVELS:
            events.append(
                RiskEvent(
                    note.details.session.date,
                    reported,
                    risk.level,
                    risk.details,
                    risk.safety_plan,
                    risk.actions,
                )
            )
    return tuple(events)


def build_treatment_summary(
    client: Client,
    plan: TreatmentPlan,
    notes: list[SessionNote],
    kind: SummaryKind = SummaryKind.PROGRESS,
    period_from: date | None = None,
    period_to: date | None = None,
    discharge: Discharge | None = None,
) -> TreatmentSummary:
    """The summary of `client`'s signed notes in the period; drafts are counted, not used."""
    if period_from is not None and period_to is not None and period_to < period_from:
        raise SummaryRefused(
            f"the period ends ({period_to.isoformat()}) before it starts "
            f"({period_from.isoformat()}); swap the two dates"
        )
    if kind is SummaryKind.DISCHARGE and (
        discharge is None or not discharge.reason.strip() or not discharge.aftercare.strip()
    ):
        # Short enough for one line of the app at 80 columns.
        raise SummaryRefused(
            "a discharge summary needs the reason for discharge and aftercare plan"
        )
    in_period = [
        note
        for note in notes
        if note.client_id == client.id and _in_period(note, period_from, period_to)
    ]
    signed = sorted(
        (note for note in in_period if note.status is NoteStatus.SIGNED), key=_chronological
    )
    drafts = sum(1 for note in in_period if note.status is not NoteStatus.SIGNED)
    held = [note for note in signed if note.details.session.attendance.session_held]
    return TreatmentSummary(
        kind=kind,
        client=client,
        period_from=period_from or (signed[0].details.session.date if signed else None),
        period_to=period_to or (signed[-1].details.session.date if signed else None),
        sessions=tuple(_session_line(note) for note in signed),
        drafts_excluded=drafts,
        diagnoses=_diagnoses(signed),
        goals=_goal_courses(signed, plan),
        measures=_measure_courses(held),
        interventions=_intervention_counts(held),
        risk_events=_risk_events(held),
        discharge=discharge if kind is SummaryKind.DISCHARGE else None,
        counts=attendance_counts(signed),
    )
