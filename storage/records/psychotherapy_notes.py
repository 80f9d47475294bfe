"""Psychotherapy notes in the vault: their own table, never part of a progress note's document.

Each read and write is recorded in the audit trail (event and progress-note id,
never the text). Exports leave them out unless asked (storage.records.transfer).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from tinydb import TinyDB

from core.notes.psychotherapy_note import PsychotherapyNote
from core.notes.records import local_now
from storage.records.record_types import RecordEvent
from storage.records.table_conditions import FieldEquals, VisitEach

PSYCHOTHERAPY_NOTES_TABLE = "psychotherapy_notes"

EVENT_READ = "psychotherapy_note_read"
EVENT_SAVED = "psychotherapy_note_saved"
EVENT_DELETED = "psychotherapy_note_deleted"
EVENT_EXPORTED = "psychotherapy_notes_exported"
EVENT_IMPORTED = "psychotherapy_notes_imported"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _moment(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def psychotherapy_note_to_doc(note: PsychotherapyNote) -> dict[str, Any]:
    return {
        "id": note.id,
        "note_id": note.note_id,
        "client_id": note.client_id,
        "text": note.text,
        "created_at": _iso(note.created_at),
        "updated_at": _iso(note.updated_at),
    }


def psychotherapy_note_from_doc(doc: Mapping[str, Any]) -> PsychotherapyNote:
    return PsychotherapyNote(
        note_id=doc["note_id"],
        client_id=doc["client_id"],
        text=doc.get("text", ""),
        created_at=_moment(doc.get("created_at")),
        updated_at=_moment(doc.get("updated_at")),
        id=doc["id"],
    )


class PsychotherapyNoteRepository:
    """One psychotherapy note per progress note, found by the progress note's id."""

    def __init__(self, db: TinyDB, record_event: RecordEvent) -> None:
        self._table = db.table(PSYCHOTHERAPY_NOTES_TABLE)
        self._record_event = record_event

    def _stored(self, note_id: str) -> Mapping[str, Any] | None:
        found = self._table.search(FieldEquals("note_id", note_id))
        return found[0] if found else None

    def exists(self, note_id: str) -> bool:
        """Whether the session has a psychotherapy note (reads no text; not audited)."""
        return self._stored(note_id) is not None

    def get(self, note_id: str) -> PsychotherapyNote | None:
        """The psychotherapy note of progress note `note_id`; the access is audited."""
        doc = self._stored(note_id)
        if doc is None:
            return None
        self._record_event(EVENT_READ, note_id)
        return psychotherapy_note_from_doc(doc)

    def save(
        self, note_id: str, client_id: str, text: str, now: datetime | None = None
    ) -> PsychotherapyNote:
        """Create or replace the session's psychotherapy note; the write is audited."""
        moment = now or local_now()
        stored = self._stored(note_id)
        if stored is None:
            note = PsychotherapyNote(
                note_id=note_id,
                client_id=client_id,
                text=text,
                created_at=moment,
                updated_at=moment,
            )
            self._table.insert(psychotherapy_note_to_doc(note))
        else:
            note = replace(psychotherapy_note_from_doc(stored), text=text, updated_at=moment)
            self._table.update(
                psychotherapy_note_to_doc(note),
                doc_ids=[stored.doc_id],  # type: ignore[attr-defined]
            )
        self._record_event(EVENT_SAVED, note_id)
        return note

    def delete(self, note_id: str) -> None:
        stored = self._stored(note_id)
        if stored is not None:
            self._table.remove(doc_ids=[stored.doc_id])  # type: ignore[attr-defined]
            self._record_event(EVENT_DELETED, note_id)

    def documents_by_client(self) -> dict[str, list[dict[str, Any]]]:
        """Every stored psychotherapy note document by client id (for export; not audited)."""
        grouped: dict[str, list[dict[str, Any]]] = {}
        self._table.search(
            VisitEach(lambda doc: grouped.setdefault(doc["client_id"], []).append(dict(doc)))
        )
        return grouped

    def import_changes(
        self, notes: Iterable[PsychotherapyNote]
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """(new documents, replacing documents) that importing `notes` writes; writes nothing.

        A known note is replaced only by a later-saved version of it.
        """
        stored = {doc["id"]: doc for docs in self.documents_by_client().values() for doc in docs}
        new: list[dict[str, Any]] = []
        replacing: list[dict[str, Any]] = []
        for note in notes:
            doc = psychotherapy_note_to_doc(note)
            existing = stored.get(note.id)
            if existing is None:
                new.append(doc)
            elif existing != doc and _later(note.updated_at, _moment(existing.get("updated_at"))):
                replacing.append(doc)
        return new, replacing


def _later(first: datetime | None, second: datetime | None) -> bool:
    if first is None or second is None:
        return first is not None
    try:
        return first > second
    except TypeError:  # one with a time zone and one without: no order to trust
        return False
