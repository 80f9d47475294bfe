"""Repositories: clients, plans, notes and settings kept in the vault's TinyDB.

Documents carry their object's `id` and are found by it (TinyDB doc ids are
not stable across an import). Each change is one TinyDB call, so one vault
commit, followed by its audit event; audit events never carry note text.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from tinydb import Query, TinyDB

from core.notes.model import Client, ClientStatus, Settings, TreatmentPlan
from storage.records.codec import (
    SETTINGS_DOC_ID,
    client_from_doc,
    client_to_doc,
    plan_from_doc,
    plan_to_doc,
    settings_from_doc,
    settings_to_doc,
)
from storage.records.errors import RecordInvalid, RecordNotFound
from storage.records.group_rosters import GroupRosterRepository
from storage.records.notes import (
    NOTES_TABLE,
    RULE_DUPLICATE_NOTE,
    CheckNote,
    ClientSummary,
    NoteRepository,
    RecordEvent,
    default_check_note,
)
from storage.records.psychotherapy_notes import PsychotherapyNoteRepository
from storage.records.table_conditions import VisitEach

__all__ = [
    "CLIENTS_TABLE",
    "NOTES_TABLE",
    "PLANS_TABLE",
    "RULE_DUPLICATE_NOTE",
    "SETTINGS_TABLE",
    "ClientRepository",
    "ClientSummary",
    "NoteRepository",
    "PlanRepository",
    "RecordInvalid",
    "RecordNotFound",
    "Repositories",
    "SettingsRepository",
]

CLIENTS_TABLE = "clients"
PLANS_TABLE = "plans"
SETTINGS_TABLE = "settings"

_by_id = Query().id
_by_client = Query().client_id


class VaultLike(Protocol):
    db: TinyDB

    def record_event(self, event: str, record_id: str | None = None) -> None: ...


class ClientRepository:
    def __init__(self, db: TinyDB, record_event: RecordEvent) -> None:
        self._table = db.table(CLIENTS_TABLE)
        self._record_event = record_event

    def list(self, status: ClientStatus | None = None) -> list[Client]:
        """Clients by name, optionally only those with the given status."""
        clients = [client_from_doc(doc) for doc in self._table.all()]
        if status is not None:
            clients = [client for client in clients if client.status is status]
        return sorted(clients, key=lambda client: (client.name.casefold(), client.code))

    def ids(self) -> set[str]:
        """Every client's id, read without decoding the clients."""
        found: set[str] = set()
        self._table.search(VisitEach(lambda doc: found.add(doc["id"])))
        return found

    def get(self, client_id: str) -> Client | None:
        doc = self._table.get(_by_id == client_id)
        return client_from_doc(doc) if doc is not None else None

    def find_by_code(self, code: str) -> Client | None:
        """The client with this code, ignoring case and surrounding spaces."""
        wanted = code.strip().casefold()
        doc = self._table.get(Query().code.test(lambda value: value.strip().casefold() == wanted))
        return client_from_doc(doc) if doc is not None else None

    def save(self, client: Client) -> None:
        """Insert or update by id; a client code belongs to one client only."""
        if not client.name.strip():
            raise RecordInvalid("the client needs a name")
        if not client.code.strip():
            raise RecordInvalid("the client needs a code (the identifier printed on notes)")
        holder = self.find_by_code(client.code)
        if holder is not None and holder.id != client.id:
            raise RecordInvalid(
                f"client code {client.code.strip()} is already used by another client; "
                "choose a different code"
            )
        self._table.upsert(client_to_doc(client), _by_id == client.id)
        self._record_event("client_saved", client.id)

    def discharge(self, client_id: str) -> Client:
        client = self.get(client_id)
        if client is None:
            raise RecordNotFound("that client is not in the vault; reopen the caseload")
        discharged = replace(client, status=ClientStatus.DISCHARGED)
        self._table.update(client_to_doc(discharged), _by_id == client_id)
        self._record_event("client_discharged", client_id)
        return discharged


class PlanRepository:
    def __init__(self, db: TinyDB, record_event: RecordEvent) -> None:
        self._table = db.table(PLANS_TABLE)
        self._record_event = record_event

    def get(self, client_id: str) -> TreatmentPlan:
        """The client's plan, or an empty plan when none was written yet."""
        doc = self._table.get(_by_client == client_id)
        return plan_from_doc(doc) if doc is not None else TreatmentPlan(client_id=client_id)

    def exists(self, client_id: str) -> bool:
        return self._table.contains(_by_client == client_id)

    def save(self, plan: TreatmentPlan) -> None:
        self._table.upsert(plan_to_doc(plan), _by_client == plan.client_id)
        self._record_event("plan_saved", plan.client_id)


class SettingsRepository:
    def __init__(self, db: TinyDB, record_event: RecordEvent) -> None:
        self._table = db.table(SETTINGS_TABLE)
        self._record_event = record_event

    def load(self) -> Settings:
        return settings_from_doc(self._table.get(_by_id == SETTINGS_DOC_ID))

    def save(self, settings: Settings) -> None:
        self._table.upsert(settings_to_doc(settings), _by_id == SETTINGS_DOC_ID)
        self._record_event("settings_saved")


class Repositories:
    """The four repositories over one open vault."""

    def __init__(
        self,
        db: TinyDB,
        record_event: RecordEvent,
        check_note: CheckNote = default_check_note,
        seal_key: bytes | None = None,
    ) -> None:
        self.db = db
        self.record_event = record_event
        self.clients = ClientRepository(db, record_event)
        self.plans = PlanRepository(db, record_event)
        self.notes = NoteRepository(
            db, record_event, self.plans, self.clients, check_note, seal_key=seal_key
        )
        self.settings = SettingsRepository(db, record_event)
        # Their own table: never part of a progress note's document (45 CFR 164.501).
        self.psychotherapy_notes = PsychotherapyNoteRepository(db, record_event)
        self.group_rosters = GroupRosterRepository(db, record_event)

    @classmethod
    def from_vault(cls, vault: VaultLike) -> Repositories:
        """The repositories of an open vault; signatures from before seals are sealed once."""
        seal_key = vault.seal_key() if hasattr(vault, "seal_key") else None
        repos = cls(vault.db, vault.record_event, seal_key=seal_key)
        if seal_key is not None:
            from storage.records.signature_seals import seal_existing_signatures

            seal_existing_signatures(vault.db, seal_key, vault.record_event)
        return repos
