"""Export the vault (JSON document or Markdown files) and import an export back.

Exports are plaintext PHI: every file is created 0600 and every folder 0700.
Import is keyed by ids, so importing the same file twice changes nothing the
second time, and a signed note in the vault is never replaced by a different one.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb import Query
from tinydb.table import Table

from core.model import Client, NoteStatus, SessionNote, TreatmentPlan
from core.records import local_now, render_note_with_addenda
from storage.codec import client_to_doc, note_from_doc, note_to_doc, plan_to_doc
from storage.export_document import ExportedClient, build_document, client_entry, read_document
from storage.repositories import (
    CLIENTS_TABLE,
    NOTES_TABLE,
    PLANS_TABLE,
    RecordNotFound,
    Repositories,
)

_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class ImportReport:
    """What an import changed, and what it kept from the vault (one line each)."""

    clients_added: int = 0
    clients_updated: int = 0
    plans_updated: int = 0
    notes_added: int = 0
    notes_updated: int = 0
    notes_unchanged: int = 0
    addenda_added: int = 0
    kept_from_vault: list[str] = field(default_factory=list)

    def summary_line(self) -> str:
        return (
            f"imported {self.clients_added} new and {self.clients_updated} updated client(s), "
            f"{self.plans_updated} plan(s), {self.notes_added} new and {self.notes_updated} "
            f"updated note(s), {self.addenda_added} addend(a); {self.notes_unchanged} note(s) "
            f"already up to date; {len(self.kept_from_vault)} kept as in the vault"
        )


# --- files ----------------------------------------------------------------------------


def write_private_file(path: Path, text: str) -> None:
    """Write `text` to `path`, readable by the owner only from the first byte on."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags, 0o600)
    try:
        # An existing file keeps its old mode on open: tighten it before any PHI lands.
        os.fchmod(descriptor, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            descriptor = -1
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    finally:
        if descriptor != -1:
            os.close(descriptor)


def markdown_file_name(client: Client, note: SessionNote) -> str:
    """`<client code>_<date>_<note id prefix>.md`: no client name in the file system."""
    code = _UNSAFE_IN_FILE_NAME.sub("_", client.code.strip()).strip("._") or "client"
    return f"{code}_{note.details.session.date.isoformat()}_{note.id[:8]}.md"


def note_as_markdown(note: SessionNote) -> str:
    """The note as a reader of the record sees it: text, signature line, addenda."""
    text = render_note_with_addenda(note)
    if note.status is NoteStatus.DRAFT:
        return f"> DRAFT: not signed; not part of the record until signed.\n\n{text}"
    return text


# --- export ----------------------------------------------------------------------------


def _selected_clients(repos: Repositories, client_code: str | None) -> list[Client]:
    if client_code is None:
        return repos.clients.list()
    client = repos.clients.find_by_code(client_code)
    if client is None:
        raise RecordNotFound(
            f"no client has the code {client_code.strip()}; check the code, "
            "or leave out --client to export every client"
        )
    return [client]


def _audit_export(repos: Repositories, clients: list[Client], client_code: str | None) -> None:
    repos.record_event("exported", clients[0].id if client_code is not None else None)


def export_data(
    repos: Repositories, client_code: str | None = None, now: datetime | None = None
) -> dict[str, Any]:
    """The export document for every client, or for the one with `client_code`."""
    clients = _selected_clients(repos, client_code)
    note_docs: dict[str, list[Mapping[str, Any]]] = {}
    for doc in repos.notes.documents_by_id().values():
        note_docs.setdefault(doc["client_id"], []).append(doc)
    entries = [
        client_entry(client, repos.plans.get(client.id), note_docs.get(client.id, []))
        for client in clients
    ]
    document = build_document(entries, now or local_now())
    _audit_export(repos, clients, client_code)
    return document


def export_json(repos: Repositories, client_code: str | None = None) -> str:
    return json.dumps(export_data(repos, client_code), indent=2, ensure_ascii=False) + "\n"


def export_markdown(
    repos: Repositories, directory: Path, client_code: str | None = None
) -> list[Path]:
    """One Markdown file per note in `directory` (created 0700); returns the files written."""
    clients = _selected_clients(repos, client_code)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    # One client's export decodes that client's notes only, not the whole table.
    notes = (
        repos.notes.all_by_client()
        if client_code is None
        else {clients[0].id: repos.notes.list_for_client(clients[0].id)}
    )
    written = []
    for client in clients:
        for note in notes.get(client.id, []):
            path = directory / markdown_file_name(client, note)
            write_private_file(path, note_as_markdown(note))
            written.append(path)
    _audit_export(repos, clients, client_code)
    return written


# --- import ----------------------------------------------------------------------------


@dataclass
class _TableWrites:
    """One table's inserts and replacements, queued so nothing is written before all is read."""

    key: str  # the field that identifies a document in this table
    new: list[dict[str, Any]] = field(default_factory=list)
    replacements: dict[str, dict[str, Any]] = field(default_factory=dict)

    def insert(self, doc: dict[str, Any]) -> None:
        self.new.append(doc)

    def overwrite(self, doc: dict[str, Any]) -> None:
        self.replacements[doc[self.key]] = doc

    def write(self, table: Table) -> None:
        """Insert the new documents and replace the changed ones: two TinyDB calls at most."""
        if self.new:
            table.insert_multiple(self.new)
        if self.replacements:
            wanted = Query()[self.key].one_of(list(self.replacements))
            doc_ids = [doc.doc_id for doc in table.search(wanted)]

            def replace_document(doc: MutableMapping[str, Any]) -> None:
                replacement = self.replacements[doc[self.key]]
                doc.clear()
                doc.update(replacement)

            table.update(replace_document, doc_ids=doc_ids)


def _is_newer(first: datetime | None, second: datetime | None) -> bool:
    if first is None or second is None:
        return False
    try:
        return first > second
    except TypeError:  # one has a time zone and the other not: no order to trust
        return False


def _merge_note(
    stored: SessionNote, imported: SessionNote, label: str, report: ImportReport
) -> SessionNote | None:
    """The note to store in place of `stored`, or None to keep the vault's version."""
    if stored.client_id != imported.client_id:
        report.kept_from_vault.append(f"{label}: belongs to another client in the vault; kept")
        return None
    if stored.status is NoteStatus.SIGNED:
        same_record = (
            imported.status is NoteStatus.SIGNED
            and imported.text == stored.text
            and imported.signature == stored.signature
            and imported.addenda[: len(stored.addenda)] == stored.addenda
        )
        if same_record and len(imported.addenda) > len(stored.addenda):
            report.addenda_added += len(imported.addenda) - len(stored.addenda)
            return replace(stored, addenda=imported.addenda, updated_at=imported.updated_at)
        report.kept_from_vault.append(
            f"{label}: signed in the vault and different in the file; kept the vault's version"
        )
        return None
    if imported.status is NoteStatus.DRAFT and _is_newer(stored.updated_at, imported.updated_at):
        report.kept_from_vault.append(f"{label}: the vault's draft is newer; kept it")
        return None
    report.notes_updated += 1
    return imported


def import_data(repos: Repositories, data: object) -> ImportReport:
    """Import an export document; ExportDocumentError lists every problem, nothing written."""
    exported = read_document(data)
    report = ImportReport()
    stored_notes = repos.notes.documents_by_id()
    clients = _TableWrites("id")
    plans = _TableWrites("client_id")
    notes = _TableWrites("id")

    for entry in exported:
        if not _import_client(repos, entry, report, clients):
            continue
        _import_plan(repos, entry.plan, report, plans)
        for note in entry.notes:
            label = f"note {note.id[:8]} ({entry.client.code}, {note.details.session.date})"
            note_doc = note_to_doc(note)
            if note.id not in stored_notes:
                notes.insert(note_doc)
                report.notes_added += 1
                continue
            if stored_notes[note.id] == note_doc:  # the common case, without decoding
                report.notes_unchanged += 1
                continue
            stored = note_from_doc(dict(stored_notes[note.id]))
            if stored == note:
                report.notes_unchanged += 1
                continue
            merged = _merge_note(stored, note, label, report)
            if merged is not None:
                notes.overwrite(note_to_doc(merged))

    clients.write(repos.db.table(CLIENTS_TABLE))
    plans.write(repos.db.table(PLANS_TABLE))
    notes.write(repos.db.table(NOTES_TABLE))
    repos.record_event("imported")
    return report


def _import_client(
    repos: Repositories, entry: ExportedClient, report: ImportReport, clients: _TableWrites
) -> bool:
    """Queue the client's insert or update; False when the vault's client must stay."""
    client = entry.client
    holder = repos.clients.find_by_code(client.code)
    if holder is not None and holder.id != client.id:
        report.kept_from_vault.append(
            f"client {client.code}: another client in the vault has this code; "
            "this client and its notes were not imported"
        )
        return False
    stored = repos.clients.get(client.id)
    if stored is None:
        clients.insert(client_to_doc(client))
        report.clients_added += 1
    elif stored != client:
        clients.overwrite(client_to_doc(client))
        report.clients_updated += 1
    return True


def _import_plan(
    repos: Repositories, plan: TreatmentPlan, report: ImportReport, plans: _TableWrites
) -> None:
    stored = repos.plans.get(plan.client_id)
    if stored == plan:
        return
    if repos.plans.exists(plan.client_id):
        plans.overwrite(plan_to_doc(plan))
    else:
        plans.insert(plan_to_doc(plan))
    report.plans_updated += 1
