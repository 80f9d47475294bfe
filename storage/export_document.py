"""The versioned export document: build it from the vault, read it back with every problem named.

    {"format": "clinote-export", "version": 1, "exported_at": ISO time,
     "clients": [{client fields, "plan": {plan fields, "goals": [...]},
                  "notes": [{"id", "details": <session file>, "text", "status",
                             "signature", "addenda", ...}]}]}

A draft may also carry "form_input": {field path: text as typed} for entries
the form could not read yet; it is left out when empty and never on a signed note.

Problems never quote free-text values (they may hold client details); ids,
enum values and field paths are enough to find what is wrong.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from core.model import (
    Client,
    ClientStatus,
    GoalStatus,
    NoteStatus,
    SessionNote,
    TreatmentPlan,
)
from core.records import signature_problems
from core.session_file import SessionFileError, parse_session
from storage.codec import (
    client_from_doc,
    client_to_doc,
    details_to_dict,
    note_from_doc,
    plan_from_doc,
    plan_to_doc,
)

EXPORT_FORMAT = "clinote-export"
EXPORT_VERSION = 1

# Stored only to list notes quickly; derived from the details again on import.
_DERIVED_NOTE_FIELDS = ("client_id", "session_date", "service", "attendance", "scores")


class ExportDocumentError(Exception):
    """The document cannot be imported; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class ExportedClient:
    client: Client
    plan: TreatmentPlan
    notes: tuple[SessionNote, ...] = field(default=())


# --- building -------------------------------------------------------------------------


def client_entry(
    client: Client, plan: TreatmentPlan, note_docs: list[Mapping[str, Any]]
) -> dict[str, Any]:
    """One client of the export: its fields, its plan and its stored notes, oldest first."""
    plan_doc = plan_to_doc(plan)
    del plan_doc["client_id"]

    def session_order(doc: Mapping[str, Any]) -> tuple[str, str]:
        return doc["session_date"], doc["details"]["session"]["start"]

    # Stored note documents are already the export's shape: copied, not decoded.
    # An empty form_input is left out, so such notes export as format version 1 wrote them.
    notes = [
        {
            key: copy.deepcopy(value)
            for key, value in doc.items()
            if key not in _DERIVED_NOTE_FIELDS and (key != "form_input" or value)
        }
        for doc in sorted(note_docs, key=session_order)
    ]
    return {**client_to_doc(client), "plan": plan_doc, "notes": notes}


def build_document(clients: list[dict[str, Any]], exported_at: datetime) -> dict[str, Any]:
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": exported_at.isoformat(),
        "clients": clients,
    }


# --- reading: a small checker for our own shapes ----------------------------------------

Check = Callable[[object, str, list[str]], None]

# Only short token-like values are quoted back (as core.field_validation does):
# a phrase with spaces may be free text typed into the wrong field.
_TOKEN = re.compile(r"[A-Za-z0-9_.:+\-]{1,24}")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _type_problem(path: str, expected: str, value: object) -> str:
    return f"{path}: expected {expected}, found {type(value).__name__}"


def _text(nonempty: bool = False) -> Check:
    def check(value: object, path: str, problems: list[str]) -> None:
        if not isinstance(value, str):
            problems.append(_type_problem(path, "text", value))
        elif nonempty and not value.strip():
            problems.append(f"{path}: must not be empty")

    return check


def _optional(check: Check) -> Check:
    def optional(value: object, path: str, problems: list[str]) -> None:
        if value is not None:
            check(value, path, problems)

    return optional


def _iso(parse: Callable[[str], object], kind: str) -> Check:
    def check(value: object, path: str, problems: list[str]) -> None:
        if not isinstance(value, str):
            problems.append(_type_problem(path, kind, value))
            return
        try:
            parse(value)
        except ValueError:
            problems.append(f"{path}: not a valid {kind} (use ISO 8601)")

    return check


def _enum(kind: type[StrEnum]) -> Check:
    allowed = [member.value for member in kind]

    def check(value: object, path: str, problems: list[str]) -> None:
        if value not in allowed:
            shown = repr(value) if isinstance(value, str) and _TOKEN.fullmatch(value) else "value"
            problems.append(f"{path}: {shown} is not one of {', '.join(allowed)}")

    return check


def _boolean(value: object, path: str, problems: list[str]) -> None:
    if not isinstance(value, bool):
        problems.append(_type_problem(path, "true or false", value))


def _list_of(check: Check) -> Check:
    def check_list(value: object, path: str, problems: list[str]) -> None:
        if not isinstance(value, list):
            problems.append(_type_problem(path, "a list", value))
            return
        for index, item in enumerate(value):
            check(item, f"{path}[{index}]", problems)

    return check_list


def _texts_by_field(value: object, path: str, problems: list[str]) -> None:
    """A draft's form entries as typed, by field path: an object of texts."""
    if not isinstance(value, dict):
        problems.append(_type_problem(path, "an object", value))
    elif not all(isinstance(text, str) for text in value.values()):
        problems.append(f"{path}: every entry must be text")


def _object(spec: dict[str, tuple[bool, Check]]) -> Check:
    """An object whose keys follow `spec` (key -> (required, check)); unknown keys are problems."""

    def check(value: object, path: str, problems: list[str]) -> None:
        if not isinstance(value, dict):
            problems.append(_type_problem(path or "document", "an object", value))
            return
        for key, (required, check_value) in spec.items():
            if key in value:
                check_value(value[key], _join(path, key), problems)
            elif required:
                problems.append(f"{_join(path, key)}: missing")
        for key in value:
            if key not in spec:
                shown = key if len(key) <= 40 else key[:40] + "..."
                problems.append(f"{_join(path, shown)}: unknown field")

    return check


def _anything(value: object, path: str, problems: list[str]) -> None:
    """Checked later by the session-file parser."""


_DATE = _iso(date.fromisoformat, "date")
_DATETIME = _iso(datetime.fromisoformat, "date-time")
_ID = _text(nonempty=True)

_SIGNATURE = _object(
    {
        "clinician_name": (True, _text(nonempty=True)),
        "credentials": (True, _text(nonempty=True)),
        "signed_at": (True, _DATETIME),
        "text_sha256": (True, _text(nonempty=True)),
    }
)
_ADDENDUM = _object(
    {
        "id": (True, _ID),
        "text": (True, _text()),
        "reason": (True, _text()),
        "author": (True, _text()),
        "credentials": (True, _text()),
        "written_at": (True, _DATETIME),
        "signature": (True, _SIGNATURE),
    }
)
_NOTE = _object(
    {
        "id": (True, _ID),
        "details": (True, _anything),
        "text": (True, _text()),
        "status": (True, _enum(NoteStatus)),
        "signature": (False, _optional(_SIGNATURE)),
        "addenda": (False, _list_of(_ADDENDUM)),
        "late_entry": (False, _boolean),
        "text_source": (False, _text()),
        "form_input": (False, _texts_by_field),
        "created_at": (False, _optional(_DATETIME)),
        "updated_at": (False, _optional(_DATETIME)),
    }
)
_GOAL = _object(
    {
        "id": (True, _ID),
        "description": (True, _text()),
        "objectives": (False, _list_of(_text())),
        "target_date": (False, _optional(_DATE)),
        "status": (False, _enum(GoalStatus)),
    }
)
_PLAN = _object(
    {
        "plan_date": (False, _optional(_DATE)),
        "review_date": (False, _optional(_DATE)),
        "goals": (False, _list_of(_GOAL)),
    }
)
_DIAGNOSIS = _object({"code": (True, _text(nonempty=True)), "label": (True, _text())})
_CLIENT = _object(
    {
        "id": (True, _ID),
        "name": (True, _text(nonempty=True)),
        "code": (True, _text(nonempty=True)),
        "dob": (False, _optional(_DATE)),
        "diagnoses": (False, _list_of(_DIAGNOSIS)),
        "status": (False, _enum(ClientStatus)),
        "plan": (False, _PLAN),
        "notes": (False, _list_of(_NOTE)),
    }
)
_DOCUMENT = _object(
    {
        "format": (True, _text()),
        "version": (True, _anything),
        "exported_at": (False, _DATETIME),
        "clients": (True, _list_of(_CLIENT)),
    }
)


def _check_format(data: object) -> None:
    """Refuse anything that is not a clinote export this version can read, before the rest."""
    if not isinstance(data, dict):
        raise ExportDocumentError(["document: expected a JSON object (a clinote export)"])
    if data.get("format") != EXPORT_FORMAT:
        raise ExportDocumentError(
            [f"format: expected {EXPORT_FORMAT!r}; this file is not a clinote export"]
        )
    version = data.get("version")
    if version != EXPORT_VERSION or isinstance(version, bool):
        shown = version if isinstance(version, int) else "missing or not a number"
        raise ExportDocumentError(
            [
                f"version: {shown} is not supported (this clinote reads version "
                f"{EXPORT_VERSION}); export again with this clinote or update it"
            ]
        )


def _read_note(
    doc: dict[str, Any], client_id: str, path: str, problems: list[str]
) -> SessionNote | None:
    stored_shape = {**doc, "client_id": client_id}
    details_problems: list[str] = []
    details = None
    try:
        details = parse_session(doc["details"], client_id=client_id)
    except SessionFileError as error:
        details_problems = [f"{path}.details.{problem}" for problem in error.problems]
    try:
        note = note_from_doc(stored_shape, details)
    except (KeyError, TypeError, ValueError, AttributeError, SessionFileError):
        note = None
    # The vault keeps what the session file would refuse (a draft half typed, a
    # next session date typed wrong before signing); such details are accepted
    # when they are exactly clinote's own encoding, so an export always imports.
    if details_problems and (note is None or details_to_dict(note.details) != doc["details"]):
        problems.extend(details_problems)
        return None
    if note is None:
        problems.append(f"{path}.details: not a session file")
        return None
    problems.extend(f"{path}: {problem}" for problem in signature_problems(note))
    if note.status is NoteStatus.SIGNED and note.form_input:
        problems.append(f"{path}.form_input: a signed note cannot hold unread form entries")
    return note


def read_document(data: object) -> list[ExportedClient]:
    """The clients, plans and notes of an export; ExportDocumentError lists every problem."""
    _check_format(data)
    problems: list[str] = []
    _DOCUMENT(data, "", problems)
    if problems:
        raise ExportDocumentError(problems)
    assert isinstance(data, dict)

    clients: list[ExportedClient] = []
    seen_ids: dict[str, str] = {}
    seen_codes: dict[str, str] = {}

    def claim(identifier: str, path: str) -> None:
        if identifier in seen_ids:
            problems.append(f"{path}: id {identifier} is also used at {seen_ids[identifier]}")
        seen_ids.setdefault(identifier, path)

    for index, client_doc in enumerate(data["clients"]):
        path = f"clients[{index}]"
        claim(client_doc["id"], f"{path}.id")
        code = client_doc["code"].strip().casefold()
        if code in seen_codes:
            problems.append(f"{path}.code: the same code is used at {seen_codes[code]}")
        seen_codes.setdefault(code, f"{path}.code")
        client = client_from_doc(client_doc)
        plan = plan_from_doc({**client_doc.get("plan", {}), "client_id": client.id})
        notes = []
        for note_index, note_doc in enumerate(client_doc.get("notes", [])):
            note_path = f"{path}.notes[{note_index}]"
            claim(note_doc["id"], f"{note_path}.id")
            note = _read_note(note_doc, client.id, note_path, problems)
            if note is not None:
                notes.append(note)
        clients.append(ExportedClient(client, plan, tuple(notes)))
    if problems:
        raise ExportDocumentError(problems)
    return clients
