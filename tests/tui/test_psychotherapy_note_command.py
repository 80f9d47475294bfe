"""A session file's psychotherapy note never reaches any output of `draft` or `check`,
and `clinote export` carries psychotherapy notes only when asked, with a warning."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from cli.main import main
from storage import Vault
from storage.records.repositories import Repositories
from tests.support.drafting_sessions import GOOD_DRAFT, chunked
from tests.support.fictional_notes import SIGNER, fictional_client, fictional_draft
from tests.support.ollama_standin import Script

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "individual-cbt.json"
SENTINEL = "Marigold-ferry transference sentinel"
PASSPHRASE = "correct horse battery staple, fictional"


def session_with_process_note(tmp_path: Path, **changes: object) -> Path:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["psychotherapy_note"] = f"{SENTINEL}: I felt drawn to rescue the client today."
    data.update(changes)
    path = tmp_path / "session.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_draft_without_a_model_never_shows_the_psychotherapy_note(tmp_path, capsys):
    code, output = run(capsys, "draft", str(session_with_process_note(tmp_path)), "--no-llm")
    assert code == 0
    assert "# Progress note" in output
    assert SENTINEL not in output


def test_draft_with_the_model_never_sends_or_shows_it(ollama_standin, tmp_path, capsys):
    ollama_standin.script = Script(chunks=chunked(GOOD_DRAFT))
    code, output = run(capsys, "draft", str(session_with_process_note(tmp_path)))
    assert code == 0
    (request,) = ollama_standin.chat_requests
    assert SENTINEL not in json.dumps(request.body)
    assert SENTINEL not in output


@pytest.mark.parametrize("text_flag", [False, True])
def test_check_never_shows_it(tmp_path, capsys, text_flag):
    argv = ["check", str(session_with_process_note(tmp_path))]
    if text_flag:
        note = tmp_path / "note.md"
        note.write_text("# Progress note\n\nClient attended.\n", encoding="utf-8")
        argv += ["--text", str(note)]
    code, output = run(capsys, *argv)
    assert code == (1 if text_flag else 0)
    if text_flag:
        assert output.strip()  # the checks found the short note wanting
    assert SENTINEL not in output


def test_a_session_file_with_problems_never_shows_it(tmp_path, capsys):
    path = session_with_process_note(tmp_path, format="novel")
    for command in ("draft", "check"):
        code, output = run(
            capsys, command, str(path), *(["--no-llm"] if command == "draft" else [])
        )
        assert code == 2
        assert "format" in output
        assert SENTINEL not in output


# --- export, through the real command and vault -----------------------------------------


def clinote(*args: str) -> subprocess.CompletedProcess[str]:
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


@pytest.fixture(scope="module")
def vault_with_process_note(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("process") / "practice.vault"
    with Vault.create(path, PASSPHRASE) as vault:
        repos = Repositories.from_vault(vault)
        client = fictional_client()
        repos.clients.save(client)
        draft = repos.notes.save_draft(fictional_draft(client, date(2025, 3, 4)))
        repos.psychotherapy_notes.save(draft.id, client.id, SENTINEL)
        repos.notes.sign(draft.id, SIGNER, now=datetime(2025, 3, 4, 12, 0))
    return path


def test_export_leaves_psychotherapy_notes_out_by_default(vault_with_process_note, tmp_path):
    result = clinote("export", "--vault", str(vault_with_process_note))
    assert result.returncode == 0, result.stderr
    assert SENTINEL not in result.stdout + result.stderr
    assert "psychotherapy notes" not in result.stderr
    markdown = clinote(
        "export", "--vault", str(vault_with_process_note), "--markdown", str(tmp_path)
    )
    assert markdown.returncode == 0, markdown.stderr
    assert all(SENTINEL not in path.read_text() for path in tmp_path.glob("*.md"))


def test_export_with_the_flag_includes_them_warns_and_imports_back(
    vault_with_process_note, tmp_path
):
    export_file = tmp_path / "export.json"
    result = clinote(
        "export",
        "--vault",
        str(vault_with_process_note),
        "--include-psychotherapy-notes",
        "-o",
        str(export_file),
    )
    assert result.returncode == 0, result.stderr
    assert "this export includes psychotherapy notes (45 CFR 164.501)" in result.stderr
    assert SENTINEL in export_file.read_text()

    target = tmp_path / "target.vault"
    Vault.create(target, PASSPHRASE).close()
    imported = clinote("import", "--vault", str(target), str(export_file))
    assert imported.returncode == 0, imported.stderr
    assert "1 psychotherapy note(s)" in imported.stdout
    with Vault.open(target, PASSPHRASE) as vault:
        repos = Repositories.from_vault(vault)
        (note,) = repos.notes.list_for_client(repos.clients.list()[0].id)
        assert repos.psychotherapy_notes.get(note.id).text == SENTINEL


def test_the_flag_is_refused_with_markdown(vault_with_process_note, tmp_path):
    result = clinote(
        "export",
        "--vault",
        str(vault_with_process_note),
        "--include-psychotherapy-notes",
        "--markdown",
        str(tmp_path / "md"),
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "clinote: psychotherapy notes are exported only in the JSON export; "
        "leave out --markdown or --include-psychotherapy-notes"
    ]
    assert not (tmp_path / "md").exists()
