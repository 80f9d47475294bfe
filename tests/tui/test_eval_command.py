"""`clinote eval` on the shipped cases against a faithful, a lying and a truncating model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.commands.eval import SHIPPED_CASES
from cli.main import main
from core.notes.formats import sections_for
from core.notes.session_file import load_session_file
from tests.support.eval_models import CUTTER, EVAL_MODELS, GOOD, LIAR, eval_reply
from tests.support.ollama_standin import OllamaStandIn

CASES = sorted(SHIPPED_CASES.glob("*.json"))
MODELS = ("--model", GOOD, "--model", LIAR, "--model", CUTTER)


@pytest.fixture
def eval_standin(monkeypatch):
    with OllamaStandIn(EVAL_MODELS) as standin:
        standin.reply = eval_reply
        monkeypatch.setenv("OLLAMA_HOST", standin.url)
        yield standin


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def held_cases() -> list:
    details = [load_session_file(path) for path in CASES]
    return [d for d in details if d.session.attendance.session_held]


def test_the_shipped_cases_cover_every_format_and_the_hard_sessions():
    details = [load_session_file(path) for path in CASES]
    assert 8 <= len(details) <= 12
    assert {d.format.value for d in details} == {"dap", "birp", "soap", "girp", "pirp", "sirp"}
    assert any(d.risk.suicidal_ideation.value.startswith("active") for d in details)
    assert any(d.risk.suicidal_ideation.value == "not_assessed" for d in details)
    assert {"couples", "family_with_client", "crisis"} <= {d.session.service.value for d in details}
    assert {"telehealth_video", "telehealth_audio"} <= {d.session.setting.value for d in details}
    assert any(d.session.attendance.value == "no_show" for d in details)


def test_the_table_shows_the_lies_and_the_cuts(eval_standin, capsys):
    code, out, err = run(capsys, "eval", *MODELS)
    assert code == 0 and err == ""
    summaries = {
        line.removeprefix("summary ").partition(": ")[0]: line
        for line in out.splitlines()
        if line.startswith("summary ")
    }
    held = len(held_cases())
    assert summaries[GOOD].startswith(
        f"summary {GOOD}: {held} of {len(CASES)} cases drafted; sections missing 0, "
        "contradictions removed 0, unsupported 0 numbers / 0 medications / 0 quotes, "
        "identifiers replaced 0, cut 0;"
    )
    # The liar denied suicidal ideation in every note: removed where the entries say otherwise.
    contradicted = sum(1 for d in held_cases() if d.risk.suicidal_ideation.value != "denied")
    assert f"contradictions removed {contradicted}," in summaries[LIAR]
    assert f"/ {held} medications / {held} quotes" in summaries[LIAR]
    missing = sum(len(sections_for(d.format)) - 1 for d in held_cases())
    assert f"sections missing {missing}," in summaries[CUTTER]
    assert f"cut {held};" in summaries[CUTTER]
    no_show = next(line for line in out.splitlines() if line.startswith("08-soap-no-show"))
    assert "no session held" in no_show
    assert len(eval_standin.chat_requests) == 3 * held  # the no-show never reaches a model


def test_each_row_shows_the_stand_ins_counts(eval_standin, capsys):
    code, out, _ = run(capsys, "eval", "--model", LIAR)
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("02-birp-elevated-risk"))
    request = next(
        r for r in eval_standin.chat_requests if "accident" in r.body["messages"][-1]["content"]
    )
    cells = row.split()
    # miss rm num med quo id cut prompt out 1st total tok/s
    assert cells[1:8] == ["0", "1", "1", "1", "1", "0", "no"]
    from tests.support.ollama_standin import estimate_prompt_tokens

    assert int(cells[8]) == estimate_prompt_tokens(request.body)
    output_tokens = int(cells[9])
    assert float(cells[12]) == pytest.approx(output_tokens / 2.0, abs=0.05)


def test_json_has_the_full_table(eval_standin, capsys):
    code, out, _ = run(capsys, "eval", "--model", CUTTER, "--json")
    assert code == 0
    (model,) = json.loads(out)["models"]
    assert model["model"] == CUTTER
    rows = {row["case"]: row for row in model["cases"]}
    assert set(rows) == {path.stem for path in CASES}
    assert rows["01-dap-individual-cbt"]["cut"] is True
    assert rows["01-dap-individual-cbt"]["sections_missing"] == 2
    assert rows["08-soap-no-show"]["status"].startswith("no session held")
    assert model["summary"]["cut"] == len(held_cases())


def test_a_model_that_is_not_installed_is_a_row_per_case_and_exit_1(eval_standin, capsys):
    code, out, _ = run(capsys, "eval", "--model", "absent:7b")
    assert code == 1
    assert "model absent:7b is not installed: `ollama pull absent:7b`" in out
    assert eval_standin.chat_requests == []


def test_a_folder_without_cases_is_one_line(tmp_path, capsys):
    code, out, err = run(capsys, "eval", "--cases", str(tmp_path))
    assert code == 2 and out == ""
    assert err == f"clinote: {tmp_path} holds no session files (*.json): see examples/eval\n"


def test_a_remote_host_is_refused_for_eval_before_connecting(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("OLLAMA_HOST", "http://10.0.0.5:11434")
    code, out, _ = run(capsys, "eval", "--allow-remote", "--cases", str(Path(CASES[0]).parent))
    assert code == 1
    assert "cross the network unencrypted" in out
