"""The practice's settings in the vault: one document, defaults until saved."""

from __future__ import annotations

from tinydb import Query, TinyDB

from core.notes.model import Settings
from storage.records.codec import SETTINGS_DOC_ID, settings_from_doc, settings_to_doc
from storage.records.record_types import RecordEvent

SETTINGS_TABLE = "settings"

_by_id = Query().id


class SettingsRepository:
    def __init__(self, db: TinyDB, record_event: RecordEvent) -> None:
        self._table = db.table(SETTINGS_TABLE)
        self._record_event = record_event

    def load(self) -> Settings:
        return settings_from_doc(self._table.get(_by_id == SETTINGS_DOC_ID))

    def save(self, settings: Settings) -> None:
        self._table.upsert(settings_to_doc(settings), _by_id == SETTINGS_DOC_ID)
        self._record_event("settings_saved")
