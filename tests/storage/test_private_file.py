"""write_private_file: 0600 from the first byte, and never a replaced or chmodded file."""

import os
import stat

import pytest

from storage.vault.private_file import write_private_file


def mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_a_new_file_is_owner_only_whatever_the_umask(tmp_path):
    old = os.umask(0o000)
    try:
        write_private_file(tmp_path / "export.json", "{}\n")
    finally:
        os.umask(old)
    assert mode(tmp_path / "export.json") == 0o600
    assert (tmp_path / "export.json").read_text() == "{}\n"


def test_an_existing_file_is_neither_replaced_nor_chmodded(tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("someone else's text")
    target.chmod(0o644)
    with pytest.raises(FileExistsError):
        write_private_file(target, "export")
    assert target.read_text() == "someone else's text" and mode(target) == 0o644


def test_a_symlink_is_not_followed(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("kept")
    victim.chmod(0o644)
    (tmp_path / "link").symlink_to(victim)
    with pytest.raises(FileExistsError):
        write_private_file(tmp_path / "link", "export")
    assert victim.read_text() == "kept" and mode(victim) == 0o644


def test_replacing_on_request_renames_a_new_file_over_the_old(tmp_path):
    target = tmp_path / "config.toml"
    target.write_text("old")
    target.chmod(0o644)
    inode = target.stat().st_ino
    write_private_file(target, "new", exclusive=False)
    assert target.read_text() == "new" and mode(target) == 0o600
    assert target.stat().st_ino != inode  # a new file: the old one was never written through
    assert sorted(path.name for path in tmp_path.iterdir()) == ["config.toml"]


def test_replacing_never_touches_a_file_or_symlink_planted_at_a_guessable_temp_name(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("kept")
    victim.chmod(0o644)
    target = tmp_path / "config.toml"
    # The names earlier versions wrote through: fixed, then this process's id.
    planted_link = tmp_path / "config.toml.tmp"
    planted_link.symlink_to(victim)
    planted_file = tmp_path / f".config.toml.{os.getpid()}.tmp"
    planted_file.write_text("another program's file")
    write_private_file(target, "new", exclusive=False)
    assert target.read_text() == "new" and not target.is_symlink() and mode(target) == 0o600
    assert victim.read_text() == "kept" and mode(victim) == 0o644
    assert planted_link.is_symlink() and planted_file.read_text() == "another program's file"


def test_two_saves_at_once_use_different_temp_files(tmp_path, monkeypatch):
    target = tmp_path / "config.toml"
    renamed: list[str] = []
    real_replace = os.replace

    def replace_recording(source, destination):
        renamed.append(os.path.basename(source))
        if len(renamed) == 1:  # the second save starts while the first is between write and rename
            write_private_file(target, "second", exclusive=False)
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", replace_recording)
    write_private_file(target, "first", exclusive=False)
    assert len(set(renamed)) == 2
    assert target.read_text() == "first"  # renamed last, and whole
    assert sorted(path.name for path in tmp_path.iterdir()) == ["config.toml"]
