"""TinyDB tables over FrameStorage: each write touches only the documents it changes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from typing import Any, cast

from tinydb import TinyDB
from tinydb.table import Document, Table

from storage.vault.errors import AppendOnlyTable
from storage.vault.frame_storage import Changes, FrameStorage, copy_json

AUDIT_TABLE = "audit"
APPEND_ONLY_TABLES = frozenset({AUDIT_TABLE})


class DetachedDocument(Document):
    """A Document that shares nothing with the vault's memory, so editing it changes nothing."""

    def __init__(self, value: Mapping[str, Any], doc_id: int) -> None:
        super().__init__({key: copy_json(item) for key, item in value.items()}, doc_id)


class TableEdit(MutableMapping[Any, dict[str, Any]]):
    """The working table TinyDB's updaters change: copies a document only when it is touched."""

    def __init__(self, committed: dict[str, dict[str, Any]] | None, id_class: type) -> None:
        self._committed = committed if committed is not None else {}
        self._id_class = id_class
        self._touched: dict[str, dict[str, Any]] = {}
        self._removed: set[str] = set()
        self._cleared = False

    def _in_committed(self, key: str) -> bool:
        return not self._cleared and key not in self._removed and key in self._committed

    def __contains__(self, doc_id: object) -> bool:
        key = str(doc_id)
        return key in self._touched or self._in_committed(key)

    def __getitem__(self, doc_id: Any) -> dict[str, Any]:
        key = str(doc_id)
        if key in self._touched:
            return self._touched[key]
        if not self._in_committed(key):
            raise KeyError(doc_id)
        document: dict[str, Any] = copy_json(self._committed[key])
        self._touched[key] = document
        return document

    def __setitem__(self, doc_id: Any, document: dict[str, Any]) -> None:
        key = str(doc_id)
        self._touched[key] = document
        self._removed.discard(key)

    def __delitem__(self, doc_id: Any) -> None:
        key = str(doc_id)
        if key not in self:
            raise KeyError(doc_id)
        self._touched.pop(key, None)
        self._removed.add(key)

    def _keys(self) -> list[str]:
        keys = [] if self._cleared else [k for k in self._committed if k not in self._removed]
        keys.extend(key for key in self._touched if key not in self._committed or self._cleared)
        return keys

    def __iter__(self) -> Iterator[Any]:
        return (self._id_class(key) for key in self._keys())

    def __len__(self) -> int:
        return len(self._keys())

    def clear(self) -> None:
        self._cleared = True
        self._touched.clear()
        self._removed.clear()

    def changes(self, table: str) -> Changes:
        changes = Changes()
        if self._cleared:
            changes.drops.add(table)
            changes.puts[table] = dict(self._touched)
            return changes
        puts = {
            key: document
            for key, document in self._touched.items()
            if self._committed.get(key) != document
        }
        if puts:
            changes.puts[table] = puts
        deletes = self._removed & self._committed.keys()
        if deletes:
            changes.deletes[table] = deletes
        return changes

    def only_adds_documents(self) -> bool:
        return (
            not self._cleared
            and not self._removed
            and not (self._touched.keys() & self._committed.keys())
        )


class VaultTable(Table):
    """A TinyDB Table whose writes send only their changed documents to the storage."""

    document_class = DetachedDocument

    @property
    def _frames(self) -> FrameStorage:
        return self._storage  # type: ignore[return-value]

    def _read_table(self) -> dict[str, Mapping[str, Any]]:
        return cast(dict[str, Mapping[str, Any]], self._frames.committed_table(self.name) or {})

    def _get_next_id(self) -> int:
        with self._frames.mutex:  # two saving threads must not get the same id
            next_id: int = super()._get_next_id()  # type: ignore[no-untyped-call]  # untyped in TinyDB
            return next_id

    def _update_table(self, updater: Callable[[dict[int, Mapping[str, Any]]], None]) -> None:
        with self._frames.mutex:  # edit and commit against one committed state
            self._update_table_locked(updater)

    def _update_table_locked(self, updater: Callable[[dict[int, Mapping[str, Any]]], None]) -> None:
        committed = self._frames.committed_table(self.name)
        edit = TableEdit(committed, self.document_id_class)
        updater(edit)  # type: ignore[arg-type]
        if self.name in APPEND_ONLY_TABLES and not edit.only_adds_documents():
            raise AppendOnlyTable(self.name)
        changes = edit.changes(self.name)
        if committed is None and self.name not in changes.puts:
            changes.puts[self.name] = {}  # the table now exists, as TinyDB expects
        self._frames.commit(changes)
        self.clear_cache()

    # TinyDB honours a caller's id when given a Document (isinstance(doc, document_class));
    # ours is DetachedDocument, so any other Document is converted first, keeping its id.
    def _with_own_class(self, document: Mapping[str, Any]) -> Mapping[str, Any]:
        if isinstance(document, Document) and not isinstance(document, self.document_class):
            return self.document_class(document, document.doc_id)
        return document

    def insert(self, document: Mapping[str, Any]) -> int:
        return super().insert(self._with_own_class(document))

    def insert_multiple(self, documents: Iterable[Mapping[str, Any]]) -> list[int]:
        return super().insert_multiple([self._with_own_class(doc) for doc in documents])

    def upsert(self, document: Mapping[str, Any], cond: Any = None) -> list[int]:
        return super().upsert(self._with_own_class(document), cond)

    def _matching_ids(self, cond: Callable[[Mapping[str, Any]], bool]) -> list[int]:
        # Conditions run on committed documents (read-only), so only matches get copied.
        return [
            self.document_id_class(key)
            for key, document in self._read_table().items()
            if cond(document)
        ]

    def update(
        self, fields: Any, cond: Any = None, doc_ids: Iterable[int] | None = None
    ) -> list[int]:
        if doc_ids is None and cond is not None:
            return super().update(fields, doc_ids=self._matching_ids(cond))
        return super().update(fields, cond, doc_ids)

    def remove(self, cond: Any = None, doc_ids: Iterable[int] | None = None) -> list[int]:
        if doc_ids is None and cond is not None:
            return super().remove(doc_ids=self._matching_ids(cond))
        return super().remove(cond, doc_ids)

    def update_multiple(self, updates: Iterable[tuple[Any, Any]]) -> list[int]:
        updates = list(updates)
        # A document no condition matches as stored is never changed by the loop below.
        candidates = self._matching_ids(lambda doc: any(cond(doc) for _, cond in updates))
        updated_ids: list[int] = []

        def updater(table: MutableMapping[int, dict[str, Any]]) -> None:
            for doc_id in candidates:
                for fields, cond in updates:
                    if cond(table[doc_id]):
                        updated_ids.append(doc_id)
                        if callable(fields):
                            fields(table[doc_id])
                        else:
                            table[doc_id].update(fields)

        self._update_table(updater)  # type: ignore[arg-type]
        return updated_ids


class VaultDB(TinyDB):
    """TinyDB on a vault: VaultTable tables, cheap table listing, an append-only audit table."""

    table_class = VaultTable

    @property
    def _frames(self) -> FrameStorage:
        return self.storage  # type: ignore[return-value]

    def tables(self) -> set[str]:
        return self._frames.table_names()

    def drop_table(self, name: str) -> None:
        if name in APPEND_ONLY_TABLES:
            raise AppendOnlyTable(name)
        with self._frames.mutex:
            if name in self._frames.table_names():
                self._frames.commit(Changes(drops={name}))
            self._tables.pop(name, None)

    def drop_tables(self) -> None:
        """Drop every table except the append-only audit trail."""
        for name in self._frames.table_names() - APPEND_ONLY_TABLES:
            self.drop_table(name)
        self._tables.clear()
