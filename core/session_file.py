"""The session file: a JSON object describing one session, parsed into SessionDetails.

Every problem is collected (not just the first), each naming its field; the
field reading and its privacy-safe messages live in core.field_validation.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from core.field_validation import FieldReader
from core.measures import SPECS
from core.model import (
    Attendance,
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
    Service,
    SessionDetails,
    SessionInfo,
    Setting,
    SuicidalIdeation,
)

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
}
CLIENT_REQUIRED = {"name", "code"}
CLIENT_OPTIONAL = {"dob", "diagnoses"}
DIAGNOSIS_REQUIRED = {"code", "label"}
SESSION_REQUIRED = {"date", "start", "end", "service", "setting", "attendance"}
CLINICIAN_REQUIRED = {"name", "credentials"}
INTERVENTION_REQUIRED = {"technique"}
INTERVENTION_OPTIONAL = {"modality", "detail"}
GOAL_REQUIRED = {"description"}
GOAL_OPTIONAL = {"id", "progress", "evidence"}
HOMEWORK_OPTIONAL = {"reviewed", "assigned"}
MEASURE_REQUIRED = {"instrument"}
MEASURE_OPTIONAL = {"items", "total"}
RISK_OPTIONAL = {
    "suicidal_ideation",
    "homicidal_ideation",
    "self_harm",
    "level",
    "details",
    "safety_plan",
    "actions",
}


def parse_session(data: object, *, client_id: str | None = None) -> SessionDetails:
    """Validate a decoded session file; raise SessionFileError listing every problem.

    `client_id` names a stored client; without it the id is derived from the client code.
    """
    reader = FieldReader("session file")
    top = reader.obj(data, "", TOP_REQUIRED, TOP_OPTIONAL)
    if top is None:
        raise SessionFileError(reader.problems)

    session = _parse_session_info(reader, top.get("session")) if "session" in top else None
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

    homework = Homework()
    if "homework" in top:
        fields = reader.obj(top["homework"], "homework", set(), HOMEWORK_OPTIONAL)
        if fields is not None:
            homework = Homework(
                reviewed=reader.text(fields, "reviewed", "homework"),
                assigned=reader.text(fields, "assigned", "homework"),
            )

    measures = [
        measure
        for index, entry in enumerate(reader.items(top, "measures", ""))
        if (measure := _parse_measure(reader, entry, f"measures[{index}]")) is not None
    ]
    risk = _parse_risk(reader, top["risk"]) if "risk" in top else Risk()

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

    if reader.problems or client is None or session is None:
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


def _parse_session_info(reader: FieldReader, value: object) -> SessionInfo | None:
    fields = reader.obj(value, "session", SESSION_REQUIRED, set())
    if fields is None:
        return None
    session_date = reader.date_field(fields, "date", "session")
    start = reader.time_field(fields, "start", "session")
    end = reader.time_field(fields, "end", "session")
    service = reader.enum(fields, "service", "session", Service, None)
    setting = reader.enum(fields, "setting", "session", Setting, None)
    attendance = reader.enum(fields, "attendance", "session", Attendance, None)
    if start is not None and end is not None and end <= start:
        relation = "the same as" if end == start else "before"
        reader.problem(
            "session.end",
            f"{end.strftime('%H:%M')} is {relation} start {start.strftime('%H:%M')}",
        )
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
    return SessionInfo(session_date, start, end, service, setting, attendance)


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
        goals.append(
            GoalEntry(
                id=goal_id,
                description=description,
                progress=progress or GoalProgress.NOT_ADDRESSED,
                evidence=reader.text(fields, "evidence", path),
            )
        )
    return goals


def _parse_measure(reader: FieldReader, value: object, path: str) -> MeasureResult | None:
    fields = reader.obj(value, path, MEASURE_REQUIRED, MEASURE_OPTIONAL)
    if fields is None:
        return None
    instrument = reader.enum(fields, "instrument", path, Instrument, None)
    if "items" not in fields and "total" not in fields:
        reader.problem(path, "give either items (the item scores) or total")
    if instrument is None:
        return None
    spec = SPECS[instrument]
    problems_before = len(reader.problems)
    items = None
    if "items" in fields:
        raw_items = reader.items(fields, "items", path)
        if isinstance(fields["items"], list) and len(raw_items) != spec.item_count:
            reader.problem(
                f"{path}.items",
                f"{instrument.value} has {spec.item_count} items, got {len(raw_items)}",
            )
        parsed = [
            reader.whole_number(item, f"{path}.items[{index}]", spec.item_max)
            for index, item in enumerate(raw_items)
        ]
        items = tuple(item for item in parsed if item is not None)
    total = None
    if "total" in fields:
        total = reader.whole_number(fields["total"], f"{path}.total", spec.total_max)
    if len(reader.problems) > problems_before:
        return None
    if items is not None and total is not None and sum(items) != total:
        reader.problem(
            f"{path}.total", f"{total} does not match the item scores, which sum to {sum(items)}"
        )
        return None
    return MeasureResult(instrument=instrument, items=items, total=total)


def _parse_risk(reader: FieldReader, value: object) -> Risk:
    fields = reader.obj(value, "risk", set(), RISK_OPTIONAL)
    if fields is None:
        return Risk()
    return Risk(
        suicidal_ideation=reader.enum(
            fields, "suicidal_ideation", "risk", SuicidalIdeation, SuicidalIdeation.NOT_ASSESSED
        ),
        homicidal_ideation=reader.enum(
            fields, "homicidal_ideation", "risk", HomicidalIdeation, HomicidalIdeation.NOT_ASSESSED
        ),
        self_harm=reader.enum(fields, "self_harm", "risk", SelfHarm, SelfHarm.NOT_ASSESSED),
        level=reader.enum(fields, "level", "risk", RiskLevel, None),
        details=reader.text(fields, "details", "risk"),
        safety_plan=reader.text(fields, "safety_plan", "risk"),
        actions=reader.text(fields, "actions", "risk"),
    )


def load_session_file(path: str | Path) -> SessionDetails:
    """Read, decode and parse a session file; every failure is a SessionFileError."""
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
        data = json.loads(text)
    except json.JSONDecodeError as error:
        # error.msg never contains the document's text, only what was expected.
        raise SessionFileError(
            [f"{path}: not valid JSON at line {error.lineno} column {error.colno} ({error.msg})"]
        ) from None
    return parse_session(data)


def _drop_empty(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value not in ("", None, [], {})}


def session_to_dict(details: SessionDetails) -> dict[str, Any]:
    """The session file for these details: parse_session(session_to_dict(d)) == d, minus context."""
    client = details.client
    info = details.session
    risk = details.risk
    data: dict[str, Any] = {
        "client": _drop_empty(
            {
                "name": client.name,
                "code": client.code,
                "dob": client.dob.isoformat() if client.dob else None,
                "diagnoses": [{"code": d.code, "label": d.label} for d in client.diagnoses],
            }
        ),
        "session": {
            "date": info.date.isoformat(),
            "start": info.start.strftime("%H:%M"),
            "end": info.end.strftime("%H:%M"),
            "service": info.service.value,
            "setting": info.setting.value,
            "attendance": info.attendance.value,
        },
    }
    if details.clinician is not None:
        data["clinician"] = {
            "name": details.clinician.name,
            "credentials": details.clinician.credentials,
        }
    data["format"] = details.format.value
    data.update(
        _drop_empty(
            {
                "presenting_concerns": details.presenting_concerns,
                "observations": details.observations,
                "interventions": [
                    _drop_empty(
                        {"modality": i.modality, "technique": i.technique, "detail": i.detail}
                    )
                    for i in details.interventions
                ],
                "response": details.response,
                "goals": [
                    _drop_empty(
                        {
                            "id": g.id,
                            "description": g.description,
                            "progress": g.progress.value,
                            "evidence": g.evidence,
                        }
                    )
                    for g in details.goals
                ],
                "homework": _drop_empty(
                    {"reviewed": details.homework.reviewed, "assigned": details.homework.assigned}
                ),
                "measures": [
                    _drop_empty(
                        {
                            "instrument": m.instrument.value,
                            "items": list(m.items) if m.items is not None else None,
                            "total": m.total,
                        }
                    )
                    for m in details.measures
                ],
            }
        )
    )
    data["risk"] = _drop_empty(
        {
            "suicidal_ideation": risk.suicidal_ideation.value,
            "homicidal_ideation": risk.homicidal_ideation.value,
            "self_harm": risk.self_harm.value,
            "level": risk.level.value if risk.level else None,
            "details": risk.details,
            "safety_plan": risk.safety_plan,
            "actions": risk.actions,
        }
    )
    data.update(
        _drop_empty(
            {
                "plan": details.plan,
                "next_session": details.next_session.isoformat() if details.next_session else None,
            }
        )
    )
    return data
