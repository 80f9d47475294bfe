"""Two names for one vault file (a symlink, a hard link) never give two writing sessions."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from storage import VaultLocked, verify_vault
from tests.storage.vault_fixtures import (
    FICTIONAL_NOTES,
    PASSPHRASE,
    TEST_LIMITS,
    create_vault,
    notes_in,
    open_vault,
)


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "practice" / "clinote.vault"
    with create_vault(path) as vault:
        vault.db.table("notes").insert(FICTIONAL_NOTES[0])
    return path


def _second_name(saved: Path, kind: str) -> Path:
    alias = saved.with_name("alias.vault")
    if kind == "symlink":
        alias.symlink_to(saved)
    else:
        os.link(saved, alias)
    return alias


@pytest.mark.parametrize("kind", ["symlink", "hard link"])
def test_a_second_name_for_an_open_vault_is_refused_as_open_elsewhere(saved, kind):
    alias = _second_name(saved, kind)
    with open_vault(saved) as vault:
        with pytest.raises(VaultLocked, match="vault is open in another session"):
            open_vault(alias)
        vault.db.table("notes").insert(FICTIONAL_NOTES[1])
    # Both orders: the alias first, then the real name.
    with open_vault(alias) as vault:
        with pytest.raises(VaultLocked, match="vault is open in another session"):
            open_vault(saved)
        vault.db.table("notes").insert(FICTIONAL_NOTES[2])
    assert notes_in(saved) == FICTIONAL_NOTES
    assert verify_vault(saved, PASSPHRASE, kdf_limits=TEST_LIMITS).frames > 0


def test_verify_is_refused_while_a_session_writes_under_another_name(saved):
    alias = _second_name(saved, "hard link")
    with open_vault(saved):
        with pytest.raises(VaultLocked, match="another session"):
            verify_vault(alias, PASSPHRASE, kdf_limits=TEST_LIMITS)


def test_verify_names_the_session_that_holds_the_vault(saved):
    with open_vault(saved):
        with pytest.raises(VaultLocked, match=f"pid {os.getpid()} on "):
            verify_vault(saved, PASSPHRASE, kdf_limits=TEST_LIMITS)


def test_the_vault_stays_locked_after_compaction_replaces_its_file(saved):
    alias = _second_name(saved, "symlink")
    with open_vault(saved) as vault:
        vault.compact()  # a new file (new inode) takes the vault's place
        with pytest.raises(VaultLocked):
            open_vault(alias)
        vault.db.table("notes").insert(FICTIONAL_NOTES[1])
    assert notes_in(alias) == FICTIONAL_NOTES[:2]


def test_compaction_waits_for_a_verify_that_opened_the_new_file_first(saved, monkeypatch):
    """The moment after the rename, a `verify` may hold a shared lock on the new file."""
    import fcntl
    import threading

    import storage.vault.file

    real_replace = os.replace

    def replace_then_a_reader_arrives(source, target):
        real_replace(source, target)
        if Path(target) == saved:
            reader = os.open(saved, os.O_RDONLY)
            fcntl.flock(reader, fcntl.LOCK_SH)
            threading.Timer(0.2, os.close, (reader,)).start()  # verify done reading

    monkeypatch.setattr(storage.vault.file.os, "replace", replace_then_a_reader_arrives)
    with open_vault(saved) as vault:
        vault.compact()
        monkeypatch.undo()
        vault.db.table("notes").insert(FICTIONAL_NOTES[1])  # into the new file, not the .bak
    assert notes_in(saved) == FICTIONAL_NOTES[:2]


def test_a_rewritten_file_that_cannot_be_reopened_stops_saves_instead_of_feeding_the_bak(
    saved, monkeypatch
):
    import errno

    import storage.vault.file
    from storage import VaultWriteError

    real_open_private = storage.vault.file.open_private

    def no_descriptors_left_for_the_vault(path, flags):
        if Path(path) == saved:
            raise OSError(errno.EMFILE, "Too many open files")
        return real_open_private(path, flags)

    monkeypatch.setattr(storage.vault.file, "open_private", no_descriptors_left_for_the_vault)
    with open_vault(saved) as vault:
        with pytest.raises(VaultWriteError, match="could not reopen it"):
            vault.compact()
        monkeypatch.undo()
        with pytest.raises(VaultWriteError, match="stopped after an earlier failure"):
            vault.db.table("notes").insert(FICTIONAL_NOTES[1])
    assert notes_in(saved) == FICTIONAL_NOTES[:1]
    assert notes_in(saved.with_name(saved.name + ".bak")) == FICTIONAL_NOTES[:1]
