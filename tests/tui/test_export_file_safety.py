"""`clinote export -o` and `--markdown` never replace a file, least of all the vault (issue 8.2)."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from storage import Vault
from storage.records.repositories import Repositories
from tests.support.fictional_notes import fictional_client, fictional_draft

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery staple, fictional"


def clinote(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CLINOTE_PASSPHRASE": PASSPHRASE}
    env.pop("CLINOTE_VAULT", None)
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def template_vault(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "practice.vault"
    with Vault.create(path, PASSPHRASE) as vault:
        repos = Repositories.from_vault(vault)
        client = fictional_client()
        repos.clients.save(client)
        repos.notes.save_draft(fictional_draft(client, date(2025, 3, 4)))
    return path


@pytest.fixture
def vault_path(tmp_path, template_vault) -> Path:
    path = tmp_path / "vault" / "practice.vault"
    path.parent.mkdir(mode=0o700)
    shutil.copyfile(template_vault, path)
    path.chmod(0o600)
    return path


@pytest.mark.parametrize(
    ("suffix", "what"),
    [("", "the vault itself"), (".bak", "the vault's backup"), (".lock", "the vault's lock file")],
)
def test_export_refuses_the_vault_and_its_companions(vault_path, suffix, what):
    target = vault_path.with_name(vault_path.name + suffix)
    if not target.exists():
        shutil.copyfile(vault_path, target)
    before = digest(target)
    result = clinote("export", "--vault", str(vault_path), "-o", str(target))
    assert result.returncode == 1
    assert f"clinote: {target} is {what}" in result.stderr
    assert "choose another file" in result.stderr
    assert digest(target) == before
    assert "wrote" not in result.stderr


def test_export_refuses_the_vault_through_a_symlink(vault_path, tmp_path):
    alias = tmp_path / "innocent.json"
    alias.symlink_to(vault_path)
    before = digest(vault_path)
    result = clinote("export", "--vault", str(vault_path), "-o", str(alias))
    assert result.returncode == 1
    assert "is the vault itself" in result.stderr
    assert digest(vault_path) == before


def test_export_refuses_an_existing_file_and_leaves_its_mode(vault_path, tmp_path):
    target = tmp_path / "report.json"
    target.write_text("someone's report")
    target.chmod(0o644)
    result = clinote("export", "--vault", str(vault_path), "-o", str(target))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"clinote: {target} already exists; exports never replace a file: choose a new name"
    )
    assert target.read_text() == "someone's report"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_export_refuses_what_is_not_a_regular_file(vault_path, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = clinote("export", "--vault", str(vault_path), "-o", str(fifo))
    assert result.returncode == 1
    assert "exists and is not a regular file" in result.stderr  # never opened: no hang
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_export_to_a_new_file_is_private(vault_path, tmp_path):
    target = tmp_path / "new.json"
    result = clinote("export", "--vault", str(vault_path), "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert '"clinote-export"' in target.read_text()


def test_markdown_export_never_truncates_a_file_of_the_same_name(vault_path, tmp_path):
    folder = tmp_path / "md"
    first = clinote("export", "--vault", str(vault_path), "--markdown", str(folder))
    assert first.returncode == 0, first.stderr
    [written] = list(folder.iterdir())
    written.write_text("the clinician's own edits")
    second = clinote("export", "--vault", str(vault_path), "--markdown", str(folder))
    assert second.returncode == 1
    assert f"1 file(s) of this export already exist in {folder} (first: {written.name})" in (
        second.stderr
    )
    assert "move them away or choose an empty folder" in second.stderr
    assert written.read_text() == "the clinician's own edits"
