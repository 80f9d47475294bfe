"""A failed write raises one clear line, leaves the file as it was and memory consistent with it."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from storage import VaultWriteError, WrongPassphrase
from tests.storage.vault_fixtures import (
    FAST_KDF,
    FICTIONAL_NOTES,
    OTHER_PASSPHRASE,
    TEST_LIMITS,
    create_vault,
    notes_in,
    open_vault,
)


def disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def half_then_disk_full():
    calls = []

    def pwrite(fd, data, offset):
        if not calls:
            calls.append(1)
            return real_pwrite(fd, bytes(data[: len(data) // 2]), offset)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    return pwrite


real_pwrite = os.pwrite


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize(
    ("syscall", "make_failure"),
    [
        ("pwrite", lambda: disk_full),
        ("pwrite", half_then_disk_full),
        ("fsync", lambda: disk_full),
    ],
    ids=["write", "partial-write", "fsync"],
)
def test_a_failed_save_leaves_file_and_memory_as_they_were(
    vault, vault_path, monkeypatch, syscall, make_failure
):
    notes = vault.db.table("notes")
    first = notes.insert(FICTIONAL_NOTES[0])
    before = vault_path.read_bytes()
    with monkeypatch.context() as patch:
        patch.setattr(os, syscall, make_failure())
        with pytest.raises(VaultWriteError, match="No space left on device") as caught:
            notes.insert(FICTIONAL_NOTES[1])
        with pytest.raises(VaultWriteError):
            notes.update({"signed": True}, doc_ids=[first])
    assert "\n" not in str(caught.value)
    assert vault_path.read_bytes() == before
    assert [dict(n) for n in notes.all()] == [FICTIONAL_NOTES[0]]
    notes.insert(FICTIONAL_NOTES[2])  # the disk recovered: saving works again
    vault.close()
    assert notes_in(vault_path) == [FICTIONAL_NOTES[0], FICTIONAL_NOTES[2]]


@pytest.mark.parametrize("syscall", ["replace", "fsync", "pwrite"])
def test_a_failed_compaction_keeps_the_old_file_and_removes_its_temp(
    vault, vault_path, monkeypatch, syscall
):
    vault.db.table("notes").insert_multiple(FICTIONAL_NOTES)
    before = vault_path.read_bytes()
    with monkeypatch.context() as patch:
        patch.setattr(os, syscall, disk_full)
        with pytest.raises(VaultWriteError, match="unchanged"):
            vault.compact()
    assert vault_path.read_bytes() == before
    assert leftovers(vault_path.parent) == []
    assert vault.generation == 1
    vault.db.table("notes").insert({"client": "Ada Fernwhistle"})
    vault.close()
    assert len(notes_in(vault_path)) == 4


def test_a_failed_rekey_keeps_the_old_passphrase(vault, vault_path, monkeypatch):
    vault.db.table("notes").insert(FICTIONAL_NOTES[0])
    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", disk_full)
        with pytest.raises(VaultWriteError):
            vault.rekey(OTHER_PASSPHRASE, kdf=FAST_KDF, kdf_limits=TEST_LIMITS)
    assert leftovers(vault_path.parent) == []
    vault.db.table("notes").insert(FICTIONAL_NOTES[1])
    vault.close()
    assert notes_in(vault_path) == FICTIONAL_NOTES[:2]
    with pytest.raises(WrongPassphrase):
        open_vault(vault_path, OTHER_PASSPHRASE)


def test_a_failed_automatic_compaction_does_not_lose_the_save(vault, vault_path, monkeypatch):
    monkeypatch.setattr("storage.vault.frame_storage.COMPACT_AFTER_BYTES", 1024)
    notes = vault.db.table("notes")
    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", disk_full)
        for number in range(12):
            notes.insert({"client": "Robin Quillfeather", "session": number, "text": "x" * 200})
        assert "No space left" in vault.compaction_error
    assert leftovers(vault_path.parent) == []
    vault.close()
    assert [n["session"] for n in notes_in(vault_path)] == list(range(12))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_files_are_0600_and_the_folder_0700_under_umask_022(tmp_path):
    old_umask = os.umask(0o022)
    try:
        path = tmp_path / "new" / "folder" / "clinote.vault"
        with create_vault(path) as vault:
            vault.db.table("notes").insert(FICTIONAL_NOTES[0])
            vault.compact()
            backup = vault.backup(tmp_path / "copy.vault")
        with pytest.raises(WrongPassphrase):
            open_vault(path, OTHER_PASSPHRASE)
        open_vault(path).close()
    finally:
        os.umask(old_umask)
    assert mode(path.parent) == 0o700 and mode(path.parent.parent) == 0o700
    written = [path, Path(f"{path}.bak"), Path(f"{path}.lock"), backup]
    assert {p.name: mode(p) for p in written} == {p.name: 0o600 for p in written}
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "clinote.vault",
        "clinote.vault.bak",
        "clinote.vault.lock",
    ]


def test_the_failed_unlock_counter_is_0600_and_holds_no_passphrase(vault_path):
    old_umask = os.umask(0o022)
    try:
        create_vault(vault_path).close()
        with pytest.raises(WrongPassphrase):
            open_vault(vault_path, OTHER_PASSPHRASE)
    finally:
        os.umask(old_umask)
    counter = Path(f"{vault_path}.failed-unlocks")
    assert mode(counter) == 0o600
    assert OTHER_PASSPHRASE.split()[0] not in counter.read_text()
