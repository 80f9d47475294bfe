"""Creating, opening, saving and closing a vault, as the rest of clinote relies on it."""

from __future__ import annotations

import os
import threading
from datetime import datetime
from pathlib import Path

import pytest
from tinydb import Query, TinyDB

from storage import (
    AppendOnlyTable,
    UnserializableValue,
    Vault,
    VaultClosed,
    VaultError,
    VaultExists,
    VaultLocked,
    VaultMissing,
    WeakPassphrase,
    WrongPassphrase,
)
from tests.storage.vault_fixtures import (
    FAST_KDF,
    FICTIONAL_NOTES,
    OTHER_PASSPHRASE,
    PASSPHRASE,
    TEST_LIMITS,
    create_vault,
    notes_in,
    open_vault,
)


def test_saved_notes_are_there_after_reopening(vault, vault_path):
    notes = vault.db.table("notes")
    ids = [notes.insert(note) for note in FICTIONAL_NOTES]
    notes.update({"signed": True}, doc_ids=[ids[0]])
    notes.update({"format": "GIRP"}, Query().client == "Marisol Oakhaven")
    notes.remove(doc_ids=[ids[2]])
    vault.close()

    reopened = notes_in(vault_path)
    assert reopened == [
        {**FICTIONAL_NOTES[0], "signed": True},
        {**FICTIONAL_NOTES[1], "format": "GIRP"},
    ]


def test_the_vault_is_a_tinydb_and_a_context_manager(vault_path):
    with create_vault(vault_path) as vault:
        assert isinstance(vault.db, TinyDB)
        assert vault.path == vault_path
        vault.db.insert({"client": "Robin Quillfeather"})
    with open_vault(vault_path) as vault:
        assert vault.db.all() == [{"client": "Robin Quillfeather"}]
    with pytest.raises(VaultClosed):
        vault.db.insert({"client": "after close"})


def test_nothing_readable_reaches_the_file(vault, vault_path):
    vault.db.table("notes").insert({"client": "Robin Quillfeather", "text": "sleep log"})
    raw = vault_path.read_bytes()
    assert b"Quillfeather" not in raw and b"sleep log" not in raw and b"notes" not in raw


def test_documents_handed_out_are_copies(vault, vault_path):
    notes = vault.db.table("notes")
    doc_id = notes.insert({"client": "Robin Quillfeather", "goals": ["sleep"]})
    fetched = notes.get(doc_id=doc_id)
    fetched["goals"].append("changed only in my copy")
    fetched["client"] = "changed only in my copy"
    assert notes.get(doc_id=doc_id) == {"client": "Robin Quillfeather", "goals": ["sleep"]}
    mine = {"client": "Marisol Oakhaven", "goals": ["walk"]}
    other_id = notes.insert(mine)
    mine["goals"].append("changed after saving")
    vault.close()
    reopened = notes_in(vault_path)
    assert reopened[1] == {"client": "Marisol Oakhaven", "goals": ["walk"]}
    assert other_id == 2


def test_every_tinydb_write_survives_reopening(vault, vault_path):
    notes = vault.db.table("notes")
    notes.insert_multiple(FICTIONAL_NOTES)
    notes.upsert(
        {"client": "Robin Quillfeather", "minutes": 45}, Query().client == "Robin Quillfeather"
    )
    notes.upsert({"client": "Ada Fernwhistle", "minutes": 30}, Query().client == "Ada Fernwhistle")
    notes.update_multiple(
        [({"late": True}, Query().format == "SOAP"), ({"seen": 1}, Query().minutes == 30)]
    )
    notes.remove(Query().client == "Teodor Brightwater")
    notes.update(lambda doc: doc.pop("text", None), doc_ids=[1])
    scratch = vault.db.table("scratch")
    scratch.insert({"x": 1})
    scratch.truncate()
    vault.db.table("dropped").insert({"y": 2})
    vault.db.drop_table("dropped")
    expected_notes = [dict(note) for note in notes.all()]
    expected_tables = vault.db.tables()
    vault.close()
    with open_vault(vault_path) as reopened:
        assert [dict(note) for note in reopened.db.table("notes").all()] == expected_notes
        assert reopened.db.tables() == expected_tables
        assert "dropped" not in expected_tables and "scratch" in expected_tables
    assert expected_notes[0] == {"client": "Robin Quillfeather", "format": "DAP", "minutes": 45}
    assert expected_notes[1]["late"] is True
    assert expected_notes[-1] == {"client": "Ada Fernwhistle", "minutes": 30, "seen": 1}


def test_create_refuses_an_existing_vault_and_leaves_it_alone(vault, vault_path):
    vault.db.insert({"client": "Robin Quillfeather"})
    before = vault_path.read_bytes()
    with pytest.raises(VaultExists, match="already exists"):
        create_vault(vault_path)
    assert vault_path.read_bytes() == before


def test_opening_a_missing_vault_says_how_to_create_one(tmp_path):
    with pytest.raises(VaultMissing, match="clinote init"):
        open_vault(tmp_path / "nowhere.vault")
    assert list(tmp_path.iterdir()) == []


def test_wrong_passphrase_is_refused_and_counted_at_the_next_unlock(vault_path):
    create_vault(vault_path).close()
    before = vault_path.read_bytes()
    for _ in range(2):
        with pytest.raises(WrongPassphrase, match="wrong passphrase"):
            open_vault(vault_path, OTHER_PASSPHRASE)
    assert vault_path.read_bytes() == before
    with open_vault(vault_path) as vault:
        assert vault.failed_unlocks_before_this_one == 2
        events = [row["event"] for row in vault.db.table("audit").all()]
    assert events == ["created", "unlock_failed", "unlock_failed", "unlocked"]
    with open_vault(vault_path) as vault:
        assert vault.failed_unlocks_before_this_one == 0


@pytest.mark.parametrize(
    "typed",
    [
        "Cafe\u0301 ﬁg Ångström harbour",  # decomposed é, fi ligature, angstrom sign
        "Café ﬁg Ångström harbour",  # composed é, fi ligature, angstrom sign
        "Ｃａｆé fig Ångström harbour",  # fullwidth letters
    ],
)
def test_nfkc_variants_of_the_passphrase_open_the_vault(tmp_path, typed):
    created_with = "Café fig Ångström harbour"
    path = tmp_path / "v.vault"
    Vault.create(path, created_with, kdf=FAST_KDF, kdf_limits=TEST_LIMITS).close()
    with Vault.open(path, typed, kdf_limits=TEST_LIMITS) as vault:
        assert vault.failed_unlocks_before_this_one == 0


@pytest.mark.parametrize("passphrase", ["", "short", "fourteen chars"])
def test_empty_and_short_passphrases_are_refused_and_nothing_is_created(tmp_path, passphrase):
    path = tmp_path / "v.vault"
    with pytest.raises(WeakPassphrase, match="15"):
        Vault.create(path, passphrase, kdf=FAST_KDF, kdf_limits=TEST_LIMITS)
    assert not path.exists()


def test_an_empty_passphrase_does_not_open_a_vault(vault_path):
    create_vault(vault_path).close()
    with pytest.raises(WrongPassphrase):
        open_vault(vault_path, "")


def test_unserializable_data_leaves_file_and_memory_unchanged(vault, vault_path):
    notes = vault.db.table("notes")
    doc_id = notes.insert({"client": "Robin Quillfeather", "minutes": 45})
    before = vault_path.read_bytes()
    with pytest.raises(UnserializableValue, match="datetime"):
        notes.insert({"client": "Marisol Oakhaven", "when": datetime(2025, 3, 4)})
    with pytest.raises(TypeError):  # UnserializableValue is also a TypeError for callers
        notes.update({"minutes": {1, 2}}, doc_ids=[doc_id])
    with pytest.raises(UnserializableValue):
        notes.update({"minutes": float("nan")}, doc_ids=[doc_id])
    assert vault_path.read_bytes() == before
    assert [dict(note) for note in notes.all()] == [{"client": "Robin Quillfeather", "minutes": 45}]
    notes.update({"minutes": 50}, doc_ids=[doc_id])  # the vault still works
    vault.close()
    assert notes_in(vault_path) == [{"client": "Robin Quillfeather", "minutes": 50}]


def test_a_second_session_fails_at_once_naming_the_first(vault, vault_path):
    with pytest.raises(VaultLocked, match=rf"pid {os.getpid()} on .+ since \d\d:\d\d"):
        open_vault(vault_path)
    vault.close()
    open_vault(vault_path).close()


def test_audit_table_records_events_and_is_append_only(vault):
    vault.record_event("signed", "note-7f3a")
    audit = vault.db.table("audit")
    rows = audit.all()
    assert [(row["event"], row["record_id"]) for row in rows] == [
        ("created", None),
        ("signed", "note-7f3a"),
    ]
    assert set(rows[1]) == {"time", "user", "event", "record_id"}
    assert datetime.fromisoformat(rows[1]["time"]).tzinfo is not None
    with pytest.raises(AppendOnlyTable):
        audit.update({"event": "nothing happened"}, doc_ids=[1])
    with pytest.raises(AppendOnlyTable):
        audit.remove(doc_ids=[1])
    with pytest.raises(AppendOnlyTable):
        audit.truncate()
    with pytest.raises(AppendOnlyTable):
        vault.db.drop_table("audit")
    assert len(audit) == 2


def test_rekey_changes_the_passphrase_and_keeps_the_notes(vault, vault_path):
    vault.db.table("notes").insert(FICTIONAL_NOTES[0])
    vault.compact()  # so a .bak exists: it must follow the new passphrase too
    vault.rekey(OTHER_PASSPHRASE, kdf=FAST_KDF, kdf_limits=TEST_LIMITS)
    vault.db.table("notes").insert(FICTIONAL_NOTES[1])
    vault.close()
    with pytest.raises(WrongPassphrase):
        open_vault(vault_path, PASSPHRASE)
    assert notes_in(vault_path, OTHER_PASSPHRASE) == FICTIONAL_NOTES[:2]
    backup = Path(f"{vault_path}.bak")
    with pytest.raises(WrongPassphrase):
        open_vault(backup, PASSPHRASE)
    open_vault(backup, OTHER_PASSPHRASE).close()


def test_rekey_refuses_a_weak_new_passphrase(vault, vault_path):
    before = vault_path.read_bytes()
    with pytest.raises(WeakPassphrase):
        vault.rekey("too short", kdf=FAST_KDF, kdf_limits=TEST_LIMITS)
    assert vault_path.read_bytes() == before


def test_backup_is_a_consistent_copy_that_opens_with_the_same_passphrase(vault, tmp_path):
    vault.db.table("notes").insert_multiple(FICTIONAL_NOTES)
    copy = vault.backup(tmp_path / "copy.vault")
    folder_copy = vault.backup(tmp_path)
    assert folder_copy.parent == tmp_path and folder_copy.name.startswith("clinote-")
    with pytest.raises(VaultExists):
        vault.backup(copy)
    vault.close()
    assert notes_in(copy) == FICTIONAL_NOTES
    assert notes_in(folder_copy) == FICTIONAL_NOTES


def test_compaction_keeps_the_previous_generation_as_bak(vault, vault_path):
    notes = vault.db.table("notes")
    notes.insert(FICTIONAL_NOTES[0])
    vault.compact()
    assert vault.generation == 2
    notes.insert(FICTIONAL_NOTES[1])
    vault.compact()
    notes.insert(FICTIONAL_NOTES[2])
    vault.close()
    assert notes_in(vault_path) == FICTIONAL_NOTES
    # The .bak is the file as it stood just before the last compaction.
    assert notes_in(Path(f"{vault_path}.bak")) == FICTIONAL_NOTES[:2]


def test_automatic_compaction_happens_as_saves_pile_up(vault, vault_path, monkeypatch):
    monkeypatch.setattr("storage.vault.frame_storage.COMPACT_AFTER_BYTES", 4096)
    notes = vault.db.table("notes")
    for number in range(40):
        notes.insert({"client": "Robin Quillfeather", "session": number, "text": "x" * 200})
    assert vault.generation > 1
    assert vault.compaction_error is None
    vault.close()
    assert [note["session"] for note in notes_in(vault_path)] == list(range(40))


def test_saving_in_a_worker_thread_while_the_screen_reads(vault, vault_path):
    notes = vault.db.table("notes")
    notes.insert_multiple({"client": "Robin Quillfeather", "session": n} for n in range(300))
    failures: list[BaseException] = []

    def save_many(first: int) -> None:
        try:
            for number in range(first, first + 60):
                notes.insert({"client": "Marisol Oakhaven", "session": number})
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)

    workers = [threading.Thread(target=save_many, args=(start,)) for start in (1000, 2000)]
    for worker in workers:
        worker.start()
    while any(worker.is_alive() for worker in workers):
        assert len(notes.search(Query().client == "Robin Quillfeather")) == 300
        notes.clear_cache()
    for worker in workers:
        worker.join()
    assert failures == []
    vault.close()
    sessions = sorted(note["session"] for note in notes_in(vault_path))
    assert sessions == list(range(300)) + list(range(1000, 1060)) + list(range(2000, 2060))


def test_a_lock_file_that_cannot_be_opened_is_a_one_line_error(vault_path):
    create_vault(vault_path).close()
    lock = vault_path.with_name("clinote.vault.lock")
    lock.unlink()
    lock.mkdir()  # stands in for a folder this user may not write to
    with pytest.raises(VaultError, match="cannot create the lock file"):
        open_vault(vault_path)
