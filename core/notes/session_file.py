"""The session file: a JSON object describing one session, parsed into SessionDetails.

Every problem is collected (not just the first), each naming its field; the
field reading and its privacy-safe messages live in core.notes.field_validation.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from core.notes.field_validation import FieldReader
from core.notes.json_input import JsonInputError, loads_untrusted
from core.notes.model import (
    Attendance,
    Client,
    ClinicalAssessment,
    Clinician,
    Diagnosis,
    GoalEntry,
    GoalProgress,
    Homework,
    Intervention,
    NoteFormat,
    Risk,
    Service,
    SessionDetails,
    SessionInfo,
    Setting,
)
from core.notes.session_dict import session_to_dict
from core.notes.session_parts import (
    HOMEWORK_OPTIONAL,
    MEASURE_OPTIONAL,
    MEASURE_REQUIRED,
    RISK_OPTIONAL,
    parse_assessment,
    parse_homework,
    parse_measure,
    parse_medications,
    parse_participants,
    parse_risk,
    parse_telehealth,
)

__all__ = [
    "HOMEWORK_OPTIONAL",
    "MEASURE_OPTIONAL",
    "MEASURE_REQUIRED",
    "RISK_OPTIONAL",
    "SessionFileError",
    "client_id_for_code",
    "goal_id_for_description",
    "load_session_file",
    "parse_session",
    "session_to_dict",
]

# Client ids are derived from the client code so that parsing the same file twice
# gives equal SessionDetails (golden notes, round trips); storage swaps in the
# stored client when it imports a session for a known code.
_CLIENT_ID_NAMESPACE = uuid.UUID("5b1f3c52-8f7e-4d61-9a0e-0c3a7d2e6b41")


class SessionFileError(Exception):
    """The session file is not valid; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def client_id_for_code(code: str) -> str:
    """The stable client id used for a client that is known only by its code."""
    return uuid.uuid5(_CLIENT_ID_NAMESPACE, code).hex


def goal_id_for_description(description: str) -> str:
    """The stable goal id used when a goal in the file has no `id`."""
    return uuid.uuid5(_CLIENT_ID_NAMESPACE, "goal:" + description).hex


TOP_REQUIRED = {"client", "session"}
TOP_OPTIONAL = {
    "clinician",
    "format",
    "presenting_concerns",
    "observations",
    "interventions",
    "response",
    "goals",
    "homework",
    "measures",
    "risk",
    "plan",
    "next_session",
    "assessment",
    "participants",
    "telehealth",
    "medications",
    "psychotherapy_note",  # accepted, never read: kept apart (core.notes.psychotherapy_note)
}
CLIENT_REQUIRED = {"name", "code"}
CLIENT_OPTIONAL = {"dob", "diagnoses"}
DIAGNOSIS_REQUIRED = {"code", "label"}
# `end` is required for a held session only: a missed one has no end time.
SESSION_REQUIRED = {"date", "start", "service", "setting", "attendance"}
SESSION_OPTIONAL = {"end", "number", "previous_date", "outreach"}
SESSION_NUMBER_MAX = 10_000
CLINICIAN_REQUIRED = {"name", "credentials"}
INTERVENTION_REQUIRED = {"technique"}
INTERVENTION_OPTIONAL = {"modality", "detail"}
GOAL_REQUIRED = {"description"}
GOAL_OPTIONAL = {"id", "progress", "evidence", "objectives"}


def parse_session(
    data: object, *, client_id: str | None = None, lenient: bool = False
) -> SessionDetails:
    """Validate a decoded session file; raise SessionFileError listing every problem.

    `client_id` names a stored client; without it the id is derived from the client code.
    `lenient` reads a stored draft, which may hold what a session file may not yet (an
    end time still being typed, an intervention without its technique): the values
    are kept as stored, and only a document with no client or session is refused.
    """
    reader = FieldReader("session file")
    top = reader.obj(data, "", TOP_REQUIRED, TOP_OPTIONAL)
    if top is None:
        raise SessionFileError(reader.problems)

    session = _parse_session_info(reader, top.get("session"), lenient) if "session" in top else None
    client = (
        _parse_client(reader, top.get("client"), session, client_id) if "client" in top else None
    )
    clinician = None
    if "clinician" in top:
        fields = reader.obj(top["clinician"], "clinician", CLINICIAN_REQUIRED, set())
        if fields is not None:
            name = reader.text(fields, "name", "clinician", required=True)
            credentials = reader.text(fields, "credentials", "clinician", required=True)
            clinician = Clinician(name, credentials)
    note_format = reader.enum(top, "format", "", NoteFormat, NoteFormat.DAP)

    interventions = []
    for index, entry in enumerate(reader.items(top, "interventions", "")):
        path = f"interventions[{index}]"
        fields = reader.obj(entry, path, INTERVENTION_REQUIRED, INTERVENTION_OPTIONAL)
        if fields is not None:
            interventions.append(
                Intervention(
                    modality=reader.text(fields, "modality", path),
                    technique=reader.text(fields, "technique", path, required=True),
                    detail=reader.text(fields, "detail", path),
                )
            )

    goals = _parse_goals(reader, top)
    homework = parse_homework(reader, top["homework"]) if "homework" in top else Homework()
    session_date = session.date if session is not None else None
    measures = [
        measure
        for index, entry in enumerate(reader.items(top, "measures", ""))
        if (measure := parse_measure(reader, entry, f"measures[{index}]", session_date, lenient))
        is not None
    ]
    risk = parse_risk(reader, top["risk"]) if "risk" in top else Risk()

    next_session = reader.date_field(top, "next_session", "")
    if next_session is not None and session is not None and next_session < session.date:
        reader.problem(
            "next_session",
            f"{next_session.isoformat()} is before the session date {session.date.isoformat()}",
        )

    presenting_concerns, observations, response, plan = (
        reader.text(top, key, "")
        for key in ("presenting_concerns", "observations", "response", "plan")
    )
    assessment = parse_assessment(reader, top["assessment"]) if "assessment" in top else None
    telehealth = parse_telehealth(reader, top["telehealth"]) if "telehealth" in top else None
    participants = parse_participants(reader, top)
    medications = parse_medications(reader, top)

    if (reader.problems and not lenient) or client is None or session is None:
        raise SessionFileError(reader.problems)
    return SessionDetails(
        client=client,
        session=session,
        clinician=clinician,
        format=note_format or NoteFormat.DAP,
        interventions=tuple(interventions),
        goals=tuple(goals),
        homework=homework,
        measures=tuple(measures),
        risk=risk,
        next_session=next_session,
        participants=participants,
        telehealth=telehealth,
        medications=medications,
        assessment=assessment if assessment is not None else ClinicalAssessment(),
        presenting_concerns=presenting_concerns,
        observations=observations,
        response=response,
        plan=plan,
    )


def _parse_client(
    reader: FieldReader, value: object, session: SessionInfo | None, client_id: str | None
) -> Client | None:
    fields = reader.obj(value, "client", CLIENT_REQUIRED, CLIENT_OPTIONAL)
    if fields is None:
        return None
    name = reader.text(fields, "name", "client", required=True)
    code = reader.text(fields, "code", "client", required=True)
    dob = reader.date_field(fields, "dob", "client")
    if dob is not None and session is not None and dob > session.date:
        reader.problem(
            "client.dob", f"{dob.isoformat()} is after the session date {session.date.isoformat()}"
        )
    diagnoses = []
    for index, entry in enumerate(reader.items(fields, "diagnoses", "client")):
        path = f"client.diagnoses[{index}]"
        diagnosis = reader.obj(entry, path, DIAGNOSIS_REQUIRED, set())
        if diagnosis is not None:
            diagnoses.append(
                Diagnosis(
                    code=reader.text(diagnosis, "code", path, required=True),
                    label=reader.text(diagnosis, "label", path, required=True),
                )
            )
    return Client(
        name=name,
        code=code,
        dob=dob,
        diagnoses=tuple(diagnoses),
        id=client_id or client_id_for_code(code),
    )


def _parse_session_info(reader: FieldReader, value: object, lenient: bool) -> SessionInfo | None:
    fields = reader.obj(value, "session", SESSION_REQUIRED, SESSION_OPTIONAL)
    if fields is None:
        return None
    session_date = reader.date_field(fields, "date", "session")
    start = reader.time_field(fields, "start", "session")
    service = reader.enum(fields, "service", "session", Service, None)
    setting = reader.enum(fields, "setting", "session", Setting, None)
    attendance = reader.enum(fields, "attendance", "session", Attendance, None)
    held = attendance is None or attendance.session_held
    if "end" in fields:
        end = reader.time_field(fields, "end", "session")
    else:
        if held:
            reader.problem("session.end", "required field missing (the session was held)")
        end = start  # a missed session has no end: 0 minutes
    number = None
    if "number" in fields:
        number = reader.whole_number(fields["number"], "session.number", SESSION_NUMBER_MAX)
        if number == 0:
            reader.problem("session.number", "sessions are counted from 1")
            number = None
    previous_date = reader.date_field(fields, "previous_date", "session")
    if previous_date is not None and session_date is not None and previous_date >= session_date:
        reader.problem(
            "session.previous_date",
            f"{previous_date.isoformat()} is not before the session date "
            f"{session_date.isoformat()}",
        )
    outreach = reader.text(fields, "outreach", "session")
    if outreach.strip() and held:
        reader.problem("session.outreach", "only for a no_show or late_cancel session")
    if start is not None and end is not None and "end" in fields and end <= start:
        relation = "the same as" if end == start else "before"
        reader.problem(
            "session.end",
            f"{end.strftime('%H:%M')} is {relation} start {start.strftime('%H:%M')}",
        )
        if not lenient:
            return None
    if (
        session_date is None
        or start is None
        or end is None
        or service is None
        or setting is None
        or attendance is None
    ):
        return None
    return SessionInfo(
        session_date,
        start,
        end,
        service,
        setting,
        attendance,
        number=number,
        previous_date=previous_date,
        outreach=outreach,
    )


def _parse_goals(reader: FieldReader, top: dict[str, Any]) -> list[GoalEntry]:
    goals: list[GoalEntry] = []
    seen_ids: dict[str, int] = {}
    for index, entry in enumerate(reader.items(top, "goals", "")):
        path = f"goals[{index}]"
        fields = reader.obj(entry, path, GOAL_REQUIRED, GOAL_OPTIONAL)
        if fields is None:
            continue
        description = reader.text(fields, "description", path, required=True)
        goal_id = reader.text(fields, "id", path, required="id" in fields)
        goal_id = goal_id or goal_id_for_description(description)
        if goal_id in seen_ids:
            reader.problem(f"{path}.id", f"same goal as goals[{seen_ids[goal_id]}]")
        seen_ids.setdefault(goal_id, index)
        progress = reader.enum(fields, "progress", path, GoalProgress, GoalProgress.NOT_ADDRESSED)
        objectives = tuple(
            text
            for number, item in enumerate(reader.items(fields, "objectives", path))
            if (text := _list_text(reader, item, f"{path}.objectives[{number}]"))
        )
        goals.append(
            GoalEntry(
                id=goal_id,
                description=description,
                progress=progress or GoalProgress.NOT_ADDRESSED,
                evidence=reader.text(fields, "evidence", path),
                objectives=objectives,
            )
        )
    return goals


def _list_text(reader: FieldReader, value: object, path: str) -> str:
    if not isinstance(value, str):
        reader.problem(path, "expected text")
        return ""
    return value


def load_session_file(path: str | Path) -> SessionDetails:
    """Read, decode and parse a session file; every failure is a SessionFileError."""
    return parse_session(read_session_json(path))


def read_session_json(path: str | Path) -> object:
    """The decoded JSON of a session file (individual or group), under the input limits
    (duplicate keys, depth, huge numbers); every failure is a SessionFileError."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SessionFileError([f"{path}: no such file"]) from None
    except IsADirectoryError:
        raise SessionFileError([f"{path}: is a folder, not a session file"]) from None
    except OSError as error:
        raise SessionFileError([f"{path}: cannot be read ({error.strerror})"]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SessionFileError([f"{path}: is not UTF-8 text"]) from None
    try:
        return loads_untrusted(text)
    except JsonInputError as error:
        raise SessionFileError([f"{path}: {error}"]) from None
