"""Group rosters in the vault: a named group and the clients who belong to it.

A roster only lists clients by id; each member's group-session note is that
member's own note in the notes table, never a shared record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tinydb import TinyDB

from core.notes.model import new_id
from storage.records.record_types import RecordEvent
from storage.records.table_conditions import FieldEquals

GROUP_ROSTERS_TABLE = "group_rosters"


@dataclass(frozen=True)
class GroupRoster:
    name: str
    client_ids: tuple[str, ...] = ()
    group_type: str = ""
    id: str = field(default_factory=new_id)


def roster_to_doc(roster: GroupRoster) -> dict[str, Any]:
    return {
        "id": roster.id,
        "name": roster.name,
        "group_type": roster.group_type,
        "client_ids": list(roster.client_ids),
    }


def roster_from_doc(doc: dict[str, Any]) -> GroupRoster:
    return GroupRoster(
        name=doc["name"],
        client_ids=tuple(doc.get("client_ids", ())),
        group_type=doc.get("group_type", ""),
        id=doc["id"],
    )


class GroupRosterRepository:
    def __init__(self, db: TinyDB, record_event: RecordEvent) -> None:
        self._table = db.table(GROUP_ROSTERS_TABLE)
        self._record_event = record_event

    def list(self) -> list[GroupRoster]:
        """Every roster, by name."""
        rosters = [roster_from_doc(doc) for doc in self._table.all()]
        return sorted(rosters, key=lambda roster: roster.name.casefold())

    def find_by_name(self, name: str) -> GroupRoster | None:
        wanted = name.strip().casefold()
        return next((r for r in self.list() if r.name.strip().casefold() == wanted), None)

    def save(self, roster: GroupRoster) -> None:
        """Insert or replace by id."""
        found = self._table.search(FieldEquals("id", roster.id))
        if found:
            self._table.update(roster_to_doc(roster), doc_ids=[found[0].doc_id])
        else:
            self._table.insert(roster_to_doc(roster))
        self._record_event("group_roster_saved", roster.id)
