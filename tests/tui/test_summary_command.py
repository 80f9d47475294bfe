"""`clinote summary` as a user runs it: a real vault, a real process, the signed notes it reads."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from core.notes.model import NoteStatus
from storage import Vault
from storage.records.repositories import Repositories
from tests.support.fictional_notes import SIGNER, fictional_client, fictional_plan
from tests.support.summary_course import COURSE, DRAFT_ONLY, course_note, signing_time

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery staple, fictional"


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
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def course_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One fictional client's course: signed sessions, a no-show, a late cancel, a draft."""
    path = tmp_path_factory.mktemp("summary") / "practice.vault"
    with Vault.create(path, PASSPHRASE) as vault:
        repos = Repositories.from_vault(vault)
        client = fictional_client()
        repos.clients.save(client)
        repos.plans.save(fictional_plan(client))
        for session in COURSE:
            note = repos.notes.save_draft(course_note(client, session))
            if session.signed:
                repos.notes.sign(note.id, SIGNER, now=signing_time(session))
    return path


def signed_notes(path: Path):
    with Vault.open(path, PASSPHRASE) as vault:
        repos = Repositories.from_vault(vault)
        client = repos.clients.find_by_code("JA-0142")
        return [
            note
            for note in repos.notes.list_for_client(client.id)
            if note.status is NoteStatus.SIGNED
        ]


def test_the_summary_matches_the_signed_notes_it_comes_from(course_vault):
    result = clinote("summary", "--vault", str(course_vault), "--client", "ja-0142")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("TREATMENT PROGRESS SUMMARY\n")
    notes = signed_notes(course_vault)
    assert f"Source: {len(notes)} signed note(s)" in out
    for note in notes:
        details = note.details
        assert f"{details.session.date.isoformat()} note {note.id[:8]}, signed by" in out
        for goal in details.goals:
            if goal.evidence:
                assert f"{details.session.date.isoformat()}: {goal.progress.value}" in out
                assert goal.evidence in out
        for measure in details.measures:
            assert f"{details.session.date.isoformat()}  {measure.score}" in out
    assert DRAFT_ONLY not in out
    assert "1 draft(s) in the period are not in the summary; sign them" in result.stderr
    assert "plaintext PHI" in result.stderr


def test_the_period_and_markdown(course_vault):
    result = clinote(
        "summary", "--vault", str(course_vault), "--client", "JA-0142",
        "--from", "2025-01-01", "--to", "2025-01-31", "--markdown",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Treatment progress summary\n")
    assert "- Period: 2025-01-01 to 2025-01-31" in result.stdout
    assert "Attended 2 · no-show 1 · late cancel 1" in result.stdout
    assert "2024-12-03" not in result.stdout and "2025-02-04" not in result.stdout
    assert "| 2025-01-07 | 16 | severe |" in result.stdout


def test_a_file_is_private_and_never_replaced(course_vault, tmp_path):
    target = tmp_path / "summary.txt"
    first = clinote(
        "summary", "--vault", str(course_vault), "--client", "JA-0142", "-o", str(target)
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout == ""
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    written = target.read_text()
    assert written.startswith("TREATMENT PROGRESS SUMMARY\n")
    again = clinote(
        "summary", "--vault", str(course_vault), "--client", "JA-0142", "-o", str(target)
    )
    assert again.returncode == 2
    assert again.stderr.strip() == (f"clinote: {target} already exists; choose another file name")
    assert target.read_text() == written


def test_a_discharge_summary_takes_the_reason_and_aftercare(course_vault):
    missing = clinote(
        "summary", "--vault", str(course_vault), "--client", "JA-0142", "--kind", "discharge"
    )
    assert missing.returncode == 2
    assert "needs the reason for discharge and aftercare plan" in missing.stderr
    assert "give both (--reason and --aftercare)" in missing.stderr
    assert missing.stdout == ""
    given = clinote(
        "summary", "--vault", str(course_vault), "--client", "JA-0142", "--kind", "discharge",
        "--reason", "Treatment goals met", "--aftercare", "Monthly primary-care check-ins",
    )  # fmt: skip
    assert given.returncode == 0, given.stderr
    assert given.stdout.startswith("DISCHARGE SUMMARY\n")
    assert "Reason for discharge: Treatment goals met" in given.stdout
    assert "Aftercare plan: Monthly primary-care check-ins" in given.stdout


def test_an_unknown_client_is_one_line(course_vault):
    result = clinote("summary", "--vault", str(course_vault), "--client", "ZZ-0000")
    assert result.returncode == 2
    assert result.stderr.strip() == "clinote: no client has the code ZZ-0000; check the code"


def test_narrative_from_the_local_model_is_grounded(course_vault, ollama_standin):
    from tests.support.drafting_sessions import chunked
    from tests.support.ollama_standin import Script

    ollama_standin.script = Script(
        chunks=chunked(
            "The client attended 3 sessions and the GAD-7 fell from 16 to 9. "
            "The client reported 40 panic attacks."
        )
    )
    result = clinote(
        "summary", "--vault", str(course_vault), "--client", "JA-0142", "--narrative",
        "--from", "2025-01-01",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Narrative\n---------\n\nThe client attended 3 sessions and the GAD-7 fell" in (
        result.stdout
    )
    assert "40 panic attacks" not in result.stdout
    assert "warning SUMMARY-NARRATIVE-UNSUPPORTED: removed a sentence" in result.stderr
    (request,) = ollama_standin.chat_requests
    prompt = json.dumps(request.body)
    assert "JA-0142" not in prompt and "Jordan" not in prompt and DRAFT_ONLY not in prompt


def test_without_a_model_the_summary_comes_without_narrative(course_vault, monkeypatch):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setenv("OLLAMA_HOST", url)
    result = clinote("summary", "--vault", str(course_vault), "--client", "JA-0142", "--narrative")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("TREATMENT PROGRESS SUMMARY")
    assert "Narrative" not in result.stdout
    assert "warning SUMMARY-NARRATIVE-UNAVAILABLE:" in result.stderr
