"""Session notes in the vault: drafts, signing, addenda, and what earlier sessions tell a new one.

A signed note is never changed here: edits and deletes are refused, and
corrections are addenda (core.notes.records). Lookups read the stored documents
with cheap conditions so a vault of 10,000 notes stays quick.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from tinydb import TinyDB
from tinydb.table import Document

from core.checks.findings import Finding, Severity
from core.checks.review import check_note
from core.notes.model import (
    Attendance,
    Instrument,
    NoteContext,
    NoteStatus,
    PreviousScore,
    SessionDetails,
    SessionNote,
    Settings,
)
from core.notes.records import add_addendum, ensure_editable, local_now, sealed, sign_note
from storage.records.clients import ClientRepository
from storage.records.codec import note_from_doc, note_to_doc
from storage.records.errors import RecordNotFound
from storage.records.plans import PlanRepository
from storage.records.psychotherapy_notes import EVENT_DELETED, PSYCHOTHERAPY_NOTES_TABLE
from storage.records.record_types import CheckNote, RecordEvent
from storage.records.table_conditions import FieldEquals, VisitEach
from storage.vault.batch_write import write_tables_at_once

NOTES_TABLE = "notes"
RULE_DUPLICATE_NOTE = "NOTE-DUPLICATE"


@dataclass(frozen=True)
class ClientSummary:
    """What the caseload shows per client without opening its notes."""

    last_session: date | None  # most recent session held (no-shows do not count)
    drafts_awaiting_signature: int
    note_count: int


def default_check_note(details: SessionDetails, text: str) -> list[Finding]:
    return check_note(details, text)


def _held(doc: Mapping[str, Any]) -> bool:
    return Attendance(doc.get("attendance", Attendance.ATTENDED.value)).session_held


def _chronological(doc: Mapping[str, Any]) -> tuple[str, str, str]:
    start = doc.get("details", {}).get("session", {}).get("start", "")
    return doc["session_date"], start, doc.get("created_at") or ""


class NoteRepository:
    def __init__(
        self,
        db: TinyDB,
        record_event: RecordEvent,
        plans: PlanRepository,
        clients: ClientRepository,
        check_note: CheckNote = default_check_note,
        seal_key: bytes | None = None,
    ) -> None:
        self._db = db
        self._table = db.table(NOTES_TABLE)
        # Without a vault's key (a repository in memory) signatures verify only here.
        self._seal_key = seal_key or os.urandom(32)
        self._record_event = record_event
        self._plans = plans
        self._clients = clients
        self._check_note = check_note

    # --- reading ---------------------------------------------------------------

    def _docs_for_client(self, client_id: str) -> list[Document]:
        return self._table.search(FieldEquals("client_id", client_id))

    def _stored(self, note_id: str) -> Document | None:
        found = self._table.search(FieldEquals("id", note_id))
        return found[0] if found else None

    def _replace_stored(self, stored: Document, note: SessionNote) -> None:
        # note_to_doc writes every key, so updating the fields replaces the document.
        self._table.update(note_to_doc(note), doc_ids=[stored.doc_id])

    def list_for_client(self, client_id: str, newest: int | None = None) -> list[SessionNote]:
        """The client's notes, newest session first; only the `newest` ones when given."""
        docs = sorted(self._docs_for_client(client_id), key=_chronological, reverse=True)
        return [note_from_doc(doc) for doc in docs[:newest]]

    def all_by_client(self) -> dict[str, list[SessionNote]]:
        """Every note, grouped by client id, newest session first (one pass over the table)."""
        grouped: dict[str, list[Mapping[str, Any]]] = {}
        # Decoding only reads the stored documents, so they need not be copied first.
        self._table.search(
            VisitEach(lambda doc: grouped.setdefault(doc["client_id"], []).append(doc))
        )
        return {
            client_id: [
                note_from_doc(doc) for doc in sorted(docs, key=_chronological, reverse=True)
            ]
            for client_id, docs in grouped.items()
        }

    @property
    def seal_key(self) -> bytes:
        """What this vault seals its signatures with (import verifies against it)."""
        return self._seal_key

    def documents_by_id(self) -> dict[str, Mapping[str, Any]]:
        """Every stored note document by note id, read-only (for import's comparisons)."""
        documents: dict[str, Mapping[str, Any]] = {}
        self._table.search(VisitEach(lambda doc: documents.__setitem__(doc["id"], doc)))
        return documents

    def get(self, note_id: str) -> SessionNote | None:
        doc = self._stored(note_id)
        return note_from_doc(doc) if doc is not None else None

    def _require(self, note_id: str) -> tuple[Document, SessionNote]:
        stored = self._stored(note_id)
        if stored is None:
            raise RecordNotFound("that note is not in the vault; reopen the client")
        return stored, note_from_doc(stored)

    def _earlier_docs(
        self, client_id: str, before: date, exclude_note_id: str | None
    ) -> list[dict[str, Any]]:
        """The client's notes of sessions before `before`, newest first."""
        cutoff = before.isoformat()
        docs = [
            doc
            for doc in self._docs_for_client(client_id)
            if doc["session_date"] < cutoff and doc["id"] != exclude_note_id
        ]
        return sorted(docs, key=_chronological, reverse=True)

    def context_for(
        self,
        client_id: str,
        session_date: date,
        exclude_note_id: str | None = None,
        today: date | None = None,
    ) -> NoteContext:
        """What earlier sessions and the plan say about a session on `session_date`."""
        earlier = self._earlier_docs(client_id, session_date, exclude_note_id)
        latest_scores: dict[str, PreviousScore] = {}
        for doc in earlier:
            for score in doc.get("scores", ()):
                if score["instrument"] not in latest_scores:
                    latest_scores[score["instrument"]] = PreviousScore(
                        instrument=Instrument(score["instrument"]),
                        date=date.fromisoformat(doc["session_date"]),
                        score=score["score"],
                    )
        previous_text = next((doc["text"] for doc in earlier if doc.get("text", "").strip()), None)
        plan = self._plans.get(client_id)
        held_before = [doc for doc in earlier if _held(doc)]
        return NoteContext(
            session_number=len(held_before) + 1,
            previous_session_date=(
                date.fromisoformat(held_before[0]["session_date"]) if held_before else None
            ),
            previous_scores=tuple(latest_scores.values()),
            previous_note_text=previous_text,
            plan_date=plan.plan_date,
            plan_review_date=plan.review_date,
            today=today,
        )

    def last_note(self, client_id: str, before: date | None = None) -> SessionNote | None:
        """The most recent note of a held session (before `before`): the carry-forward source."""
        docs = self._docs_for_client(client_id)
        if before is not None:
            docs = [doc for doc in docs if doc["session_date"] < before.isoformat()]
        held = [doc for doc in docs if _held(doc)]
        if not held:
            return None
        return note_from_doc(max(held, key=_chronological))

    def summary(self) -> dict[str, ClientSummary]:
        """Per client id: last session held, drafts awaiting signature, note count."""
        last: dict[str, str] = {}
        drafts: dict[str, int] = {}
        counts: dict[str, int] = {}

        def count(doc: Mapping[str, Any]) -> None:
            client_id = doc["client_id"]
            counts[client_id] = counts.get(client_id, 0) + 1
            if doc.get("status") == NoteStatus.DRAFT.value:
                drafts[client_id] = drafts.get(client_id, 0) + 1
            if _held(doc) and doc["session_date"] > last.get(client_id, ""):
                last[client_id] = doc["session_date"]

        self._table.search(VisitEach(count))
        client_ids = self._clients.ids() | set(counts)
        return {
            client_id: ClientSummary(
                last_session=date.fromisoformat(last[client_id]) if client_id in last else None,
                drafts_awaiting_signature=drafts.get(client_id, 0),
                note_count=counts.get(client_id, 0),
            )
            for client_id in client_ids
        }

    # --- writing ---------------------------------------------------------------

    def save_draft(self, note: SessionNote, now: datetime | None = None) -> SessionNote:
        """Insert or update a draft; a signed note (here or in the vault) is refused."""
        ensure_editable(note)
        stored = self._stored(note.id)
        if stored is not None and stored.get("status") == NoteStatus.SIGNED.value:
            ensure_editable(note_from_doc(stored))
        if self._clients.get(note.client_id) is None:
            raise RecordNotFound("the note's client is not in the vault; reopen the caseload")
        moment = now or local_now()
        created_at = note.created_at
        if stored is not None and stored.get("created_at"):
            created_at = datetime.fromisoformat(stored["created_at"])
        saved = replace(note, created_at=created_at or moment, updated_at=moment)
        if stored is None:
            self._table.insert(note_to_doc(saved))
            self._record_event("draft_created", note.id)
        else:
            self._replace_stored(stored, saved)
        return saved

    def delete_draft(self, note_id: str) -> bool:
        """Delete a draft and its psychotherapy note, in one commit; signed notes stay.

        The psychotherapy note is reached only through its draft: kept alone, it would
        stay in the vault where the app can no longer show it. Returns whether one went.
        """
        stored, note = self._require(note_id)
        ensure_editable(note)
        removed_process_notes: list[Any] = []

        def remove_draft(documents: MutableMapping[Any, Any]) -> None:
            del documents[stored.doc_id]

        def remove_process_notes(documents: MutableMapping[Any, Any]) -> None:
            # Found here, against the state this commit is written over.
            removed_process_notes.extend(
                doc_id for doc_id in list(documents) if documents[doc_id]["note_id"] == note_id
            )
            for doc_id in removed_process_notes:
                del documents[doc_id]

        write_tables_at_once(
            self._db, {NOTES_TABLE: remove_draft, PSYCHOTHERAPY_NOTES_TABLE: remove_process_notes}
        )
        self._record_event("draft_deleted", note_id)
        if removed_process_notes:
            self._record_event(EVENT_DELETED, note_id)
        return bool(removed_process_notes)

    def duplicate_findings(self, note: SessionNote) -> list[Finding]:
        """NOTE-DUPLICATE when a signed note for the same date and service exists (the editor
        shows it live; signing refuses it)."""
        return self._duplicate_findings(note)

    def _duplicate_findings(self, note: SessionNote) -> list[Finding]:
        session = note.details.session
        for doc in self._docs_for_client(note.client_id):
            if (
                doc["id"] != note.id
                and doc.get("status") == NoteStatus.SIGNED.value
                and doc["session_date"] == session.date.isoformat()
                and doc.get("service") == session.service.value
            ):
                return [
                    Finding(
                        RULE_DUPLICATE_NOTE,
                        Severity.ERROR,
                        "Header",
                        f"A signed {session.service.value} note for this client on "
                        f"{session.date.isoformat()} already exists; one note per date and "
                        "service: add an addendum to that note instead.",
                        field="session.date",
                    )
                ]
        return []

    def findings_before_signing(
        self, note: SessionNote, today: date | None = None
    ) -> list[Finding]:
        """The checks as signing runs them: with this client's history and plan."""
        context = self.context_for(
            note.client_id, note.details.session.date, exclude_note_id=note.id, today=today
        )
        details = replace(note.details, context=context)
        return [*self._check_note(details, note.text), *self._duplicate_findings(note)]

    def sign(self, note_id: str, settings: Settings, now: datetime | None = None) -> SessionNote:
        """Sign the stored draft; raises SigningRefused listing every blocking finding."""
        stored, note = self._require(note_id)
        ensure_editable(note)
        moment = now or local_now()
        findings = self.findings_before_signing(note, today=moment.date())
        signed = sign_note(note, settings, findings, moment)
        assert signed.signature is not None
        signed = replace(signed, signature=sealed(self._seal_key, note.id, signed.signature))
        self._replace_stored(stored, signed)
        self._record_event("signed", note_id)
        return signed

    def add_addendum(
        self,
        note_id: str,
        text: str,
        reason: str,
        settings: Settings,
        now: datetime | None = None,
    ) -> SessionNote:
        """Append a signed addendum to a signed note; the original stays as signed."""
        stored, note = self._require(note_id)
        amended = add_addendum(note, text, reason, settings, now)
        *earlier, added = amended.addenda
        added = replace(added, signature=sealed(self._seal_key, added.id, added.signature))
        amended = replace(amended, addenda=(*earlier, added))
        self._replace_stored(stored, amended)
        self._record_event("addendum", note_id)
        return amended
