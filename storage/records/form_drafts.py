"""What was typed into a form that is not a record yet, kept in the vault until it is.

A treatment summary's options (discharge reason, aftercare plan) and a group session
walked member by member are typed on screens that save no record of their own until
the end. Their entries are kept here, encrypted like everything else in the vault,
so a lock, a hangup or leaving the screen loses none of them; never in a temp file.
An addendum being written to a signed note is kept the same way until it is signed.
One document per form, found by its key ("summary:<client id>", "group-session",
"addendum:<note id>").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tinydb import TinyDB

from core.notes.records import local_now
from storage.records.table_conditions import FieldEquals

FORM_DRAFTS_TABLE = "form_drafts"


def summary_form_key(client_id: str) -> str:
    return f"summary:{client_id}"


GROUP_SESSION_FORM_KEY = "group-session"


def addendum_form_key(note_id: str) -> str:
    """A signed note's addendum being written: its text and reason until it is signed."""
    return f"addendum:{note_id}"


class FormDraftRepository:
    """Each form's typed entries as one JSON object, replaced on every save."""

    def __init__(self, db: TinyDB) -> None:
        self._table = db.table(FORM_DRAFTS_TABLE)

    def get(self, key: str) -> dict[str, Any] | None:
        found = self._table.search(FieldEquals("key", key))
        return dict(found[0]["values"]) if found else None

    def save(self, key: str, values: Mapping[str, Any]) -> None:
        """Keep `values` (JSON: strings, numbers, lists, objects) as the form's entries."""
        document = {"key": key, "values": dict(values), "saved_at": local_now().isoformat()}
        found = self._table.search(FieldEquals("key", key))
        if found:
            self._table.update(document, doc_ids=[found[0].doc_id])
        else:
            self._table.insert(document)

    def keep(self, key: str, values: Mapping[str, Any], untouched: Mapping[str, Any]) -> None:
        """Save `values`, or delete the entry when they are as the form opened (`untouched`):
        nothing typed, nothing kept."""
        if dict(values) == dict(untouched):
            self.delete(key)
        else:
            self.save(key, values)

    def delete(self, key: str) -> None:
        found = self._table.search(FieldEquals("key", key))
        if found:
            self._table.remove(doc_ids=[doc.doc_id for doc in found])
