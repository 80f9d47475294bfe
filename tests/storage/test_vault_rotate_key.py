"""`rekey --rotate-key`: a new data key, so nothing the old passphrase opens reads new data."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from storage import VaultCorrupt, VaultWriteError, WrongPassphrase
from storage.vault.file_format import HEADER_SIZE
from tests.storage.test_vault_crashes import kill_after, start_child
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


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "practice" / "clinote.vault"
    with create_vault(path) as vault:
        vault.db.table("notes").insert_multiple(FICTIONAL_NOTES[:2])
    return path


def rekey(path: Path, *, rotate_key: bool) -> None:
    with open_vault(path) as vault:
        vault.rekey(OTHER_PASSPHRASE, kdf=FAST_KDF, kdf_limits=TEST_LIMITS, rotate_key=rotate_key)
        vault.db.table("notes").insert(FICTIONAL_NOTES[2])  # written after the change


def test_plain_rekey_leaves_the_old_header_able_to_open_the_file(saved):
    """What the plain rekey's message warns about, shown: the data key is unchanged."""
    old_header = saved.read_bytes()[:HEADER_SIZE]
    rekey(saved, rotate_key=False)
    saved.write_bytes(old_header + saved.read_bytes()[HEADER_SIZE:])
    assert notes_in(saved, PASSPHRASE) == FICTIONAL_NOTES  # including what came after


def test_after_rotation_the_old_header_and_passphrase_open_nothing_new(saved):
    old_header = saved.read_bytes()[:HEADER_SIZE]
    rekey(saved, rotate_key=True)
    assert notes_in(saved, OTHER_PASSPHRASE) == FICTIONAL_NOTES
    with pytest.raises(WrongPassphrase):
        open_vault(saved, PASSPHRASE)
    saved.write_bytes(old_header + saved.read_bytes()[HEADER_SIZE:])
    with pytest.raises(VaultCorrupt, match="fails authentication"):
        open_vault(saved, PASSPHRASE)


def test_an_old_backup_keeps_only_what_it_held(saved, tmp_path):
    with open_vault(saved) as vault:
        old_copy = vault.backup(tmp_path / "old-copy.vault")
    rekey(saved, rotate_key=True)
    assert notes_in(old_copy, PASSPHRASE) == FICTIONAL_NOTES[:2]
    # Its data key cannot read the rotated file: the old copy's header on it fails.
    rotated = saved.read_bytes()
    saved.write_bytes(old_copy.read_bytes()[:HEADER_SIZE] + rotated[HEADER_SIZE:])
    with pytest.raises(VaultCorrupt):
        open_vault(saved, PASSPHRASE)


def test_rotation_keeps_the_previous_state_as_bak_under_the_new_passphrase(saved):
    rekey(saved, rotate_key=True)
    backup = saved.with_name(saved.name + ".bak")
    assert notes_in(backup, OTHER_PASSPHRASE) == FICTIONAL_NOTES[:2]
    with pytest.raises(WrongPassphrase):
        open_vault(backup, PASSPHRASE)
    with open_vault(saved, OTHER_PASSPHRASE) as vault:
        events = [row["event"] for row in vault.db.table("audit").all()]
    assert "key_rotated" in events


def test_a_failed_rotation_changes_nothing(saved, monkeypatch):
    import storage.vault.file

    real_replace = storage.vault.file.os.replace

    def fail_on_the_vault(source, target):
        if Path(target) == saved:
            raise OSError(28, "No space left on device")
        return real_replace(source, target)

    monkeypatch.setattr(storage.vault.file.os, "replace", fail_on_the_vault)
    with open_vault(saved) as vault:
        with pytest.raises(VaultWriteError, match="No space left on device"):
            vault.rekey(OTHER_PASSPHRASE, kdf=FAST_KDF, kdf_limits=TEST_LIMITS, rotate_key=True)
        vault.db.table("notes").insert(FICTIONAL_NOTES[2])  # saving still works, old key
    monkeypatch.undo()
    assert notes_in(saved, PASSPHRASE) == FICTIONAL_NOTES
    assert [p.name for p in saved.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_kill_9_during_rotation_leaves_the_old_or_the_new_passphrase(tmp_path):
    path = tmp_path / "clinote.vault"
    with create_vault(path) as vault:
        vault.db.table("notes").insert_multiple(FICTIONAL_NOTES)
    chance = random.Random(11)
    for _ in range(8):
        kill_after(start_child("rotate", path), chance.randint(0, 4))
        try:
            notes = notes_in(path, PASSPHRASE)
        except WrongPassphrase:
            notes = notes_in(path, OTHER_PASSPHRASE)
        assert notes == FICTIONAL_NOTES
