"""A TinyDB Storage that keeps documents in memory and saves each commit as one encrypted frame."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from storage.vault.errors import UnserializableValue, VaultClosed
from storage.vault.file import VaultFile
from storage.vault.kdf import KdfParams

Tables = dict[str, dict[str, dict[str, Any]]]

SNAPSHOT_DOCS_PER_FRAME = 1024
# Compact once the appended frames outweigh half the snapshot (and at least this much):
# each save stays one small append, and the rewrite cost is spread over many saves.
COMPACT_AFTER_BYTES = 8 * 1024 * 1024


def copy_json(value: Any) -> Any:
    """A deep copy of parsed JSON (dicts, lists, scalars), much faster than copy.deepcopy."""
    if type(value) is dict:
        return {key: copy_json(item) for key, item in value.items()}
    if type(value) is list:
        return [copy_json(item) for item in value]
    return value


def encode_json(payload: Any) -> bytes:
    try:
        text = json.dumps(payload, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return text.encode("utf-8")
    except TypeError as error:
        raise UnserializableValue(_offending_type(error)) from None
    except ValueError:  # NaN, infinity, a circular reference or a lone surrogate
        raise UnserializableValue("a non-finite number, cycle or invalid text") from None


def _offending_type(error: TypeError) -> str:
    # "Object of type datetime is not JSON serializable" / "keys must be str, ..., not tuple"
    words = str(error).split()
    if "type" in words:
        return words[words.index("type") + 1]
    return words[-1] if words else "unknown"


@dataclass
class Changes:
    """One commit: tables dropped, then documents deleted, then documents put (by str id)."""

    drops: set[str] = field(default_factory=set)
    deletes: dict[str, set[str]] = field(default_factory=dict)
    puts: dict[str, dict[str, Any]] = field(default_factory=dict)

    def is_empty(self) -> bool:
        return not (self.drops or any(self.deletes.values()) or self.puts)

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {}
        if self.drops:
            payload["drop"] = sorted(self.drops)
        deletes = {name: sorted(ids) for name, ids in self.deletes.items() if ids}
        if deletes:
            payload["delete"] = deletes
        if self.puts:
            payload["put"] = self.puts
        return payload


def apply_payload(tables: Tables, payload: dict[str, Any], *, copy_on_write: bool = False) -> None:
    """Apply one decoded frame to the tables.

    With copy_on_write, each changed table becomes a new dict, so a reader in
    another thread that is iterating the old one is never disturbed.
    """
    for name in payload.get("drop", ()):
        tables.pop(name, None)
    changed = set(payload.get("delete", {})) | set(payload.get("put", {}))
    if copy_on_write:
        for name in changed:
            tables[name] = dict(tables.get(name, {}))
    for name, ids in payload.get("delete", {}).items():
        documents = tables.get(name, {})
        for doc_id in ids:
            documents.pop(doc_id, None)
    for name, documents in payload.get("put", {}).items():
        tables.setdefault(name, {}).update(documents)


def snapshot_chunks(tables: Tables) -> Iterator[bytes]:
    """The whole database as payloads of a bounded number of documents each."""
    chunk: dict[str, dict[str, Any]] = {}
    count = 0
    for name, documents in tables.items():
        chunk.setdefault(name, {})
        for doc_id, document in documents.items():
            chunk[name][doc_id] = document
            count += 1
            if count == SNAPSHOT_DOCS_PER_FRAME:
                yield encode_json({"put": chunk})
                chunk, count = {name: {}}, 0
    yield encode_json({"put": chunk})


def diff_tables(old: Tables, new: dict[str, dict[Any, Any]]) -> Changes:
    """What turns `old` into `new`; the slow generic path behind Storage.write."""
    changes = Changes(drops=set(old) - set(new))
    for name, documents in new.items():
        documents = {str(doc_id): document for doc_id, document in documents.items()}
        before = old.get(name)
        if before is None:
            changes.puts[name] = documents
            continue
        puts = {key: doc for key, doc in documents.items() if before.get(key) != doc}
        if puts:
            changes.puts[name] = puts
        removed = set(before) - set(documents)
        if removed:
            changes.deletes[name] = removed
    return changes


class FrameStorage(Storage):
    """Committed state lives in `_tables`; it changes only after its frame is on disk."""

    def __init__(self, vault_file: VaultFile, tables: Tables) -> None:
        self._file: VaultFile | None = vault_file
        self._tables = tables
        self._mutex = threading.RLock()
        self.compaction_error: str | None = None
        self._compaction_backoff = 1

    # -- TinyDB's Storage interface (whole-database, used by rare operations) --
    def read(self) -> Tables:
        """A deep copy: TinyDB mutates what read() returns."""
        return {name: copy_json(documents) for name, documents in self._tables.items()}

    def write(self, data: dict[str, dict[Any, Any]]) -> None:
        with self._mutex:
            self.commit(diff_tables(self._tables, data))

    def close(self) -> None:
        with self._mutex:
            if self._file is not None:
                self._file.close()
                self._file = None

    # -- fast paths used by VaultTable ---------------------------------------
    def committed_table(self, name: str) -> dict[str, dict[str, Any]] | None:
        """The committed documents of one table: read them, never change them.

        Commits replace a changed table's dict instead of editing it, so what
        this returns stays a consistent view even while another thread saves.
        """
        return self._tables.get(name)

    def table_names(self) -> set[str]:
        return set(self._tables)

    def commit(self, changes: Changes) -> None:
        """Append one frame for these changes, then apply them; on any failure apply nothing."""
        if changes.is_empty():
            return
        plaintext = encode_json(changes.to_payload())
        # What the file now holds, parsed back: memory never shares objects with callers.
        canonical = json.loads(plaintext)
        with self._mutex:
            self._open_file().append_delta(plaintext)
            apply_payload(self._tables, canonical, copy_on_write=True)
            self._compact_if_due()

    def _compact_if_due(self) -> None:
        vault_file = self._open_file()
        due_after = max(COMPACT_AFTER_BYTES, vault_file.snapshot_bytes // 2)
        if vault_file.delta_bytes < due_after * self._compaction_backoff:
            return
        try:
            self.compact()
        except Exception as error:  # noqa: BLE001 - the save itself is already durable
            self.compaction_error = str(error)
            self._compaction_backoff *= 2  # retry later, not on every save
        else:
            self.compaction_error = None
            self._compaction_backoff = 1

    def compact(self) -> None:
        """Rewrite the file as one fresh snapshot; raises VaultWriteError and changes nothing on failure."""
        with self._mutex:
            self._open_file().write_new_generation(snapshot_chunks(self._tables))

    def rekey(self, kdf: KdfParams, passphrase: str) -> None:
        with self._mutex:
            self._open_file().rekey(kdf, passphrase)

    def rotate_key(self, kdf: KdfParams, passphrase: str) -> None:
        with self._mutex:
            self._open_file().rotate_key(kdf, passphrase, snapshot_chunks(self._tables))

    def copy_to(self, destination: Path) -> None:
        with self._mutex:
            self._open_file().copy_to(destination)

    def _open_file(self) -> VaultFile:
        if self._file is None:
            raise VaultClosed()
        return self._file

    @property
    def mutex(self) -> threading.RLock:
        """Held while a commit is prepared and written: one writer at a time."""
        return self._mutex

    @property
    def vault_file(self) -> VaultFile:
        return self._open_file()
