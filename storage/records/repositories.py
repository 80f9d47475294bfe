"""The repositories over one open vault: clients, plans, notes, settings, psychotherapy notes, groups.

Each record kind has its own module (storage.records.clients, .plans, .notes,
.settings, ...). Documents carry their object's `id` and are found by it (TinyDB
doc ids are not stable across an import). Each change is one TinyDB call, so one
vault commit, followed by its audit event; audit events never carry note text.
"""

from __future__ import annotations

from tinydb import TinyDB

from storage.records.clients import ClientRepository
from storage.records.group_rosters import GroupRosterRepository
from storage.records.notes import NoteRepository, default_check_note
from storage.records.plans import PlanRepository
from storage.records.psychotherapy_notes import PsychotherapyNoteRepository
from storage.records.record_types import CheckNote, RecordEvent, VaultLike
from storage.records.settings import SettingsRepository

__all__ = ["Repositories"]


class Repositories:
    """Every repository over one open vault."""

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
