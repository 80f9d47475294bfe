"""Documents <-> domain objects: the JSON shapes stored in the vault and exported.

Session details use the session-file shape (core.notes.session_file), so a stored
note, an exported note and a session file all read the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from datetime import date, datetime
from typing import Any

from core.notes.model import (
    Addendum,
    Client,
    ClientStatus,
    Diagnosis,
    Goal,
    GoalStatus,
    NoteFormat,
    NoteStatus,
    SessionDetails,
    SessionNote,
    Settings,
    Signature,
    TreatmentPlan,
)
from core.notes.session_file import parse_session, session_to_dict

SETTINGS_DOC_ID = "settings"


def _date_or_none(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso_or_none(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _datetime_or_none(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


# --- clients -------------------------------------------------------------------


def client_to_doc(client: Client) -> dict[str, Any]:
    return {
        "id": client.id,
        "name": client.name,
        "code": client.code,
        "dob": _iso_or_none(client.dob),
        "diagnoses": [{"code": d.code, "label": d.label} for d in client.diagnoses],
        "status": client.status.value,
    }


def client_from_doc(doc: dict[str, Any]) -> Client:
    return Client(
        id=doc["id"],
        name=doc["name"],
        code=doc["code"],
        dob=_date_or_none(doc.get("dob")),
        diagnoses=tuple(Diagnosis(d["code"], d["label"]) for d in doc.get("diagnoses", ())),
        status=ClientStatus(doc.get("status", ClientStatus.ACTIVE.value)),
    )


# --- treatment plans -------------------------------------------------------------


def goal_to_doc(goal: Goal) -> dict[str, Any]:
    return {
        "id": goal.id,
        "description": goal.description,
        "objectives": list(goal.objectives),
        "target_date": _iso_or_none(goal.target_date),
        "status": goal.status.value,
    }


def goal_from_doc(doc: dict[str, Any]) -> Goal:
    return Goal(
        id=doc["id"],
        description=doc["description"],
        objectives=tuple(doc.get("objectives", ())),
        target_date=_date_or_none(doc.get("target_date")),
        status=GoalStatus(doc.get("status", GoalStatus.ACTIVE.value)),
    )


def plan_to_doc(plan: TreatmentPlan) -> dict[str, Any]:
    return {
        "client_id": plan.client_id,
        "plan_date": _iso_or_none(plan.plan_date),
        "review_date": _iso_or_none(plan.review_date),
        "goals": [goal_to_doc(goal) for goal in plan.goals],
    }


def plan_from_doc(doc: dict[str, Any]) -> TreatmentPlan:
    return TreatmentPlan(
        client_id=doc["client_id"],
        plan_date=_date_or_none(doc.get("plan_date")),
        review_date=_date_or_none(doc.get("review_date")),
        goals=tuple(goal_from_doc(goal) for goal in doc.get("goals", ())),
    )


# --- notes -------------------------------------------------------------------------


def signature_to_doc(signature: Signature | None) -> dict[str, Any] | None:
    if signature is None:
        return None
    doc = {
        "clinician_name": signature.clinician_name,
        "credentials": signature.credentials,
        "signed_at": signature.signed_at.isoformat(),
        "text_sha256": signature.text_sha256,
    }
    if signature.seal is not None:  # absent: imported and not verified (or not sealed yet)
        doc["seal"] = signature.seal
    return doc


def signature_from_doc(doc: dict[str, Any] | None) -> Signature | None:
    if doc is None:
        return None
    return Signature(
        clinician_name=doc["clinician_name"],
        credentials=doc["credentials"],
        signed_at=datetime.fromisoformat(doc["signed_at"]),
        text_sha256=doc["text_sha256"],
        seal=doc.get("seal"),
    )


def addendum_to_doc(addendum: Addendum) -> dict[str, Any]:
    return {
        "id": addendum.id,
        "text": addendum.text,
        "reason": addendum.reason,
        "author": addendum.author,
        "credentials": addendum.credentials,
        "written_at": addendum.written_at.isoformat(),
        "signature": signature_to_doc(addendum.signature),
    }


def addendum_from_doc(doc: dict[str, Any]) -> Addendum:
    signature = signature_from_doc(doc["signature"])
    assert signature is not None
    return Addendum(
        id=doc["id"],
        text=doc["text"],
        reason=doc["reason"],
        author=doc["author"],
        credentials=doc["credentials"],
        written_at=datetime.fromisoformat(doc["written_at"]),
        signature=signature,
    )


def details_to_dict(details: SessionDetails) -> dict[str, Any]:
    return session_to_dict(details)


def details_from_dict(data: dict[str, Any], client_id: str) -> SessionDetails:
    """Session details from the session-file shape, bound to the stored client id.

    A draft may hold what the session file refuses (an end time still being
    typed, an intervention without its technique yet): the same reader, in its
    lenient mode, reads such details back as stored rather than losing them.
    """
    return parse_session(data, client_id=client_id, lenient=True)


def note_to_doc(note: SessionNote) -> dict[str, Any]:
    """The stored note; `session_date`, `status` and `scores` let listings skip the details."""
    session = note.details.session
    return {
        "id": note.id,
        "client_id": note.client_id,
        "session_date": session.date.isoformat(),
        "service": session.service.value,
        "attendance": session.attendance.value,
        "scores": [
            {"instrument": m.instrument.value, "score": m.score} for m in note.details.measures
        ],
        "details": details_to_dict(note.details),
        "text": note.text,
        "status": note.status.value,
        "signature": signature_to_doc(note.signature),
        "addenda": [addendum_to_doc(addendum) for addendum in note.addenda],
        "late_entry": note.late_entry,
        "text_source": note.text_source,
        # Always written, as form_input: a draft that no longer keeps a version drops it on update.
        "kept_text": note.kept_text,
        "kept_text_source": note.kept_text_source,
        # Always written: a draft whose entries now parse must drop the old ones on update.
        "form_input": dict(note.form_input),
        "created_at": _iso_or_none(note.created_at),
        "updated_at": _iso_or_none(note.updated_at),
    }


def note_from_doc(doc: Mapping[str, Any], details: SessionDetails | None = None) -> SessionNote:
    """The stored note; `details` when the caller has already read them from doc["details"]."""
    if details is None:
        # The session-file shape has no client id: the note's own client_id is the link.
        details = details_from_dict(doc["details"], doc["client_id"])
    return SessionNote(
        id=doc["id"],
        client_id=doc["client_id"],
        details=details,
        text=doc.get("text", ""),
        status=NoteStatus(doc.get("status", NoteStatus.DRAFT.value)),
        signature=signature_from_doc(doc.get("signature")),
        addenda=tuple(addendum_from_doc(a) for a in doc.get("addenda", ())),
        late_entry=bool(doc.get("late_entry", False)),
        text_source=doc.get("text_source", "composer"),
        kept_text=doc.get("kept_text", ""),
        kept_text_source=doc.get("kept_text_source", ""),
        form_input=tuple(doc.get("form_input", {}).items()),
        created_at=_datetime_or_none(doc.get("created_at")),
        updated_at=_datetime_or_none(doc.get("updated_at")),
    )


# --- settings ------------------------------------------------------------------------


def settings_to_doc(settings: Settings) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": SETTINGS_DOC_ID}
    for field_ in fields(Settings):
        value = getattr(settings, field_.name)
        doc[field_.name] = value.value if isinstance(value, NoteFormat) else value
    return doc


def settings_from_doc(doc: dict[str, Any] | None) -> Settings:
    """Settings from the stored document; unknown keys (a newer version) are ignored."""
    if doc is None:
        return Settings()
    known = {field_.name for field_ in fields(Settings)}
    values = {key: value for key, value in doc.items() if key in known}
    if "default_format" in values:
        try:
            values["default_format"] = NoteFormat(values["default_format"])
        except ValueError:
            del values["default_format"]
    return Settings(**values)
