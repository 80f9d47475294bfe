"""Export the vault (JSON document or Markdown files) and import an export back.

Exports are plaintext PHI: every file is created 0600 and every folder 0700.
Import is keyed by ids, so importing the same file twice changes nothing the
second time, and a signed note in the vault is never replaced by a different one.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb import Query
from tinydb.table import Table

from core.notes.model import Client, NoteStatus, SessionNote, TreatmentPlan
from core.notes.psychotherapy_note import PsychotherapyNote
from core.notes.records import (
    UNVERIFIED_LABEL,
    local_now,
    render_note_with_addenda,
    unverified_signature_count,
    verified_signatures,
)
from storage.records.clients import CLIENTS_TABLE
from storage.records.codec import client_to_doc, note_from_doc, note_to_doc, plan_to_doc
from storage.records.errors import RecordNotFound
from storage.records.export_document import (
    ExportedClient,
    build_document,
    client_entry,
    read_document,
)
from storage.records.notes import NOTES_TABLE
from storage.records.plans import PLANS_TABLE
from storage.records.psychotherapy_notes import (
    EVENT_EXPORTED,
    EVENT_IMPORTED,
    PSYCHOTHERAPY_NOTES_TABLE,
)
from storage.records.repositories import Repositories
from storage.vault import audit
from storage.vault.batch_write import TableUpdater, next_doc_id, write_tables_at_once
from storage.vault.private_file import write_private_file
from storage.vault.tables import AUDIT_TABLE, VaultDB

_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class ExportTargetExists(Exception):
    """Files of the Markdown export already exist; none was written or replaced."""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        super().__init__(
            f"{len(paths)} file(s) of this export already exist in {paths[0].parent} "
            f"(first: {paths[0].name}); nothing was written; move them away or choose "
            "an empty folder"
        )


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
    psychotherapy_notes_imported: int = 0
    kept_from_vault: list[str] = field(default_factory=list)

    def summary_line(self) -> str:
        return (
            f"imported {self.clients_added} new and {self.clients_updated} updated client(s), "
            f"{self.plans_updated} plan(s), {self.notes_added} new and {self.notes_updated} "
            f"updated note(s), {self.addenda_added} addend(a); {self.notes_unchanged} note(s) "
            f"already up to date; {len(self.kept_from_vault)} kept as in the vault"
            + (
                f"; {self.psychotherapy_notes_imported} psychotherapy note(s)"
                if self.psychotherapy_notes_imported
                else ""
            )
        )


# --- files ----------------------------------------------------------------------------


def export_target_problem(target: Path, vault_path: Path) -> str | None:
    """Why `target` must not receive an export (one line), or None when it is a new file."""
    from storage.vault.file import backup_path_for
    from storage.vault.lock import lock_path_for
    from storage.vault.unlock_failures import failures_path_for

    vault_files = {
        vault_path: "the vault itself",
        backup_path_for(vault_path): "the vault's backup (.bak)",
        lock_path_for(vault_path): "the vault's lock file",
        failures_path_for(vault_path): "the vault's record of failed unlocks",
    }
    resolved = target.resolve()
    for path, what in vault_files.items():
        if resolved == path.resolve():
            return f"{target} is {what}; choose another file for the export"
    try:
        found = os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError as error:
        return f"cannot check {target} ({error.strerror}); choose another file"
    if not stat.S_ISREG(found.st_mode):
        return f"{target} exists and is not a regular file; choose a new file name"
    for path, what in vault_files.items():
        if path.exists() and os.path.samefile(target, path):
            return f"{target} is another name for {what}; choose another file for the export"
    return f"{target} already exists; exports never replace a file: choose a new name"


def markdown_file_name(client: Client, note: SessionNote) -> str:
    """`<client code>_<date>_<note id prefix>.md`: no client name in the file system."""
    code = _UNSAFE_IN_FILE_NAME.sub("_", client.code.strip()).strip("._") or "client"
    # Ids are checked on import; one stored before that check is made safe here too.
    note_id = _UNSAFE_IN_FILE_NAME.sub("_", note.id[:8]).strip("._") or "note"
    return f"{code}_{note.details.session.date.isoformat()}_{note_id}.md"


def note_as_markdown(note: SessionNote) -> str:
    """The note as a reader of the record sees it: text, signature line, addenda."""
    text = render_note_with_addenda(note)
    if note.status is NoteStatus.DRAFT:
        return f"> DRAFT: not signed; not part of the record until signed.\n\n{text}"
    unverified = unverified_signature_count(note)
    if unverified:
        count = f"{unverified} signature{'' if unverified == 1 else 's'}"
        return f"> {UNVERIFIED_LABEL.capitalize()}: {count} this vault could not verify.\n\n{text}"
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
    repos: Repositories,
    client_code: str | None = None,
    now: datetime | None = None,
    include_psychotherapy_notes: bool = False,
) -> dict[str, Any]:
    """The export document for every client, or for the one with `client_code`.

    Psychotherapy notes (45 CFR 164.501) are left out unless asked for.
    """
    clients = _selected_clients(repos, client_code)
    note_docs: dict[str, list[Mapping[str, Any]]] = {}
    for doc in repos.notes.documents_by_id().values():
        note_docs.setdefault(doc["client_id"], []).append(doc)
    process_docs = (
        repos.psychotherapy_notes.documents_by_client() if include_psychotherapy_notes else {}
    )
    entries = [
        client_entry(
            client,
            repos.plans.get(client.id),
            note_docs.get(client.id, []),
            process_docs.get(client.id, []) if include_psychotherapy_notes else None,
        )
        for client in clients
    ]
    document = build_document(entries, now or local_now())
    _audit_export(repos, clients, client_code)
    if include_psychotherapy_notes:
        repos.record_event(EVENT_EXPORTED, clients[0].id if client_code is not None else None)
    return document


# JSON leaves these raw with ensure_ascii=False: C1 controls reach a terminal as
# escapes, a lone surrogate cannot be encoded at all. In JSON they only occur
# inside strings, where \uXXXX says the same thing.
_RAW_IN_JSON = re.compile(r"[\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def export_json(
    repos: Repositories, client_code: str | None = None, include_psychotherapy_notes: bool = False
) -> str:
    document = export_data(
        repos, client_code, include_psychotherapy_notes=include_psychotherapy_notes
    )
    text = json.dumps(document, indent=2, ensure_ascii=False)
    return _RAW_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text) + "\n"


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
    planned = [
        (directory / markdown_file_name(client, note), note)
        for client in clients
        for note in notes.get(client.id, [])
    ]
    existing = [path for path, _note in planned if os.path.lexists(path)]
    if existing:
        raise ExportTargetExists(existing)
    written = []
    for path, note in planned:
        write_private_file(path, note_as_markdown(note))  # exclusive: a file made since is kept
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

    def updater(self, table: Table) -> TableUpdater:
        """What inserts the new documents and replaces the changed ones, for one commit."""
        doc_ids: list[int] = []
        if self.replacements:
            wanted = Query()[self.key].one_of(list(self.replacements))
            doc_ids = [doc.doc_id for doc in table.search(wanted)]

        def update(documents: MutableMapping[Any, Any]) -> None:
            for doc_id in doc_ids:
                replacement = self.replacements[documents[doc_id][self.key]]
                documents[doc_id] = dict(replacement)
            next_id = next_doc_id(documents)
            for offset, doc in enumerate(self.new):
                documents[table.document_id_class(next_id + offset)] = dict(doc)

        return update


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
    psychotherapy_notes: list[PsychotherapyNote] = []

    for entry in exported:
        if not _import_client(repos, entry, report, clients):
            continue
        psychotherapy_notes.extend(entry.psychotherapy_notes)
        _import_plan(repos, entry.plan, report, plans)
        for imported in entry.notes:
            # A seal made by another vault, or forged, does not verify: kept, shown unverified.
            note = verified_signatures(imported, repos.notes.seal_key)
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

    # Psychotherapy notes join the same commit: an import is all or nothing.
    process_writes = _TableWrites("id")
    new_process, changed_process = repos.psychotherapy_notes.import_changes(psychotherapy_notes)
    for doc in new_process:
        process_writes.insert(doc)
    for doc in changed_process:
        process_writes.overwrite(doc)
    report.psychotherapy_notes_imported = len(new_process) + len(changed_process)

    db = repos.db
    updaters = {
        CLIENTS_TABLE: clients.updater(db.table(CLIENTS_TABLE)),
        PLANS_TABLE: plans.updater(db.table(PLANS_TABLE)),
        NOTES_TABLE: notes.updater(db.table(NOTES_TABLE)),
        PSYCHOTHERAPY_NOTES_TABLE: process_writes.updater(db.table(PSYCHOTHERAPY_NOTES_TABLE)),
    }
    if isinstance(db, VaultDB):
        # The audit row joins the same commit: an import is recorded exactly when it happened.
        audit_row = audit.audit_entry("imported")
        updaters[AUDIT_TABLE] = lambda documents: documents.__setitem__(
            next_doc_id(documents), audit_row
        )
        write_tables_at_once(db, updaters)
    else:
        write_tables_at_once(db, updaters)
        repos.record_event("imported")
    if report.psychotherapy_notes_imported:
        repos.record_event(EVENT_IMPORTED)  # the audit log records access to them
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
