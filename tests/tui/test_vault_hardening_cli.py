"""Issue 8's vault attacks run through the real `clinote` command, as an intruder would try them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from storage.vault.file_format import FRAME_HEADER, HEADER_SIZE, NONCE_BYTES
from tests.tui.test_vault_commands import (
    NEW_PASSPHRASE,
    ROOT,
    assert_one_line_failure,
    clinote,
)


@pytest.fixture(scope="module")
def initialized(tmp_path_factory) -> Path:
    """One `clinote init` and one backup (two more frames) per module: the real KDF is slow."""
    home = tmp_path_factory.mktemp("init")
    path = home / "practice" / "clinote.vault"
    assert clinote("init", "--vault", str(path), home=home).returncode == 0
    result = clinote("backup", "--vault", str(path), str(home / "first-copy.vault"), home=home)
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def vault(initialized, tmp_path) -> Path:
    folder = tmp_path / "practice"
    folder.mkdir(mode=0o700)
    path = folder / "clinote.vault"
    shutil.copy(initialized, path)
    return path


def frame_starts(data: bytes) -> list[int]:
    starts, offset = [], HEADER_SIZE
    while offset + FRAME_HEADER.size <= len(data):
        starts.append(offset)
        offset += FRAME_HEADER.size + NONCE_BYTES + FRAME_HEADER.unpack_from(data, offset)[0]
    return starts


def test_a_lock_symlinked_to_the_vault_never_overwrites_its_header(vault, tmp_path):
    lock = vault.with_name("clinote.vault.lock")
    lock.symlink_to("clinote.vault")
    before = vault.read_bytes()
    verified = clinote("verify", "--vault", str(vault), home=tmp_path)
    assert verified.returncode == 0, verified.stderr
    backup = clinote("backup", "--vault", str(vault), str(tmp_path / "copy.vault"), home=tmp_path)
    assert_one_line_failure(
        backup, 2, f"refusing to use {lock}: it is a symbolic link", "remove it"
    )
    assert vault.read_bytes() == before


def test_a_vault_folder_others_can_write_is_refused_with_the_chmod(vault, tmp_path):
    vault.parent.chmod(0o777)
    try:
        result = clinote("verify", "--vault", str(vault), home=tmp_path)
    finally:
        vault.parent.chmod(0o700)
    assert_one_line_failure(result, 1, f"run `chmod go-w {vault.parent}`")


def _with_bytes_passphrase(*args: str, home: Path, secret: bytes) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLINOTE_")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"))
    environment = {key.encode(): value.encode() for key, value in env.items()}
    environment[b"CLINOTE_PASSPHRASE"] = secret
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        cwd=ROOT,
        env=environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_non_utf8_passphrase_is_one_line_exit_2_and_leaves_nothing_behind(vault, tmp_path):
    not_utf8 = b"caf\xe9 au lait, tr\xe8s chaud, merci"  # Latin-1 bytes
    folder = tmp_path / "new-practice"
    made = _with_bytes_passphrase(
        "init", "--vault", str(folder / "clinote.vault"), home=tmp_path, secret=not_utf8
    )
    assert_one_line_failure(made, 2, "CLINOTE_PASSPHRASE is not valid UTF-8")
    assert not folder.exists()  # no empty folder, no lock file
    before = sorted(p.name for p in vault.parent.iterdir())
    opened = _with_bytes_passphrase("verify", "--vault", str(vault), home=tmp_path, secret=not_utf8)
    assert_one_line_failure(opened, 2, "CLINOTE_PASSPHRASE is not valid UTF-8")
    assert sorted(p.name for p in vault.parent.iterdir()) == before


def test_verify_names_the_damaged_frame_and_recover_writes_a_new_file(vault, tmp_path):
    data = bytearray(vault.read_bytes())
    last = frame_starts(bytes(data))[-1]
    data[last + FRAME_HEADER.size + NONCE_BYTES] ^= 0x01
    vault.write_bytes(bytes(data))
    result = clinote("verify", "--vault", str(vault), home=tmp_path)
    assert_one_line_failure(
        result, 1, f"frame 3 at byte {last} fails authentication", "clinote verify --recover"
    )
    recovered = clinote("verify", "--recover", "--vault", str(vault), home=tmp_path)
    assert recovered.returncode == 0, recovered.stderr
    new_file = vault.with_name("clinote.vault.recovered")
    assert f"wrote the 3 intact frames of {vault} to the new file {new_file}" in recovered.stdout
    assert vault.read_bytes() == bytes(data)  # the vault itself is never replaced
    checked = clinote("verify", "--vault", str(new_file), home=tmp_path)
    assert "sound. generation 1, 3 frames" in checked.stdout


def test_plain_rekey_says_what_it_does_not_protect_and_points_to_rotation(vault, tmp_path):
    result = clinote("rekey", "--vault", str(vault), new=NEW_PASSPHRASE, home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "the old one no longer opens it" not in result.stdout
    assert (
        "copies made before" in result.stdout
        and "still open with the old passphrase" in result.stdout
    )
    assert "clinote rekey --rotate-key" in result.stdout


def test_rotate_key_reencrypts_so_the_old_header_no_longer_opens_the_file(vault, tmp_path):
    old_header = vault.read_bytes()[:HEADER_SIZE]
    result = clinote(
        "rekey", "--rotate-key", "--vault", str(vault), new=NEW_PASSPHRASE, home=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "re-encrypted everything under a new data key" in result.stdout
    sound = clinote("verify", "--vault", str(vault), passphrase=NEW_PASSPHRASE, home=tmp_path)
    assert "sound. generation 2" in sound.stdout
    vault.write_bytes(old_header + vault.read_bytes()[HEADER_SIZE:])
    replayed = clinote("verify", "--vault", str(vault), home=tmp_path)
    assert_one_line_failure(replayed, 1, "fails authentication")


def test_an_older_copy_put_in_place_is_reported_by_the_next_command(vault, tmp_path):
    older = vault.read_bytes()
    saved = clinote("backup", "--vault", str(vault), str(tmp_path / "b1.vault"), home=tmp_path)
    assert saved.returncode == 0 and saved.stderr == ""
    vault.write_bytes(older)  # rolled back: the last two saves are gone
    result = clinote("verify", "--vault", str(vault), home=tmp_path)
    assert result.returncode == 0
    assert result.stderr.startswith("clinote: WARNING: ") and result.stderr.count("\n") == 1
    assert "OLDER than the copy this computer last opened" in result.stderr
    # The record lives beside the config, not next to the vault.
    assert list((tmp_path / ".config" / "clinote" / "seen-vaults").glob("*.seen"))


def test_the_command_and_the_app_start_with_core_dumps_off(tmp_path):
    """Started through the real entry point: what the process reports once main() has begun.

    The probe first raises its own soft limit to the hard one, so a limit of 0 it merely
    inherited cannot make this pass.
    """
    probe = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_CORE, (resource.getrlimit(resource.RLIMIT_CORE)[1],) * 2)\n"
        "import cli.main\n"
        "def report():\n"
        "    print('core', resource.getrlimit(resource.RLIMIT_CORE))\n"
        "    if sys.platform.startswith('linux'):\n"
        "        import ctypes\n"
        "        print('dumpable', ctypes.CDLL(None).prctl(3, 0, 0, 0, 0))  # PR_GET_DUMPABLE\n"
        "    raise SystemExit(0)\n"
        "cli.main.build_parser = report\n"
        "cli.main.main([])\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLINOTE_")}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "core (0, 0)" in result.stdout
    if sys.platform.startswith("linux"):
        assert "dumpable 0" in result.stdout
