"""Clients in the vault: found by id or by code, a code belonging to one client only."""

from __future__ import annotations

from dataclasses import replace

from tinydb import Query, TinyDB

from core.notes.model import Client, ClientStatus
from storage.records.codec import client_from_doc, client_to_doc
from storage.records.errors import RecordInvalid, RecordNotFound
from storage.records.record_types import RecordEvent
from storage.records.table_conditions import VisitEach

CLIENTS_TABLE = "clients"

_by_id = Query().id


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
