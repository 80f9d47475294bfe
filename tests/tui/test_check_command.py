"""`clinote check` run as a user runs it: the real console entry in a subprocess."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FINDING_LINE = re.compile(r"^(error|warning|info) [A-Z0-9]+(?:-[A-Z0-9]+)*: \S.*$")

SESSION = {
    "client": {
        "name": "Casey Lindqvist",
        "code": "CL-0733",
        "diagnoses": [{"code": "F43.10", "label": "Post-traumatic stress disorder"}],
    },
    "session": {
        "date": "2025-05-06",
        "start": "13:00",
        "end": "13:45",
        "service": "individual",
        "setting": "in_person",
        "attendance": "attended",
    },
    "interventions": [
        {
            "modality": "Trauma-focused",
            "technique": "grounding (5-4-3-2-1)",
            "detail": "used when the client described the accident and rated distress 8 of 10",
        }
    ],
    "response": "Distress down to 4 of 10 after grounding; client named three safe places.",
    "goals": [
        {
            "id": "goal-driving",
            "description": "Drive to work twice a week",
            "progress": "progressing",
            "evidence": "Drove once this week with a friend in the car",
        }
    ],
    "risk": {
        "suicidal_ideation": "denied",
        "homicidal_ideation": "denied",
        "self_harm": "denied",
        "level": "low",
    },
    "assessment": {
        "impression": "Avoidance of driving is easing with grounding.",
        "medical_necessity": "Weekly therapy while driving to work is still avoided.",
    },
    "plan": "Weekly trauma-focused therapy; next session begin the trauma narrative.",
    "next_session": "2025-05-13",
}
# The one line a clean, billable note still gets: the basis of its service code.
CODE_BASIS = re.compile(r"^info SERVICE-CODE-BASIS: service code \S+: .*\n$")


def run_check(*arguments):
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "check", *map(str, arguments)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def summary_for(stderr: str) -> str:
    """The summary line `check` prints on stdout for the findings it printed on stderr."""
    counts = []
    for severity, many in (("error", "errors"), ("warning", "warnings"), ("info", "info")):
        count = sum(line.startswith(f"{severity} ") for line in stderr.splitlines())
        if count:
            counts.append(f"{count} {severity if count == 1 else many}")
    return (", ".join(counts) or "no findings") + "\n"


def write_session(tmp_path, data, name="session.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_complete_session_checks_clean_with_exit_0(tmp_path):
    result = run_check(write_session(tmp_path, SESSION))
    assert result.returncode == 0, result.stderr
    assert CODE_BASIS.match(result.stderr), result.stderr
    assert result.stdout == "1 info\n"


def test_each_example_checks_clean():
    for example in sorted(EXAMPLES.glob("*.json")):
        result = run_check(example)
        assert result.returncode == 0, example.name
        assert CODE_BASIS.match(result.stderr), (example.name, result.stderr)


def test_warnings_only_are_printed_one_per_line_and_exit_0(tmp_path):
    data = {**SESSION, "plan": "Continue current plan.", "next_session": None}
    data = {key: value for key, value in data.items() if value is not None}
    result = run_check(write_session(tmp_path, data))
    lines = result.stderr.splitlines()
    assert result.returncode == 0
    assert lines and all(FINDING_LINE.match(line) for line in lines), lines
    assert any(line.startswith("warning PLAN-WEAK: ") for line in lines)
    assert result.stdout == summary_for(result.stderr)


def test_an_error_finding_exits_1(tmp_path):
    data = {
        **SESSION,
        "risk": {**SESSION["risk"], "suicidal_ideation": "passive", "level": "moderate"},
    }
    result = run_check(write_session(tmp_path, data))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "error RISK-NO-SAFETY-PLAN" in {line.split(":")[0] for line in lines}
    assert all(FINDING_LINE.match(line) for line in lines), lines


def test_text_option_checks_the_given_note_instead_of_the_composed_one(tmp_path):
    session_path = write_session(tmp_path, SESSION)
    composed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from core.notes.composer import compose_note; "
            "from core.notes.session_file import load_session_file; "
            "print(compose_note(load_session_file(sys.argv[1])))",
            str(session_path),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    note = tmp_path / "note.md"
    note.write_text(
        composed + "\nClient denies suicidal ideation but reported passive SI.\n", encoding="utf-8"
    )
    result = run_check(session_path, "--text", note)
    assert result.returncode == 1
    assert "error RISK-CONTRADICTION: " in result.stderr
    # The sentence itself (note text) is never echoed on the command line.
    assert "reported passive SI" not in result.stderr


def test_a_bad_session_file_prints_each_problem_on_one_line_and_exits_2(tmp_path):
    data = json.loads(json.dumps(SESSION))
    data["session"]["end"] = "12:00"
    data["risk"]["colour"] = "blue"
    result = run_check(write_session(tmp_path, data))
    lines = result.stderr.splitlines()
    assert result.returncode == 2
    assert len(lines) >= 2
    assert all(line.startswith("clinote: ") for line in lines)
    assert any("session.end" in line for line in lines)
    assert any("risk.colour" in line for line in lines)


def test_a_missing_session_file_is_one_line_and_exit_2(tmp_path):
    result = run_check(tmp_path / "nowhere.json")
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("clinote: ")


def test_an_unreadable_text_file_is_one_line_and_exit_2(tmp_path):
    session_path = write_session(tmp_path, SESSION)
    result = run_check(session_path, "--text", tmp_path / "missing-note.md")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"clinote: {tmp_path / 'missing-note.md'}: no such file; check the --text path"
    ]


def test_a_text_file_that_is_not_utf8_is_one_line_and_exit_2(tmp_path):
    session_path = write_session(tmp_path, SESSION)
    note = tmp_path / "note.md"
    note.write_bytes(b"\xff\xfe\x00bad")
    result = run_check(session_path, "--text", note)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert "UTF-8" in result.stderr


def test_check_needs_no_vault(tmp_path):
    env_free_vault = tmp_path / "no-such.vault"
    result = run_check(write_session(tmp_path, SESSION), "--vault", env_free_vault)
    assert result.returncode == 0, result.stderr
    assert not env_free_vault.exists()


def test_session_file_problems_end_with_what_to_do(tmp_path):
    missing = run_check(tmp_path / "nowhere.json")
    assert missing.stderr.splitlines() == [
        f"clinote: {tmp_path / 'nowhere.json'}: no such file; check the session file's path"
    ]
    broken = run_check(write_session(tmp_path, {"client": {}}))
    lines = broken.stderr.splitlines()
    assert broken.returncode == 2 and len(lines) == 4
    assert all(line.startswith("clinote: ") for line in lines)
    assert lines[-1] == (
        "clinote: fix these 3 problems in the session file; "
        "docs/session-file.md describes every field, examples/ has two complete files"
    )


EHR_NOTE = """PATIENT: Lindqvist, Casey   MRN 55120   DOS 05/06/25   1:00 PM - 1:45 PM
PROVIDER: (signed in the EHR)

Client described the accident and rated distress 8 of 10. Used grounding (5-4-3-2-1) when
distress rose; distress fell to 4 of 10 and the client named three safe places. Goal: drive
to work twice a week; drove once this week with a friend in the car. Client denies suicidal
ideation, homicidal ideation and self-harm; risk level: low. Plan: weekly trauma-focused
therapy; next session begin the trauma narrative.
"""


def test_a_pasted_note_with_an_ehr_header_passes_with_body_only(tmp_path):
    session_path = write_session(tmp_path, SESSION)
    note = tmp_path / "pasted.md"
    note.write_text(EHR_NOTE, encoding="utf-8")
    plain = run_check(session_path, "--text", note)
    assert plain.returncode == 1 and "error HEADER-MISSING: " in plain.stderr
    assert plain.stdout == summary_for(plain.stderr)
    assert plain.stdout.startswith("1 error, 1 warning")
    body_only = run_check(session_path, "--text", note, "--body-only")
    assert body_only.returncode == 0
    # Information about the code's basis may come; nothing a reviewer would object to.
    assert not [line for line in body_only.stderr.splitlines() if not line.startswith("info ")]
    assert body_only.stdout == summary_for(body_only.stderr)


def test_previous_runs_the_cloning_check(tmp_path):
    session_path = write_session(tmp_path, SESSION)
    note = tmp_path / "today.md"
    note.write_text(EHR_NOTE, encoding="utf-8")
    previous = tmp_path / "last-week.md"
    previous.write_text(EHR_NOTE.replace("05/06/25", "04/29/25"), encoding="utf-8")
    cloned = run_check(session_path, "--text", note, "--body-only", "--previous", previous)
    assert "warning CLONED-NOTE: " in cloned.stderr
    fresh = run_check(session_path, "--text", note, "--body-only")
    assert "CLONED-NOTE" not in fresh.stderr
    missing = run_check(session_path, "--previous", tmp_path / "none.md")
    assert missing.returncode == 2
    assert missing.stderr.splitlines() == [
        f"clinote: {tmp_path / 'none.md'}: no such file; check the --previous path"
    ]


@pytest.mark.timeout(120)
def test_a_90_kb_adversarial_note_finishes(tmp_path):
    # 'a 'a 'a ... made the quote patterns quadratic: 30-60 s before issue 10's fix.
    session_path = write_session(tmp_path, SESSION)
    note = tmp_path / "adversarial.md"
    note.write_text("'a " * 30_000, encoding="utf-8")
    result = run_check(session_path, "--text", note, "--body-only")
    assert result.returncode in (0, 1)
    assert result.stdout.strip()  # the summary line was printed: the check finished


def test_a_note_file_too_large_to_be_a_note_is_one_line_and_exit_2(tmp_path):
    session_path = write_session(tmp_path, SESSION)
    note = tmp_path / "huge.md"
    note.write_bytes(b"a" * 900_001)
    result = run_check(session_path, "--text", note)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"clinote: {note}: too large for a note (a note holds at most 200,000 characters); "
        "check the --text path"
    ]
