"""A vault stand-in for repository and widget tests: TinyDB in memory, audit events in a list."""

from __future__ import annotations

from tinydb import TinyDB
from tinydb.storages import MemoryStorage


class MemoryVault:
    """The vault's shape that the repositories use (db, record_event), kept in memory."""

    def __init__(self) -> None:
        self.db = TinyDB(storage=MemoryStorage)
        self.events: list[tuple[str, str | None]] = []

    def record_event(self, event: str, record_id: str | None = None) -> None:
        self.events.append((event, record_id))
