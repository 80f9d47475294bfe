"""The clinical domain: clients, treatment plans, session details and notes.

Plain frozen dataclasses and enums. Every other layer speaks these types:
the session-file parser builds them, the composer and the checks read them,
the repositories in `storage/` persist them, the TUI edits them with
`dataclasses.replace`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum

# For annotations inside classes that have a field named `date`.
Date = date


def new_id() -> str:
    """A random identifier for a stored record (client, goal, note)."""
    return uuid.uuid4().hex


class ClientStatus(StrEnum):
    ACTIVE = "active"
    DISCHARGED = "discharged"


class GoalStatus(StrEnum):
    ACTIVE = "active"
    MET = "met"
    DISCONTINUED = "discontinued"


class NoteFormat(StrEnum):
    DAP = "dap"
    BIRP = "birp"
    SOAP = "soap"
    GIRP = "girp"
    PIRP = "pirp"
    SIRP = "sirp"


class Service(StrEnum):
    INDIVIDUAL = "individual"
    FAMILY_WITH_CLIENT = "family_with_client"
    FAMILY_WITHOUT_CLIENT = "family_without_client"
    COUPLES = "couples"
    GROUP = "group"
    CRISIS = "crisis"


class Setting(StrEnum):
    IN_PERSON = "in_person"
    TELEHEALTH_VIDEO = "telehealth_video"
    TELEHEALTH_AUDIO = "telehealth_audio"


class Attendance(StrEnum):
    ATTENDED = "attended"
    LATE_ARRIVAL = "late_arrival"
    NO_SHOW = "no_show"
    LATE_CANCEL = "late_cancel"

    @property
    def session_held(self) -> bool:
        return self in (Attendance.ATTENDED, Attendance.LATE_ARRIVAL)


class TextSource(StrEnum):
    """Where a note's text comes from: composed from the form, a model draft, or hand edits."""

    COMPOSER = "composer"
    MODEL = "model"
    EDITED = "edited"


class GoalProgress(StrEnum):
    MET = "met"
    PROGRESSING = "progressing"
    MAINTAINING = "maintaining"
    REGRESSING = "regressing"
    NOT_ADDRESSED = "not_addressed"


class SuicidalIdeation(StrEnum):
    DENIED = "denied"
    PASSIVE = "passive"
    ACTIVE_NO_PLAN = "active_no_plan"
    ACTIVE_WITH_PLAN = "active_with_plan"
    NOT_ASSESSED = "not_assessed"


class HomicidalIdeation(StrEnum):
    DENIED = "denied"
    PRESENT = "present"
    NOT_ASSESSED = "not_assessed"


class SelfHarm(StrEnum):
    DENIED = "denied"
    RECENT = "recent"
    NOT_ASSESSED = "not_assessed"


class RiskLevel(StrEnum):
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    IMMINENT = "imminent"


class Instrument(StrEnum):
    PHQ9 = "PHQ-9"
    GAD7 = "GAD-7"
    PCL5 = "PCL-5"


class ImpairmentDomain(StrEnum):
    WORK = "work"
    SCHOOL = "school"
    SOCIAL = "social"
    FAMILY = "family"
    SELF_CARE = "self_care"
    SLEEP = "sleep"
    HEALTH = "health"
    OTHER = "other"


class ParticipantRole(StrEnum):
    CLIENT = "client"
    PARTNER = "partner"
    PARENT = "parent"
    GUARDIAN = "guardian"
    SIBLING = "sibling"
    FAMILY_MEMBER = "family_member"
    OTHER = "other"


class HomeworkStatus(StrEnum):
    COMPLETED = "completed"
    PARTIAL = "partial"
    NOT_COMPLETED = "not_completed"
    NOT_REVIEWED = "not_reviewed"


class NoteStatus(StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"


# --- clients and treatment plans -------------------------------------------


@dataclass(frozen=True)
class Diagnosis:
    code: str  # ICD-10, e.g. "F41.1"
    label: str


@dataclass(frozen=True)
class Client:
    name: str
    code: str  # the identifier printed on notes
    dob: date | None = None
    diagnoses: tuple[Diagnosis, ...] = ()
    status: ClientStatus = ClientStatus.ACTIVE
    id: str = field(default_factory=new_id)


@dataclass(frozen=True)
class Goal:
    description: str
    objectives: tuple[str, ...] = ()  # measurable objectives, one per line
    target_date: date | None = None
    status: GoalStatus = GoalStatus.ACTIVE
    id: str = field(default_factory=new_id)


@dataclass(frozen=True)
class TreatmentPlan:
    client_id: str
    goals: tuple[Goal, ...] = ()
    plan_date: date | None = None
    review_date: date | None = None


@dataclass(frozen=True)
class Clinician:
    name: str
    credentials: str


@dataclass(frozen=True)
class Settings:
    """Clinician settings kept inside the vault."""

    clinician_name: str = ""
    credentials: str = ""
    default_format: NoteFormat = NoteFormat.DAP
    ollama_host: str = ""  # empty: OLLAMA_HOST, else http://127.0.0.1:11434
    model: str = ""  # empty: the drafting default
    allow_remote: bool = False
    autolock_minutes: int = 10
    # A remote host must be https://; plain http:// to another machine needs this too.
    allow_unencrypted_remote: bool = False
    ca_file: str = ""  # a practice's own CA (PEM) for its https:// drafting server
    keep_warm_minutes: int = 30  # keep_alive for the model; 0: no preload when a note opens

    @property
    def clinician(self) -> Clinician | None:
        if self.clinician_name.strip() and self.credentials.strip():
            return Clinician(self.clinician_name.strip(), self.credentials.strip())
        return None


# --- one session's details (the session file) -------------------------------


@dataclass(frozen=True)
class SessionInfo:
    date: date
    start: time
    end: time
    service: Service = Service.INDIVIDUAL
    setting: Setting = Setting.IN_PERSON
    attendance: Attendance = Attendance.ATTENDED
    number: int | None = None  # the client's nth session, when known
    previous_date: Date | None = None  # the last session before this one, when known
    # A missed session: what the clinician did to reach the client (no clinical content).
    outreach: str = ""

    @property
    def minutes(self) -> int:
        start = self.start.hour * 60 + self.start.minute
        end = self.end.hour * 60 + self.end.minute
        return end - start


@dataclass(frozen=True)
class Intervention:
    modality: str  # e.g. "CBT", "DBT"
    technique: str  # e.g. "cognitive restructuring"
    detail: str = ""  # what it was used for, in the clinician's words


@dataclass(frozen=True)
class GoalEntry:
    """Progress on one treatment-plan goal in this session."""

    id: str
    description: str
    progress: GoalProgress = GoalProgress.NOT_ADDRESSED
    evidence: str = ""
    objectives: tuple[str, ...] = ()  # the plan's measurable objectives for this goal


@dataclass(frozen=True)
class Homework:
    reviewed: str = ""  # what was assigned last session, as reviewed today
    assigned: str = ""
    reviewed_status: HomeworkStatus | None = None  # None: the clinician has not chosen


@dataclass(frozen=True)
class PriorTotal:
    """A previous total given in the session file, for a trend without vault history."""

    date: date
    total: int


@dataclass(frozen=True)
class MeasureResult:
    instrument: Instrument
    items: tuple[int, ...] | None = None
    total: int | None = None  # given directly when items were not recorded
    previous: PriorTotal | None = None

    @property
    def score(self) -> int:
        if self.items is not None:
            return sum(self.items)
        return self.total if self.total is not None else 0


@dataclass(frozen=True)
class Risk:
    """Missing risk means not assessed: never a denial by default."""

    suicidal_ideation: SuicidalIdeation = SuicidalIdeation.NOT_ASSESSED
    homicidal_ideation: HomicidalIdeation = HomicidalIdeation.NOT_ASSESSED
    self_harm: SelfHarm = SelfHarm.NOT_ASSESSED
    level: RiskLevel | None = None
    details: str = ""
    safety_plan: str = ""
    actions: str = ""
    rationale: str = ""  # why the clinician chose this level
    means_safety: str = ""  # access to lethal means and what was agreed


@dataclass(frozen=True)
class Impairment:
    domain: ImpairmentDomain
    description: str


@dataclass(frozen=True)
class ClinicalAssessment:
    """The clinician's own interpretation: impression, impairments, medical necessity."""

    impression: str = ""
    impairments: tuple[Impairment, ...] = ()
    medical_necessity: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.impression.strip() or self.impairments or self.medical_necessity.strip())


@dataclass(frozen=True)
class Participant:
    """Someone present besides the clinician, named by role and label only ("Partner B")."""

    role: ParticipantRole
    label: str


@dataclass(frozen=True)
class Telehealth:
    client_location: str = ""
    provider_location: str = ""
    consent: bool | None = None  # None: not recorded
    audio_only_reason: str = ""


@dataclass(frozen=True)
class Medication:
    """A medication as the client reported it; never a recommendation."""

    name: str
    dose: str = ""
    prescriber: str = ""


@dataclass(frozen=True)
class PreviousScore:
    instrument: Instrument
    date: date
    score: int


@dataclass(frozen=True)
class NoteContext:
    """What the vault knows beyond this session: for score changes, cloning
    and plan-age checks. Not part of the session file; filled by the caller."""

    previous_scores: tuple[PreviousScore, ...] = ()
    previous_note_text: str | None = None
    plan_date: date | None = None
    plan_review_date: date | None = None
    today: date | None = None  # for age checks; None means date.today()
    # From the vault when the session file does not give session.number / previous_date.
    session_number: int | None = None
    previous_session_date: date | None = None


@dataclass(frozen=True)
class SessionDetails:
    client: Client
    session: SessionInfo
    clinician: Clinician | None = None
    format: NoteFormat = NoteFormat.DAP
    presenting_concerns: str = ""
    observations: str = ""
    interventions: tuple[Intervention, ...] = ()
    response: str = ""
    goals: tuple[GoalEntry, ...] = ()
    homework: Homework = Homework()
    measures: tuple[MeasureResult, ...] = ()
    risk: Risk = Risk()
    plan: str = ""
    next_session: date | None = None
    assessment: ClinicalAssessment = ClinicalAssessment()
    participants: tuple[Participant, ...] = ()
    telehealth: Telehealth | None = None
    medications: tuple[Medication, ...] = ()
    context: NoteContext = NoteContext()


# --- stored notes ------------------------------------------------------------


@dataclass(frozen=True)
class Signature:
    clinician_name: str
    credentials: str
    signed_at: datetime
    text_sha256: str
    # HMAC under a key only this vault holds (core.notes.records.signature_seal); None for a
    # signature imported from elsewhere that did not verify: shown as not verified.
    seal: str | None = None


@dataclass(frozen=True)
class Addendum:
    text: str
    reason: str
    author: str
    credentials: str
    written_at: datetime
    signature: Signature
    id: str = field(default_factory=new_id)


@dataclass(frozen=True)
class SessionNote:
    client_id: str
    details: SessionDetails
    text: str = ""  # the note as it will be signed (Markdown)
    status: NoteStatus = NoteStatus.DRAFT
    signature: Signature | None = None
    addenda: tuple[Addendum, ...] = ()
    late_entry: bool = False
    text_source: str = "composer"  # composer | model | edited
    # While the composed note is the text (text_source "composer"), the clinician's edited
    # text or the model's draft that f9 switches back to, and which it is (a TextSource:
    # "model" or "edited"; "" when none). Never part of the note's text, its copy or
    # export as a note, nor of what is signed: signing clears it.
    kept_text: str = ""
    kept_text_source: str = ""
    # Form entries that do not parse yet, as typed (field path -> text): a draft keeps
    # them so nothing typed is lost. Never part of the note text; signing refuses them.
    form_input: tuple[tuple[str, str], ...] = ()
    created_at: datetime | None = None
    updated_at: datetime | None = None
    id: str = field(default_factory=new_id)

    @property
    def format(self) -> NoteFormat:
        return self.details.format
