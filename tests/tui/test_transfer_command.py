"""`clinote export` and `clinote import` as a user runs them: real processes, real vaults."""

import json
import os
import stat
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from storage import Vault
from storage.records.repositories import Repositories
from tests.support.fictional_notes import SIGNER, fictional_client, fictional_draft

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery staple, fictional"
PHI_WARNING = "exports are plaintext PHI"


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


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def without_seals(value):
    if isinstance(value, dict):
        return {key: without_seals(item) for key, item in value.items() if key != "seal"}
    if isinstance(value, list):
        return [without_seals(item) for item in value]
    return value


@pytest.fixture(scope="module")
def source_vault(tmp_path_factory) -> Path:
    """A vault (real key derivation) with two fictional clients, a signed note and a draft."""
    path = tmp_path_factory.mktemp("source") / "practice.vault"
    with Vault.create(path, PASSPHRASE) as vault:
        repos = Repositories.from_vault(vault)
        jordan = fictional_client()
        riley = fictional_client("Riley Chen", "RC-0271")
        for client in (jordan, riley):
            repos.clients.save(client)
        signed = repos.notes.save_draft(fictional_draft(jordan, date(2025, 3, 4)))
        repos.notes.sign(signed.id, SIGNER, now=datetime(2025, 3, 4, 12, 0))
        repos.notes.add_addendum(signed.id, "GAD-7 was 11.", "Scoring error", SIGNER)
        repos.notes.save_draft(fictional_draft(riley, date(2025, 3, 6)))
    return path


@pytest.fixture
def empty_vault(tmp_path) -> Path:
    path = tmp_path / "new.vault"
    Vault.create(path, PASSPHRASE).close()
    return path


def test_export_to_stdout_warns_about_phi(source_vault):
    result = clinote("export", "--vault", str(source_vault))
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["format"] == "clinote-export" and document["version"] == 2
    assert sorted(c["code"] for c in document["clients"]) == ["JA-0142", "RC-0271"]
    assert PHI_WARNING in result.stderr


def test_export_to_a_file_is_private_and_imports_twice_without_duplicates(
    source_vault, empty_vault, tmp_path
):
    export_file = tmp_path / "out" / "export.json"
    export_file.parent.mkdir()
    result = clinote("export", "--vault", str(source_vault), "-o", str(export_file))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert PHI_WARNING in result.stderr
    assert mode(export_file) == 0o600

    first = clinote("import", "--vault", str(empty_vault), str(export_file))
    assert first.returncode == 0, first.stderr
    assert "imported 2 new and 0 updated client(s)" in first.stdout
    assert "2 new and 0 updated note(s)" in first.stdout
    second = clinote("import", "--vault", str(empty_vault), str(export_file))
    assert second.returncode == 0, second.stderr
    assert "imported 0 new and 0 updated client(s)" in second.stdout
    assert "2 note(s) already up to date" in second.stdout

    again = clinote("export", "--vault", str(empty_vault))
    # Everything arrives as it was, except the seals: they were made with the other
    # vault's key, so this vault holds those signatures as imported and not verified.
    assert json.loads(again.stdout)["clients"] == without_seals(
        json.loads(export_file.read_text())["clients"]
    )


def test_export_of_one_client_and_of_an_unknown_code(source_vault):
    one = clinote("export", "--vault", str(source_vault), "--client", "RC-0271")
    assert [c["code"] for c in json.loads(one.stdout)["clients"]] == ["RC-0271"]
    unknown = clinote("export", "--vault", str(source_vault), "--client", "ZZ-0000")
    assert unknown.returncode == 2
    assert unknown.stdout == ""
    error_lines = [line for line in unknown.stderr.splitlines() if PHI_WARNING not in line]
    assert error_lines == [
        "clinote: no client has the code ZZ-0000; check the code, "
        "or leave out --client to export every client"
    ]


def test_markdown_export_writes_private_files_named_without_client_names(source_vault, tmp_path):
    folder = tmp_path / "notes"
    result = clinote("export", "--vault", str(source_vault), "--markdown", str(folder))
    assert result.returncode == 0, result.stderr
    assert PHI_WARNING in result.stderr
    assert "wrote 2 note file(s)" in result.stderr
    assert mode(folder) == 0o700
    files = sorted(folder.iterdir())
    assert [f.name[:19] for f in files] == ["JA-0142_2025-03-04_", "RC-0271_2025-03-06_"]
    assert all(mode(f) == 0o600 for f in files)
    signed_text = files[0].read_text()
    assert "Electronically signed by Dana Reyes, LCSW" in signed_text
    assert "## Addendum" in signed_text


def test_import_of_a_bad_file_names_each_problem_and_writes_nothing(empty_vault, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "format": "clinote-export",
                "version": 1,
                "clients": [{"id": "c1", "code": "JA-0142", "status": "archived"}],
            }
        )
    )
    result = clinote("import", "--vault", str(empty_vault), str(bad))
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert f"clinote: {bad}: clients[0].name: required field missing" in lines
    assert any(line.startswith(f"clinote: {bad}: clients[0].status:") for line in lines)
    assert lines[-1].startswith("clinote: nothing was imported")
    with Vault.open(empty_vault, PASSPHRASE) as vault:
        assert Repositories.from_vault(vault).clients.list() == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "is not valid JSON (line 1 column 2)"),
        (
            '{"format": "clinote-export", "version": 7, "clients": []}',
            "version: 7 is not supported",
        ),
    ],
)
def test_import_of_something_else_is_one_clear_line(tmp_path, content, expected):
    # Both are refused before the vault is needed, or right after opening it.
    path = tmp_path / "other.json"
    path.write_text(content)
    vault_path = tmp_path / "v.vault"
    Vault.create(vault_path, PASSPHRASE).close()
    result = clinote("import", "--vault", str(vault_path), str(path))
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
