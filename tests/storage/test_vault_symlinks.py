"""Files next to the vault as an intruder would plant them: symlinks, FIFOs, a writable folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from storage import VaultError, verify_vault
from storage.vault.errors import UnsafeFile, UnsafeFolder
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
    """A vault in a private folder, holding one fictional note, closed."""
    path = tmp_path / "practice" / "clinote.vault"
    with create_vault(path) as vault:
        vault.db.table("notes").insert(FICTIONAL_NOTES[0])
    return path


def test_a_lock_file_symlinked_to_the_vault_is_refused_and_the_vault_untouched(saved):
    lock = saved.with_name(saved.name + ".lock")
    lock.unlink()
    lock.symlink_to(saved.name)
    before = saved.read_bytes()
    # verify only reads: it no longer opens the lock file at all.
    assert verify_vault(saved, PASSPHRASE, kdf_limits=TEST_LIMITS).documents == 2
    assert saved.read_bytes() == before  # not "pid N on host since ..." over the header
    with pytest.raises(UnsafeFile) as caught:
        open_vault(saved)
    assert saved.read_bytes() == before
    message = str(caught.value)
    assert str(lock) in message and "symbolic link" in message and "remove it" in message
    assert "\n" not in message


def test_a_failed_unlocks_symlink_is_neither_appended_to_nor_chmodded(saved, tmp_path):
    target = tmp_path / "someone-elses-file.txt"
    target.write_text("original line\n")
    target.chmod(0o644)
    failures = saved.with_name(saved.name + ".failed-unlocks")
    failures.symlink_to(target)
    with pytest.raises(VaultError):
        open_vault(saved, "a wrong passphrase, fictional")
    assert target.read_text() == "original line\n"
    assert oct(target.stat().st_mode & 0o777) == "0o644"
    # The next good unlock refuses rather than copying the target's lines into the audit table.
    with pytest.raises(UnsafeFile, match="failed-unlocks: it is a symbolic link"):
        open_vault(saved)
    failures.unlink()
    with open_vault(saved) as vault:
        events = [row["event"] for row in vault.db.table("audit").all()]
    assert "unlock_failed" not in events


def test_only_timestamps_from_the_failed_unlocks_file_reach_the_audit_table(saved):
    failures = saved.with_name(saved.name + ".failed-unlocks")
    failures.write_text("2026-11-20T09:14:00+00:00\nnot a time: \x1b]0;PWNED\x07\n")
    failures.chmod(0o600)
    with open_vault(saved) as vault:
        rows = [row for row in vault.db.table("audit").all() if row["event"] == "unlock_failed"]
    assert [row["time"] for row in rows] == ["2026-11-20T09:14:00+00:00"]


def test_a_fifo_in_place_of_the_lock_file_is_refused_without_hanging(saved):
    lock = saved.with_name(saved.name + ".lock")
    lock.unlink()
    os.mkfifo(lock)
    with pytest.raises(UnsafeFile, match="not a regular file"):
        open_vault(saved)


def test_a_hard_linked_lock_file_is_refused(saved, tmp_path):
    lock = saved.with_name(saved.name + ".lock")
    lock.unlink()
    decoy = tmp_path / "decoy"
    decoy.write_bytes(b"x" * 200)
    os.link(decoy, lock)
    with pytest.raises(UnsafeFile, match="hard link"):
        open_vault(saved)
    assert decoy.read_bytes() == b"x" * 200


@pytest.mark.parametrize("mode", [0o757, 0o777, 0o1777])
def test_a_vault_folder_others_can_write_is_refused_with_the_chmod_to_run(saved, mode):
    folder = saved.parent
    folder.chmod(mode)
    try:
        for attempt in (
            lambda: open_vault(saved),
            lambda: verify_vault(saved, PASSPHRASE, kdf_limits=TEST_LIMITS),
            lambda: create_vault(folder / "second.vault"),
        ):
            with pytest.raises(UnsafeFolder) as caught:
                attempt()
            message = str(caught.value)
            assert f"run `chmod go-w {folder}`" in message and "\n" not in message
        assert not (folder / "second.vault").exists()
    finally:
        folder.chmod(0o700)
    assert notes_in(saved) == [FICTIONAL_NOTES[0]]


def test_a_folder_its_group_can_write_is_refused_unless_the_group_is_the_user_alone(saved):
    import grp
    import pwd

    folder = saved.parent
    own_group = pwd.getpwuid(os.getuid()).pw_gid
    folder.chmod(0o770)
    try:
        if grp.getgrgid(own_group).gr_name == pwd.getpwuid(os.getuid()).pw_name:
            open_vault(saved).close()  # a user private group (umask 002 systems): fine
        others = [g.gr_gid for g in grp.getgrall() if g.gr_gid != own_group]
        if not others or os.getuid() != 0:
            pytest.skip("needs another group to give the folder to (root)")
        os.chown(folder, -1, others[0])
        with pytest.raises(UnsafeFolder, match="mode 0770, group "):
            open_vault(saved)
    finally:
        folder.chmod(0o700)
        os.chown(folder, -1, own_group)


def test_the_chmod_advice_quotes_a_folder_name_with_spaces(tmp_path):
    folder = tmp_path / "my notes"
    folder.mkdir(mode=0o700)
    with create_vault(folder / "clinote.vault"):
        pass
    folder.chmod(0o757)
    try:
        with pytest.raises(UnsafeFolder) as caught:
            open_vault(folder / "clinote.vault")
    finally:
        folder.chmod(0o700)
    assert f"chmod go-w '{folder}'" in str(caught.value)


def test_a_symlinked_vault_path_keeps_its_link_through_compaction(saved, tmp_path):
    link = tmp_path / "shortcut.vault"
    link.symlink_to(saved)
    with open_vault(link) as vault:
        assert vault.path == saved  # resolved once, at open
        vault.db.table("notes").insert(FICTIONAL_NOTES[1])
        vault.compact()
        vault.db.table("notes").insert(FICTIONAL_NOTES[2])
    assert link.is_symlink() and link.resolve() == saved
    assert notes_in(saved) == FICTIONAL_NOTES  # the target got every save
    assert saved.with_name(saved.name + ".bak").exists()  # .bak beside the real file
    assert not (tmp_path / "shortcut.vault.bak").exists()


def test_the_vault_itself_as_a_symlink_to_another_users_file_is_refused(saved, tmp_path):
    # Resolved at open, so the checks apply to the real file: here a FIFO.
    fifo = tmp_path / "practice" / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "practice" / "other.vault"
    link.symlink_to(fifo)
    with pytest.raises(VaultError, match="not a regular file"):
        open_vault(link)


def test_a_killed_backup_leaves_no_temp_file_after_the_next_backup(saved, tmp_path):
    destination = tmp_path / "backups"
    destination.mkdir(mode=0o700)
    # What a backup killed mid-write leaves: a temp file of vault bytes, no longer locked.
    leftover = destination / ".clinote-20261120-091400.vault.0123456789ab.tmp"
    leftover.write_bytes(saved.read_bytes()[:100])
    unrelated = destination / ".notes.txt.0123456789ab.tmp"  # not ours: no vault signature
    unrelated.write_bytes(b"someone else's temp file")
    with open_vault(saved) as vault:
        written = vault.backup(destination)
    assert sorted(p.name for p in destination.iterdir()) == sorted([written.name, unrelated.name])
    shutil.rmtree(destination)


def test_verify_works_when_nothing_can_be_written(saved, monkeypatch):
    """A read-only file system or folder: verify opens nothing for writing (no lock file)."""
    import errno

    before = sorted(p.name for p in saved.parent.iterdir())
    real_open = os.open
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT

    def read_only_file_system(path, flags, *args, **kwargs):
        if flags & write_flags and Path(path).parent == saved.parent:
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only_file_system)
    report = verify_vault(saved, PASSPHRASE, kdf_limits=TEST_LIMITS)
    assert report.documents == 2 and report.torn_bytes == 0
    monkeypatch.undo()
    assert sorted(p.name for p in saved.parent.iterdir()) == before


def test_a_planted_lock_record_reaches_the_message_without_control_characters(saved):
    import fcntl

    from storage import VaultLocked

    lock = saved.with_name(saved.name + ".lock")
    lock.write_bytes(b"pid 1 \x1b]0;PWNED\x07\x1b]52;c;cHduZWQ=\x07".ljust(128))
    holder = os.open(lock, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_SH)
    try:
        with pytest.raises(VaultLocked) as caught:
            open_vault(saved)
    finally:
        os.close(holder)
    message = str(caught.value)
    assert "pid 1" in message and "\x1b" not in message and "\x07" not in message
