"""`clinote draft` on session files written before issue 9's fields still works, and the
model sees the same entries it did."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cli.main import main
from core.notes.composer import compose_note
from core.notes.session_file import load_session_file
from tests.support.drafting_sessions import GOOD_DRAFT, chunked
from tests.support.ollama_standin import Script

LEGACY = sorted((Path(__file__).resolve().parents[1] / "core" / "data").glob("*.json"))
FINDING_LINE = re.compile(r"^(error|warning|info) [A-Z0-9-]+: \S")


@pytest.mark.parametrize("path", LEGACY, ids=lambda path: path.name)
def test_draft_without_the_model_on_an_old_file(path, ollama_standin, capsys):
    code = main(["draft", str(path), "--no-llm"])
    captured = capsys.readouterr()
    assert code == 0
    assert captured.out == compose_note(load_session_file(path))
    lines = captured.err.splitlines()
    assert lines[0] == "info DRAFT-COMPOSER: written by clinote's composer (--no-llm)"
    assert all(FINDING_LINE.match(line) for line in lines)
    # An old file has no assessment: the note is written, and the gap is named.
    assert any(line.startswith("warning MEDICAL-NECESSITY-MISSING:") for line in lines)
    assert ollama_standin.requests == []


@pytest.mark.parametrize("path", LEGACY, ids=lambda path: path.name)
def test_draft_with_the_model_on_an_old_file(path, ollama_standin, capsys):
    ollama_standin.script = Script(chunks=chunked(GOOD_DRAFT))
    code = main(["draft", str(path), "--format", "dap"])
    captured = capsys.readouterr()
    assert code == 0
    assert captured.out.startswith("# Progress note\n")
    assert "## Data" in captured.out and "## Plan" in captured.out
    (request,) = ollama_standin.chat_requests
    assert "## Assessment" in request.body["messages"][1]["content"]
