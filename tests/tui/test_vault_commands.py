"""`clinote init / verify / rekey / backup` as a user runs them: exit codes, one-line messages."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "amber orchard quietly humming"
NEW_PASSPHRASE = "silver canyon patient river"


def clinote(
    *args: str,
    passphrase: str | None = PASSPHRASE,
    new: str | None = None,
    home: Path,
    vault_env: Path | None = None,
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLINOTE_")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"))
    if passphrase is not None:
        env["CLINOTE_PASSPHRASE"] = passphrase
    if new is not None:
        env["CLINOTE_NEW_PASSPHRASE"] = new
    if vault_env is not None:
        env["CLINOTE_VAULT"] = str(vault_env)
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_one_line_failure(result: subprocess.CompletedProcess, code: int, *fragments: str):
    assert result.returncode == code, result.stderr
    assert result.stderr.startswith("clinote: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr


@pytest.fixture(scope="module")
def initialized(tmp_path_factory) -> Path:
    """One `clinote init` per module (the real KDF is slow); each test gets a copy."""
    home = tmp_path_factory.mktemp("init")
    path = home / "practice" / "clinote.vault"
    result = clinote("init", "--vault", str(path), home=home)
    assert result.returncode == 0, result.stderr
    assert f"created an empty vault at {path}" in result.stdout
    # Signing needs the clinician, which init does not ask for: the next step is said.
    assert "name and credentials in Settings (f2)" in result.stdout
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert oct(path.parent.stat().st_mode & 0o777) == "0o700"
    return path


@pytest.fixture
def vault(initialized, tmp_path) -> Path:
    path = tmp_path / "clinote.vault"
    shutil.copy(initialized, path)
    return path


def test_init_then_verify_reports_a_sound_vault(vault, tmp_path):
    result = clinote("verify", home=tmp_path, vault_env=vault)  # CLINOTE_VAULT works too
    assert result.returncode == 0, result.stderr
    assert "sound. generation 1, 2 frames, 1 documents (audit 1)" in result.stdout


def test_init_refuses_an_existing_vault_and_leaves_it_alone(vault, tmp_path):
    before = vault.read_bytes()
    result = clinote("init", "--vault", str(vault), home=tmp_path)
    assert_one_line_failure(result, 1, "already exists", str(vault))
    assert vault.read_bytes() == before


def test_init_refuses_a_short_passphrase_and_creates_nothing(tmp_path):
    path = tmp_path / "clinote.vault"
    result = clinote("init", "--vault", str(path), passphrase="too short", home=tmp_path)
    assert_one_line_failure(result, 2, "at least 15", "no vault was created")
    assert not path.exists()


def test_without_a_terminal_or_variable_the_passphrase_error_is_one_line(vault, tmp_path):
    result = clinote("verify", "--vault", str(vault), passphrase=None, home=tmp_path)
    assert_one_line_failure(result, 2, "CLINOTE_PASSPHRASE")


def test_verify_with_the_wrong_passphrase_fails_and_changes_nothing(vault, tmp_path):
    before = vault.read_bytes()
    result = clinote("verify", "--vault", str(vault), passphrase=NEW_PASSPHRASE, home=tmp_path)
    assert_one_line_failure(result, 2, "wrong passphrase")
    assert vault.read_bytes() == before


def test_verify_names_a_damaged_file_and_exits_non_zero(vault, tmp_path):
    data = bytearray(vault.read_bytes())
    data[-5] ^= 0x40
    vault.write_bytes(bytes(data))
    result = clinote("verify", "--vault", str(vault), home=tmp_path)
    assert_one_line_failure(result, 1, str(vault), "fails authentication", "nothing was changed")
    assert vault.read_bytes() == bytes(data)


def test_verify_of_a_missing_vault_says_how_to_create_one(tmp_path):
    result = clinote("verify", "--vault", str(tmp_path / "none.vault"), home=tmp_path)
    assert_one_line_failure(result, 1, "clinote init")


@pytest.mark.parametrize("command", [["verify"], ["rekey"], ["backup", "copy.vault"], ["export"]])
def test_a_missing_vault_is_named_before_any_passphrase_is_asked(tmp_path, command):
    missing = tmp_path / "none.vault"
    result = clinote(*command, "--vault", str(missing), passphrase=None, home=tmp_path)
    assert result.returncode == 1, result.stderr
    (line,) = result.stderr.splitlines()  # one line: no PHI warning when nothing is exported
    assert line.startswith(f"clinote: no vault at {missing}: create one with `clinote init`")
    assert "passphrase" not in result.stderr


def test_rekey_switches_passphrases(vault, tmp_path):
    result = clinote("rekey", "--vault", str(vault), new=NEW_PASSPHRASE, home=tmp_path)
    assert result.returncode == 0, result.stderr
    old = clinote("verify", "--vault", str(vault), home=tmp_path)
    assert_one_line_failure(old, 2, "wrong passphrase")
    new = clinote("verify", "--vault", str(vault), passphrase=NEW_PASSPHRASE, home=tmp_path)
    assert new.returncode == 0, new.stderr


def test_rekey_refuses_a_weak_new_passphrase_without_writing(vault, tmp_path):
    before = vault.read_bytes()
    result = clinote("rekey", "--vault", str(vault), new="short", home=tmp_path)
    assert_one_line_failure(result, 2, "at least 15", "not changed")
    assert vault.read_bytes() == before


def test_backup_writes_a_copy_that_verifies_and_never_overwrites(vault, tmp_path):
    destination = tmp_path / "offsite.vault"
    result = clinote("backup", str(destination), "--vault", str(vault), home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert str(destination) in result.stdout
    check = clinote("verify", "--vault", str(destination), home=tmp_path)
    assert check.returncode == 0, check.stderr
    again = clinote("backup", str(destination), "--vault", str(vault), home=tmp_path)
    assert_one_line_failure(again, 1, "already exists", "no backup was written")
    # The destination is the argument to change, not --vault (the vault being copied).
    assert "--vault" not in again.stderr
    assert "choose another destination" in again.stderr
