"""Session files that once crashed or misled the CLI: each is one clear line and exit 2."""

from __future__ import annotations

import json

import pytest

from cli.main import main
from core.notes.session_file import session_to_dict
from tests.support.drafting_sessions import passive_ideation_session


def session_text() -> str:
    return json.dumps(session_to_dict(passive_ideation_session()))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            session_text()[:-1] + ', "risk": {}}',
            'the key "risk" appears twice in one object; keep one',
        ),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (session_text()[:-1] + ', "plan": ' + "9" * 5000 + "}", "a number has more than"),
    ],
    ids=["duplicate-key", "deep-nesting", "huge-number"],
)
@pytest.mark.parametrize("command", ["check", "draft"])
def test_refused_with_one_line_and_exit_2(tmp_path, capsys, command, text, reason):
    path = tmp_path / "session.json"
    path.write_text(text, encoding="utf-8")
    argv = [command, str(path)] + (["--no-llm"] if command == "draft" else [])
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and reason in lines[0]
    assert lines[0].startswith(f"clinote: {path}: ")


def test_a_date_with_a_trailing_newline_is_not_a_date(tmp_path, capsys):
    session = session_to_dict(passive_ideation_session())
    session["session"]["date"] = session["session"]["date"] + "\n"
    path = tmp_path / "session.json"
    path.write_text(json.dumps(session), encoding="utf-8")
    assert main(["check", str(path)]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert "session.date: the text given is not a date in the form YYYY-MM-DD" in line


def test_an_export_with_a_duplicate_key_is_refused_before_the_vault_is_opened(tmp_path, capsys):
    path = tmp_path / "export.json"
    path.write_text('{"format": "clinote-export", "version": 1, "clients": [], "clients": []}')
    assert main(["import", "--vault", str(tmp_path / "none.vault"), str(path)]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line == (
        f'clinote: {path}: the key "clients" appears twice in one object; keep one; '
        "is it a file written by clinote export?"
    )
