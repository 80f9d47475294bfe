"""An independent reader written from docs/vault-format.md alone reads what the vault wrote."""

from __future__ import annotations

import json
import struct
import unicodedata

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from tests.storage.vault_fixtures import FICTIONAL_NOTES, PASSPHRASE, create_vault


def read_as_documented(data: bytes, passphrase: str) -> dict:
    assert data[:8] == b"CLNVAULT"
    version, header_size = struct.unpack(">HH", data[8:12])
    assert (version, header_size) == (1, 141)
    kdf_id, memory, passes, lanes = struct.unpack(">BIII", data[28:41])
    assert kdf_id == 1
    salt = data[41:73]
    kek = Argon2id(salt=salt, length=32, iterations=passes, lanes=lanes, memory_cost=memory).derive(
        unicodedata.normalize("NFKC", passphrase).encode()
    )
    data_key = AESGCM(kek).decrypt(data[73:85], data[85:133], data[0:73])
    tables: dict = {}
    offset, sequence = 141, 0
    while offset < len(data):
        length, check, kind, seq = struct.unpack(">IIBQ", data[offset : offset + 17])
        assert length ^ check == 0xFFFFFFFF and seq == sequence and kind in (1, 2, 3)
        nonce = data[offset + 17 : offset + 29]
        aad = data[0:28] + data[133:141] + data[offset : offset + 17]
        payload = json.loads(
            AESGCM(data_key).decrypt(nonce, data[offset + 29 : offset + 29 + length], aad)
        )
        for name in payload.get("drop", []):
            tables.pop(name, None)
        for name, ids in payload.get("delete", {}).items():
            for doc_id in ids:
                tables[name].pop(doc_id)
        for name, documents in payload.get("put", {}).items():
            tables.setdefault(name, {}).update(documents)
        offset, sequence = offset + 29 + length, sequence + 1
    return tables


def test_the_documented_format_is_the_written_format(vault_path):
    with create_vault(vault_path) as vault:
        notes = vault.db.table("notes")
        notes.insert_multiple(FICTIONAL_NOTES)
        vault.compact()
        notes.remove(doc_ids=[2])
        notes.update({"signed": True}, doc_ids=[1])
        vault.db.table("scratch").insert({"x": 1})
        vault.db.drop_table("scratch")
    tables = read_as_documented(vault_path.read_bytes(), PASSPHRASE)
    assert tables["notes"] == {"1": {**FICTIONAL_NOTES[0], "signed": True}, "3": FICTIONAL_NOTES[2]}
    assert "scratch" not in tables
    assert [row["event"] for row in tables["audit"].values()] == ["created"]
