"""Changes to several tables saved as one vault commit: all of them, or none.

An import adds clients, plans, notes and its audit row; saved table by table,
a full disk or a bad value half-way left a client without its notes. Here each
table's changes are prepared against the committed state, merged, and written
as one encrypted frame: if that frame cannot be written, nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from typing import Any

from tinydb import TinyDB

from storage.vault.errors import AppendOnlyTable
from storage.vault.frame_storage import Changes
from storage.vault.tables import APPEND_ONLY_TABLES, TableEdit, VaultDB

# Changes one table's documents (doc id -> document), as TinyDB's updaters do.
TableUpdater = Callable[[MutableMapping[Any, Any]], None]


def next_doc_id(documents: Mapping[Any, Any]) -> int:
    """The doc id an insert into `documents` takes: one past the largest in use."""
    return max((int(doc_id) for doc_id in documents), default=0) + 1


def _merge(into: Changes, changes: Changes) -> None:
    into.drops |= changes.drops
    for name, ids in changes.deletes.items():
        into.deletes.setdefault(name, set()).update(ids)
    for name, documents in changes.puts.items():
        into.puts.setdefault(name, {}).update(documents)


def write_tables_at_once(db: TinyDB, updaters: Mapping[str, TableUpdater]) -> bool:
    """Apply each table's updater and save the lot as one commit; True when it was one.

    A plain TinyDB (tests keep one in memory) has no commits to join: its tables
    are updated one after another, and False says so.
    """
    if not isinstance(db, VaultDB):
        for name, updater in updaters.items():
            table = db.table(name)
            table._update_table(updater)
            table._next_id = None
        return False
    frames = db._frames
    with frames.mutex:  # prepared and written against one committed state
        merged = Changes()
        for name, updater in updaters.items():
            committed = frames.committed_table(name)
            edit = TableEdit(committed, db.table(name).document_id_class)
            updater(edit)
            if name in APPEND_ONLY_TABLES and not edit.only_adds_documents():
                raise AppendOnlyTable(name)
            changes = edit.changes(name)
            if committed is None and name not in changes.puts:
                changes.puts[name] = {}  # the table now exists, as TinyDB expects
            _merge(merged, changes)
        frames.commit(merged)
        for name in updaters:
            table = db.table(name)
            table.clear_cache()
            table._next_id = None  # inserts happened behind TinyDB's id counter
    return True
