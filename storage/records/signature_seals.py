"""Sealing the signatures a vault already holds, once, when it is first opened with seals.

Before seals, a signature was a bare SHA-256 of the text, which anyone can
compute, so what an import brought in cannot be told from what this vault
signed. On the first open after the upgrade every signature the vault holds
is trusted as its own (the vault file is encrypted and authenticated, so only
someone with the passphrase put it there) and sealed: one commit, one audit
row `signatures_sealed`. A marker remembers which key sealed them; when the
data key changes (a key rotation) the sealed ones are sealed again under the
new key, and those kept unverified stay unverified.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, MutableMapping
from typing import Any

from tinydb import Query, TinyDB

from core.notes.records import sealed
from storage.records.codec import signature_from_doc, signature_to_doc
from storage.records.notes import NOTES_TABLE
from storage.vault.batch_write import next_doc_id, write_tables_at_once

SEALS_TABLE = "signature_seals"
MARKER_ID = "seal-key"
SEALED_EVENT = "signatures_sealed"


def key_id(key: bytes) -> str:
    """Names the seal key without revealing it."""
    return hmac.new(key, b"clinote seal key id", hashlib.sha256).hexdigest()[:16]


def _resealed_doc(
    key: bytes, record_id: str, doc: dict[str, Any] | None, unsealed_too: bool
) -> dict[str, Any] | None:
    """The signature document sealed under `key`, or None when it stays as it is."""
    if doc is None or ("seal" not in doc and not unsealed_too):
        return None
    signature = signature_from_doc(doc)
    assert signature is not None
    resealed = sealed(key, record_id, signature)
    return None if resealed == signature else signature_to_doc(resealed)


def _resealed_note(key: bytes, doc: dict[str, Any], unsealed_too: bool) -> dict[str, Any] | None:
    changed = False
    note = dict(doc)
    signature = _resealed_doc(key, doc["id"], doc.get("signature"), unsealed_too)
    if signature is not None:
        note["signature"], changed = signature, True
    addenda = []
    for addendum in doc.get("addenda", []):
        addendum_signature = _resealed_doc(key, addendum["id"], addendum["signature"], unsealed_too)
        if addendum_signature is not None:
            addendum, changed = {**addendum, "signature": addendum_signature}, True
        addenda.append(addendum)
    if not changed:
        return None
    note["addenda"] = addenda
    return note


def seal_existing_signatures(db: TinyDB, key: bytes, record_event: Callable[..., None]) -> int:
    """Seal what the vault held before seals (or before a key rotation); returns how many notes."""
    marker = db.table(SEALS_TABLE).get(Query().id == MARKER_ID)
    current = key_id(key)
    if marker is not None and marker.get("key_id") == current:
        return 0
    upgrading = marker is None  # everything held now was signed or accepted by this vault
    replacements: dict[int, dict[str, Any]] = {}
    for doc in db.table(NOTES_TABLE).all():
        resealed = _resealed_note(key, doc, unsealed_too=upgrading)
        if resealed is not None:
            replacements[doc.doc_id] = resealed

    def replace_notes(documents: MutableMapping[Any, Any]) -> None:
        for doc_id, replacement in replacements.items():
            documents[doc_id] = replacement

    def set_marker(documents: MutableMapping[Any, Any]) -> None:
        for doc_id in list(documents):
            del documents[doc_id]
        documents[next_doc_id({})] = {"id": MARKER_ID, "key_id": current}

    write_tables_at_once(db, {NOTES_TABLE: replace_notes, SEALS_TABLE: set_marker})
    if replacements:
        record_event(SEALED_EVENT)
    return len(replacements)


def unverified_signature_total(tables: dict[str, dict[str, dict[str, Any]]]) -> int | None:
    """Signatures held without a seal (imported, not verified); None before the first sealing."""
    seals = tables.get(SEALS_TABLE, {})
    if not any(doc.get("id") == MARKER_ID for doc in seals.values()):
        return None
    total = 0
    for note in tables.get(NOTES_TABLE, {}).values():
        signatures = [note.get("signature")]
        signatures += [addendum.get("signature") for addendum in note.get("addenda", [])]
        total += sum(1 for doc in signatures if doc is not None and "seal" not in doc)
    return total
