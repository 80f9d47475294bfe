"""A vault written by format version 1 must open forever: a saved file, not a freshly made one."""

from __future__ import annotations

import shutil
from pathlib import Path

from storage import Vault, verify_vault
from storage.vault.file_format import FORMAT_VERSION, MAGIC

SAVED = Path(__file__).with_name("data") / "format-v1.vault"
PASSPHRASE = "saved format one example passphrase"


def test_the_saved_format_1_file_opens_and_reads_its_documents(tmp_path):
    copy = tmp_path / "format-v1.vault"
    shutil.copy(SAVED, copy)  # opening appends an audit row; keep the saved file pristine
    report = verify_vault(copy, PASSPHRASE)  # the real (default) KDF bounds
    assert (report.generation, report.frames, report.documents) == (2, 4, 6)
    with Vault.open(copy, PASSPHRASE) as vault:
        clients = vault.db.table("clients").all()
        notes = vault.db.table("notes").all()
        events = [(row["event"], row["record_id"]) for row in vault.db.table("audit").all()]
    assert [client["name"] for client in clients] == ["Robin Quillfeather", "Marisol Oakhaven"]
    assert clients[1]["diagnoses"] == ["F32.1", "Z63.0"]
    assert notes[0]["signed"] is True and "signed" not in notes[1]
    assert notes[0]["text"].endswith("Café visit went well — «calm».")
    assert events[:2] == [("created", None), ("signed", "n-0001")]
    assert events[-1] == ("unlocked", None)


def test_the_saved_file_is_format_1():
    header = SAVED.read_bytes()[:10]
    assert header[:8] == MAGIC and int.from_bytes(header[8:10], "big") == 1 == FORMAT_VERSION
