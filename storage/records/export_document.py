"""The versioned export document: build it from the vault, read it back with every problem named.

    {"format": "clinote-export", "version": 1, "exported_at": ISO time,
     "clients": [{client fields, "plan": {plan fields, "goals": [...]},
                  "notes": [{"id", "details": <session file>, "text", "status",
                             "signature", "addenda", ...}],
                  "psychotherapy_notes": [...]  (version 2, only when asked for)}]}

A draft may also carry "form_input": {field path: text as typed} for entries
the form could not read yet, and "kept_text" with "kept_text_source" ("model" or
"edited"): the version f9 switches back to while the composed note is the text.
Each is left out when empty and never on a signed note.

Problems never quote free-text values (they may hold client details); ids,
enum values and field paths are enough to find what is wrong.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from core.notes.field_validation import (
    FieldReader,
    any_value,
    boolean_check,
    exact_enum_check,
    iso_check,
    join_path,
    list_check,
    object_check,
    optional,
    shown_key,
    text_check,
)
from core.notes.model import (
    Client,
    ClientStatus,
    GoalStatus,
    NoteStatus,
    SessionNote,
    TextSource,
    TreatmentPlan,
)
from core.notes.psychotherapy_note import PsychotherapyNote
from core.notes.records import signature_problems
from core.notes.session_file import SessionFileError, parse_session
from core.text_safety import BIDI_CONTROLS, has_lone_surrogate, strip_control
from storage.records.codec import (
    client_from_doc,
    client_to_doc,
    details_to_dict,
    note_from_doc,
    plan_from_doc,
    plan_to_doc,
)

EXPORT_FORMAT = "clinote-export"
EXPORT_VERSION = 2  # 2: a client may carry "psychotherapy_notes"
READABLE_VERSIONS = (1, 2)

# Stored only to list notes quickly; derived from the details again on import.
_DERIVED_NOTE_FIELDS = ("client_id", "session_date", "service", "attendance", "scores")
# Left out of a note in the export when empty, so such notes export as version 1 wrote them.
_LEFT_OUT_WHEN_EMPTY = ("form_input", "kept_text", "kept_text_source")
# What a kept version can be: the model's draft or the clinician's edited text.
_KEPT_SOURCES = (TextSource.MODEL.value, TextSource.EDITED.value)
_TEXT_SOURCES = tuple(source.value for source in TextSource)


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
    psychotherapy_notes: tuple[PsychotherapyNote, ...] = field(default=())


# --- building -------------------------------------------------------------------------


def client_entry(
    client: Client,
    plan: TreatmentPlan,
    note_docs: list[Mapping[str, Any]],
    psychotherapy_docs: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """One client of the export: its fields, its plan and its stored notes, oldest first.

    Psychotherapy notes are there only when `psychotherapy_docs` is given (asked for).
    """
    plan_doc = plan_to_doc(plan)
    del plan_doc["client_id"]

    def session_order(doc: Mapping[str, Any]) -> tuple[str, str]:
        return doc["session_date"], doc["details"]["session"]["start"]

    # Stored note documents are already the export's shape: copied, not decoded.
    notes = [
        {
            key: copy.deepcopy(value)
            for key, value in doc.items()
            if key not in _DERIVED_NOTE_FIELDS and (key not in _LEFT_OUT_WHEN_EMPTY or value)
        }
        for doc in sorted(note_docs, key=session_order)
    ]
    entry = {**client_to_doc(client), "plan": plan_doc, "notes": notes}
    if psychotherapy_docs is not None:
        # Only those of a note in this export (a deleted draft's would not import).
        note_ids = {doc["id"] for doc in note_docs}
        entry["psychotherapy_notes"] = [
            {key: value for key, value in doc.items() if key != "client_id"}
            for doc in psychotherapy_docs
            if doc["note_id"] in note_ids
        ]
    return entry


def build_document(clients: list[dict[str, Any]], exported_at: datetime) -> dict[str, Any]:
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": exported_at.isoformat(),
        "clients": clients,
    }


# --- reading: the export's shape, checked with core.notes.field_validation's rules -----------


def _texts_by_field(reader: FieldReader, value: object, path: str) -> None:
    """A draft's form entries as typed, by field path: an object of texts."""
    if not isinstance(value, dict):
        reader.problem(path, f"expected an object, got {type(value).__name__}")
    elif not all(isinstance(text, str) for text in value.values()):
        reader.problem(path, "every entry must be text")


_DATE = iso_check(date.fromisoformat, "date")
_DATETIME = iso_check(datetime.fromisoformat, "date-time")
# Record ids end up in file names (Markdown export) and lookups: letters, digits, - and _ only.
_SAFE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _record_id(reader: FieldReader, value: object, path: str) -> None:
    if not isinstance(value, str) or not _SAFE_ID.fullmatch(value):
        reader.problem(path, "an id is 1-64 letters, digits, - or _; export the file again")


_ID = _record_id


def _kept_source(reader: FieldReader, value: object, path: str) -> None:
    if value not in ("", *_KEPT_SOURCES):
        reader.problem(path, f"expected one of {', '.join(_KEPT_SOURCES)}")


def _text_source(reader: FieldReader, value: object, path: str) -> None:
    # The editor opens a draft by its source: an unknown one would leave it unopenable.
    if value not in _TEXT_SOURCES:
        reader.problem(path, f"expected one of {', '.join(_TEXT_SOURCES)}")


_SIGNATURE = object_check(
    {
        "clinician_name": (True, text_check(nonempty=True)),
        "credentials": (True, text_check(nonempty=True)),
        "signed_at": (True, _DATETIME),
        "text_sha256": (True, text_check(nonempty=True)),
        "seal": (False, optional(text_check())),
    }
)
_ADDENDUM = object_check(
    {
        "id": (True, _ID),
        "text": (True, text_check()),
        "reason": (True, text_check()),
        "author": (True, text_check()),
        "credentials": (True, text_check()),
        "written_at": (True, _DATETIME),
        "signature": (True, _SIGNATURE),
    }
)
_NOTE = object_check(
    {
        "id": (True, _ID),
        "details": (True, any_value),
        "text": (True, text_check()),
        "status": (True, exact_enum_check(NoteStatus)),
        "signature": (False, optional(_SIGNATURE)),
        "addenda": (False, list_check(_ADDENDUM)),
        "late_entry": (False, boolean_check),
        "text_source": (False, _text_source),
        "form_input": (False, _texts_by_field),
        "kept_text": (False, text_check()),
        "kept_text_source": (False, _kept_source),
        "created_at": (False, optional(_DATETIME)),
        "updated_at": (False, optional(_DATETIME)),
    }
)
_PSYCHOTHERAPY_NOTE = object_check(
    {
        "id": (True, _ID),
        "note_id": (True, _ID),
        "text": (True, text_check()),
        "created_at": (False, optional(_DATETIME)),
        "updated_at": (False, optional(_DATETIME)),
    }
)
_GOAL = object_check(
    {
        "id": (True, text_check(nonempty=True)),
        "description": (True, text_check()),
        "objectives": (False, list_check(text_check())),
        "target_date": (False, optional(_DATE)),
        "status": (False, exact_enum_check(GoalStatus)),
    }
)
_PLAN = object_check(
    {
        "plan_date": (False, optional(_DATE)),
        "review_date": (False, optional(_DATE)),
        "goals": (False, list_check(_GOAL)),
    }
)
_DIAGNOSIS = object_check(
    {"code": (True, text_check(nonempty=True)), "label": (True, text_check())}
)
_CLIENT = object_check(
    {
        "id": (True, _ID),
        "name": (True, text_check(nonempty=True)),
        "code": (True, text_check(nonempty=True)),
        "dob": (False, optional(_DATE)),
        "diagnoses": (False, list_check(_DIAGNOSIS)),
        "status": (False, exact_enum_check(ClientStatus)),
        "plan": (False, _PLAN),
        "notes": (False, list_check(_NOTE)),
        "psychotherapy_notes": (False, list_check(_PSYCHOTHERAPY_NOTE)),
    }
)
_DOCUMENT = object_check(
    {
        "format": (True, text_check()),
        "version": (True, any_value),
        "exported_at": (False, _DATETIME),
        "clients": (True, list_check(_CLIENT)),
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
    if version not in READABLE_VERSIONS or isinstance(version, bool):
        shown = version if isinstance(version, int) else "missing or not a number"
        raise ExportDocumentError(
            [
                f"version: {shown} is not supported (this clinote reads versions "
                f"{READABLE_VERSIONS[0]} to {READABLE_VERSIONS[-1]}); "
                "export again with this clinote or update it"
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
    if note.status is NoteStatus.DRAFT and not _has_time_zone(note.updated_at):
        # Without it, which of two drafts is newer cannot be told (docs/export-format.md).
        problems.append(
            f"{path}.updated_at: the draft {note.id[:8]} needs the time it was saved, "
            "with its UTC offset; export it again"
        )
    if note.status is NoteStatus.SIGNED and note.form_input:
        problems.append(f"{path}.form_input: a signed note cannot hold unread form entries")
    problems.extend(f"{path}.{problem}" for problem in _kept_version_problems(note))
    return note


def _kept_version_problems(note: SessionNote) -> list[str]:
    """A kept version belongs to a draft showing its composed text, and says what it is."""
    if not note.kept_text and not note.kept_text_source:
        return []
    if note.status is NoteStatus.SIGNED:
        # Signing clears it (the signed note is only what was signed): one that is here was
        # not written by clinote's signing, and dropping it quietly could lose text.
        return [
            "kept_text: a signed note cannot hold a kept version; "
            "remove it from the file or export again"
        ]
    if note.text_source != TextSource.COMPOSER.value:
        return ["kept_text: only a draft showing its composed text keeps another version"]
    if not note.kept_text_source:  # an emptied edit is a version too: source, no text
        return ["kept_text_source: required with kept_text (model or edited)"]
    return []


def _has_time_zone(moment: datetime | None) -> bool:
    return moment is not None and moment.utcoffset() is not None


# How json.dumps writes a control character: \b \f \r or \u00XX (C0), raw (DEL, C1,
# bidi controls). A backslash typed in a text can match too: that only costs the slower walk.
_MAYBE_CONTROL = re.compile(rf"\\[bfr]|\\u00[01]|[\x7f-\x9f{BIDI_CONTROLS}]")


def _invalid_unicode(value: object, path: str, problems: list[str]) -> None:
    """Name every text holding a lone surrogate, which cannot be stored or printed."""
    if isinstance(value, str):
        if has_lone_surrogate(value):
            problems.append(f"{path}: text is not valid Unicode (half of a surrogate pair)")
    elif isinstance(value, dict):
        for key, item in value.items():
            _invalid_unicode(item, join_path(path, shown_key(key)), problems)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _invalid_unicode(item, f"{path}[{index}]", problems)


def _without_control(value: Any, *, signed: bool = False) -> Any:
    """The document with control characters stripped from every text it holds.

    Text covered by a signature hash (a signed note's text, its addenda) is left
    as signed: changing it would break the signature; it is escaped when shown.
    Ids are left too: the id check refuses them whole.
    """
    if isinstance(value, str):
        return value if signed else strip_control(value)
    if isinstance(value, list):
        return [_without_control(item, signed=signed) for item in value]
    if isinstance(value, dict):
        has_signature = value.get("signature") is not None
        cleaned: dict[str, Any] = {}
        for key, item in value.items():
            # Ids are checked as they are (a NUL in one is refused, not quietly removed).
            covered = signed or key in ("addenda", "id") or (key == "text" and has_signature)
            cleaned[key] = _without_control(item, signed=covered)
        return cleaned
    return value


def read_document(data: object) -> list[ExportedClient]:
    """The clients, plans and notes of an export; ExportDocumentError lists every problem."""
    _check_format(data)
    problems: list[str] = []
    # One pass at C speed over the whole document decides whether the walks are needed.
    dumped = json.dumps(data, ensure_ascii=False)
    try:
        dumped.encode("utf-8")
    except UnicodeEncodeError:
        _invalid_unicode(data, "", problems)
        raise ExportDocumentError(problems) from None
    if _MAYBE_CONTROL.search(dumped):
        data = _without_control(data)
    reader = FieldReader("document")
    _DOCUMENT(reader, data, "")
    if reader.problems:
        raise ExportDocumentError(reader.problems)
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
        psychotherapy = _read_psychotherapy_notes(client_doc, client.id, notes, path, problems)
        clients.append(ExportedClient(client, plan, tuple(notes), psychotherapy))
    if problems:
        raise ExportDocumentError(problems)
    return clients


def _read_psychotherapy_notes(
    client_doc: dict[str, Any],
    client_id: str,
    notes: list[SessionNote],
    path: str,
    problems: list[str],
) -> tuple[PsychotherapyNote, ...]:
    """A client's psychotherapy notes; each belongs to one of that client's notes in the file."""
    note_ids = {note.id for note in notes}
    read = []
    for index, doc in enumerate(client_doc.get("psychotherapy_notes", [])):
        if doc["note_id"] not in note_ids:
            problems.append(
                f"{path}.psychotherapy_notes[{index}].note_id: not a note of this client"
            )
            continue
        created = doc.get("created_at")
        updated = doc.get("updated_at")
        read.append(
            PsychotherapyNote(
                note_id=doc["note_id"],
                client_id=client_id,
                text=doc["text"],
                created_at=datetime.fromisoformat(created) if created else None,
                updated_at=datetime.fromisoformat(updated) if updated else None,
                id=doc["id"],
            )
        )
    return tuple(read)
