"""`clinote draft` and `clinote check` on a group session file, as a user runs them."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from cli.main import main
from tests.support.drafting_sessions import GOOD_DRAFT, chunked
from tests.support.ollama_standin import Script

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_PATH = ROOT / "examples" / "group" / "group-skills.json"
EXAMPLE = json.loads(EXAMPLE_PATH.read_text(encoding="utf-8"))
MEMBERS = [(m["client"]["name"], m["client"]["code"]) for m in EXAMPLE["members"]]
SENTINEL = "Heronfield group-process sentinel"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, list[str]]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err.splitlines()


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "group.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def notes_of(out: str) -> list[str]:
    return out.split("\n---\n\n")


def assert_no_other_member(notes: list[str], codes: list[str]) -> None:
    for note, own_code in zip(notes, codes, strict=True):
        assert f"({own_code})" in note
        for name, code in MEMBERS:
            if code != own_code:
                assert name not in note and code not in note
                assert name.split()[0] not in note and name.split()[-1] not in note


def test_draft_prints_every_members_note_separated_by_dashes(capsys):
    code, out, err = run(capsys, "draft", str(EXAMPLE_PATH), "--no-llm")
    assert code == 0
    notes = notes_of(out)
    assert len(notes) == 3
    assert all(note.startswith("# Progress note\n") for note in notes)
    assert "\n---\n" in out and out.count("\n---\n") == 2
    assert_no_other_member(notes, [code for _, code in MEMBERS])
    assert [("90853" in note) for note in notes] == [True, True, False]
    assert all("- Group roster: 3 members, 2 attended, 1 absent" in note for note in notes)
    assert not any("GROUP-OTHER-MEMBER" in line for line in err)
    assert (
        err[0] == "info DRAFT-COMPOSER: written by clinote's composer (--no-llm) (member MH-0311)"
    )


def test_member_prints_one_note(capsys):
    code, out, _ = run(capsys, "draft", str(EXAMPLE_PATH), "--no-llm", "--member", "tw-0427")
    assert code == 0
    (note,) = notes_of(out)
    assert_no_other_member([note], ["TW-0427"])


def test_an_unknown_member_is_one_line(capsys):
    code, out, err = run(capsys, "draft", str(EXAMPLE_PATH), "--no-llm", "--member", "ZZ-1")
    assert (code, out) == (2, "")
    assert err == [
        "clinote: no member of this group session has the code ZZ-1; "
        "check --member against the members' client codes"
    ]


def test_absent_members_can_get_no_note(tmp_path, capsys):
    data = {**copy.deepcopy(EXAMPLE), "absent_members": "none"}
    code, out, _ = run(capsys, "draft", str(write(tmp_path, data)), "--no-llm")
    assert code == 0
    assert len(notes_of(out)) == 2
    assert "PC-0519" not in out


def test_a_note_naming_another_member_is_an_error(tmp_path, capsys):
    data = copy.deepcopy(EXAMPLE)
    data["members"][1]["response"] = "Gave Maren encouraging feedback during the review."
    path = write(tmp_path, data)
    code, _, err = run(capsys, "draft", str(path), "--no-llm")
    assert code == 0
    flagged = [line for line in err if "GROUP-OTHER-MEMBER" in line]
    assert len(flagged) == 1
    assert flagged[0].startswith("error GROUP-OTHER-MEMBER: this note names or identifies")
    assert flagged[0].endswith("(member TW-0427)")
    assert "Maren" not in flagged[0]
    code, _, err = run(capsys, "check", str(path))
    assert code == 1
    assert any(line.startswith("error GROUP-OTHER-MEMBER") for line in err)


def test_check_of_the_example_is_clean(capsys):
    code, _, err = run(capsys, "check", str(EXAMPLE_PATH))
    assert code == 0
    # Only the service code's basis, per attending member: nothing to fix.
    assert err == [
        f"info SERVICE-CODE-BASIS: service code 90853: 90 minutes of group psychotherapy "
        f"(per session, for at most 12 participants) (member {code})"
        for code in ("MH-0311", "TW-0427")
    ]


def test_a_members_psychotherapy_note_never_reaches_any_output(tmp_path, capsys):
    data = copy.deepcopy(EXAMPLE)
    for member in data["members"]:
        member["psychotherapy_note"] = SENTINEL
    path = write(tmp_path, data)
    for argv in (("draft", str(path), "--no-llm"), ("check", str(path))):
        _, out, err = run(capsys, *argv)
        assert SENTINEL not in out + "\n".join(err)


def test_the_model_gets_one_member_at_a_time(ollama_standin, tmp_path, capsys):
    ollama_standin.script = Script(chunks=chunked(GOOD_DRAFT))
    data = {**copy.deepcopy(EXAMPLE), "absent_members": "none"}
    for member in data["members"]:
        member["psychotherapy_note"] = SENTINEL
    code, out, _ = run(capsys, "draft", str(write(tmp_path, data)))
    assert code == 0
    requests = ollama_standin.chat_requests
    assert len(requests) == 2
    responses = [member["response"] for member in data["members"][:2]]
    for index, request in enumerate(requests):
        body = json.dumps(request.body, ensure_ascii=False)
        assert SENTINEL not in body
        # Each prompt carries that member's entries only, never another's.
        assert responses[index] in body and responses[1 - index] not in body
        for other_name, other_code in MEMBERS:
            assert other_name not in body and other_code not in body
    assert len(notes_of(out)) == 2


def test_problems_name_the_member(tmp_path, capsys):
    data = copy.deepcopy(EXAMPLE)
    del data["members"][1]["client"]["code"]
    code, out, err = run(capsys, "draft", str(write(tmp_path, data)), "--no-llm")
    assert (code, out) == (2, "")
    assert err[0].endswith(
        "members[1].client.code: required field missing; "
        "docs/session-file.md describes every field, examples/ has two "
        "complete files"
    )
