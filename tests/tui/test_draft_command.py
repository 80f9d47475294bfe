"""`clinote draft`, `clinote models` and `clinote doctor` as a user runs them."""

from __future__ import annotations

import json
import re
import socket

import ollama
import pytest

from cli.commands.draft import describe_route, listening_program
from cli.main import main
from core.drafting.host import parse_host
from core.notes.composer import compose_note
from core.notes.session_file import load_session_file, session_to_dict
from tests.support.drafting_sessions import GOOD_DRAFT, chunked, passive_ideation_session
from tests.support.ollama_standin import Script, StandInModel

FINDING_LINE = re.compile(r"^(error|warning|info) [A-Z0-9-]+: \S")


@pytest.fixture
def session_path(tmp_path):
    path = tmp_path / "session.json"
    path.write_text(json.dumps(session_to_dict(passive_ideation_session())), encoding="utf-8")
    return path


@pytest.fixture
def vault_file(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    vault = folder / "clinote.vault"
    vault.write_bytes(b"not opened by doctor")
    vault.chmod(0o600)
    monkeypatch.setenv("CLINOTE_VAULT", str(vault))
    return vault


@pytest.fixture
def nothing_listening(monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setenv("OLLAMA_HOST", url)
    return url


@pytest.fixture
def no_connections(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("nothing may connect to a remote host")

    monkeypatch.setattr(ollama, "Client", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err.splitlines()


def composed(session_path, note_format=None) -> str:
    return compose_note(load_session_file(session_path), note_format)


def test_draft_prints_the_grounded_note_and_names_the_model(ollama_standin, session_path, capsys):
    ollama_standin.script = Script(chunks=chunked(GOOD_DRAFT))
    code, out, err = run(capsys, "draft", str(session_path))
    assert code == 0
    assert out.startswith("# Progress note\n")
    assert "The clinician used diaphragmatic breathing to lower arousal" in out
    assert "Client reported passive suicidal ideation." in out  # clinote's risk statement
    assert err[0].startswith(
        f"info DRAFT-MODEL: drafted by gemma3:4b at {ollama_standin.url} (local)"
    )
    assert all(FINDING_LINE.match(line) for line in err)


def test_draft_reports_what_the_model_invented(ollama_standin, session_path, capsys):
    denial = "The client denies suicidal ideation."
    ollama_standin.script = Script(
        chunks=chunked(GOOD_DRAFT.replace("## Plan", f"{denial}\n\n## Plan"))
    )
    code, out, err = run(capsys, "draft", str(session_path))
    assert code == 0
    assert denial not in out
    assert any(
        line.startswith("error DRAFT-RISK-CONTRADICTION: removed from the draft") for line in err
    )


def test_draft_without_a_server_prints_the_composed_note_and_why(
    nothing_listening, session_path, capsys
):
    code, out, err = run(capsys, "draft", str(session_path))
    assert code == 0
    assert out == composed(session_path)
    assert err[0] == (
        f"warning DRAFT-MODEL-UNAVAILABLE: Ollama is not running at {nothing_listening}: "
        "start it with `ollama serve`; this is clinote's composed note"
    )
    assert all(FINDING_LINE.match(line) for line in err)


def test_draft_with_a_model_that_is_not_installed(ollama_standin, session_path, capsys):
    code, out, err = run(capsys, "draft", str(session_path), "--model", "qwen2.5:7b")
    assert code == 0 and out == composed(session_path)
    assert err[0].startswith(
        "warning DRAFT-MODEL-UNAVAILABLE: model qwen2.5:7b is not installed: `ollama pull qwen2.5:7b`"
    )


def test_draft_no_llm_never_asks_the_model(ollama_standin, session_path, capsys):
    code, out, err = run(capsys, "draft", str(session_path), "--no-llm", "--format", "soap")
    assert code == 0
    assert out == composed(session_path, "soap") and "## Subjective" in out
    assert err[0] == "info DRAFT-COMPOSER: written by clinote's composer (--no-llm)"
    assert ollama_standin.requests == []


def test_draft_asks_for_the_format_given(ollama_standin, session_path, capsys):
    soap = "## Subjective\nWorry about a job interview.\n\n## Objective\nFidgeting early.\n\n"
    soap += "## Assessment\nWorry is progressing.\n\n## Plan\nWeekly individual CBT.\n"
    ollama_standin.script = Script(chunks=chunked(soap))
    code, out, err = run(capsys, "draft", str(session_path), "--format", "soap")
    assert code == 0
    (request,) = ollama_standin.chat_requests
    assert "## Objective" in request.body["messages"][1]["content"]
    assert "## Objective\n\nFidgeting early." in out
    assert not any("DRAFT-SECTION-MISSING" in line for line in err)


def test_draft_refuses_a_remote_host_without_connecting(
    no_connections, monkeypatch, session_path, capsys
):
    monkeypatch.setenv("OLLAMA_HOST", "http://192.168.50.7:11434")
    code, out, err = run(capsys, "draft", str(session_path))
    assert code == 0 and out == composed(session_path)
    assert "notes would leave it" in err[0] and "--allow-remote" in err[0]


def test_draft_with_a_bad_session_file_says_what_is_wrong(tmp_path, capsys):
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    code, out, err = run(capsys, "draft", str(broken))
    assert code == 2 and out == ""
    assert len(err) == 1 and err[0].startswith(f"clinote: {broken}: not valid JSON")


def test_models_lists_size_and_context_length(ollama_standin, capsys):
    ollama_standin.models = {
        "gemma3:4b": StandInModel("gemma3:4b"),
        "llama3.1:8b": StandInModel("llama3.1:8b", 8192, 4_920_753_328, "llama", "8.0B"),
        "gpt-oss:20b-cloud": StandInModel("gpt-oss:20b-cloud", 131072, 384, "gptoss", "20.9B"),
    }
    code, out, err = run(capsys, "models")
    assert code == 0 and err == []
    assert out.splitlines() == [
        "gemma3:4b            3.3 GB  context 131072  4.3B Q4_K_M  (default)",
        "gpt-oss:20b-cloud    0.0 GB  context 131072  20.9B Q4_K_M  (cloud: notes would leave this machine)",
        "llama3.1:8b          4.9 GB  context 8192  8.0B Q4_K_M",
    ]


def test_models_without_a_server_is_one_line(nothing_listening, capsys):
    code, out, err = run(capsys, "models")
    assert code == 1 and out == ""
    assert err == [
        f"clinote: Ollama is not running at {nothing_listening}: start it with `ollama serve`"
    ]


def test_doctor_reports_one_line_each_and_passes(ollama_standin, vault_file, capsys):
    code, out, err = run(capsys, "doctor")
    port = int(ollama_standin.url.rpartition(":")[2])
    assert code == 0 and err == []
    assert out.splitlines() == [
        f"ok       vault: {vault_file} (mode 600, owner only)",
        f"ok       ollama host: {ollama_standin.url} (loopback port {port}: a local server, or a "
        f"tunnel such as `ssh -L {port}:localhost:11434 gpu-host`; from OLLAMA_HOST)",
        "ok       ollama: reachable, version 0.12.6",
        "ok       model: gemma3:4b installed, context length 131072 tokens",
    ]


def test_doctor_calls_a_missing_model_optional(ollama_standin, vault_file, capsys):
    code, out, _ = run(capsys, "doctor", "--model", "mistral:7b")
    assert code == 0  # drafting is optional: the composer writes the note without it
    assert out.splitlines()[-1] == (
        "optional model: model mistral:7b is not installed: `ollama pull mistral:7b`"
    )


def test_doctor_names_a_cloud_model_without_asking_for_it(ollama_standin, vault_file, capsys):
    code, out, _ = run(capsys, "doctor", "--model", "gpt-oss:120b-cloud")
    assert code == 0
    assert out.splitlines()[-1].startswith(
        "optional model: model gpt-oss:120b-cloud is an Ollama cloud model"
    )
    assert not any(r.path == "/api/show" for r in ollama_standin.requests)


def test_doctor_fails_on_a_vault_others_can_read(ollama_standin, vault_file, capsys):
    vault_file.chmod(0o644)
    code, out, _ = run(capsys, "doctor")
    assert code == 1
    assert out.splitlines()[0] == (
        f"problem  vault: {vault_file} can be read by other users (mode 644): chmod 600 {vault_file}"
    )


def test_doctor_without_a_server_or_vault(nothing_listening, tmp_path, capsys):
    missing_vault = tmp_path / "nowhere" / "clinote.vault"
    code, out, _ = run(capsys, "doctor", "--vault", str(missing_vault))
    assert code == 1
    assert out.splitlines() == [
        f"missing  vault: no vault at {missing_vault}: create one with `clinote init`",
        describe_route(parse_host(nothing_listening, "OLLAMA_HOST")),
        f"optional ollama: Ollama is not running at {nothing_listening}: start it with `ollama serve`",
        "optional model: gemma3:4b cannot be checked until Ollama answers",
    ]


def test_doctor_passes_with_a_sound_vault_and_no_ollama(nothing_listening, vault_file, capsys):
    code, out, _ = run(capsys, "doctor")
    assert code == 0
    assert out.splitlines()[0].startswith("ok       vault:")
    assert out.splitlines()[2].startswith("optional ollama: Ollama is not running")


def test_doctor_takes_the_vault_before_or_after_the_command(nothing_listening, tmp_path, capsys):
    missing_vault = tmp_path / "elsewhere.vault"
    for argv in (
        ("--vault", str(missing_vault), "doctor"),
        ("doctor", "--vault", str(missing_vault)),
    ):
        _, out, _ = run(capsys, *argv)
        assert out.splitlines()[0] == (
            f"missing  vault: no vault at {missing_vault}: create one with `clinote init`"
        )


def test_doctor_refuses_a_remote_host_without_connecting(
    no_connections, monkeypatch, vault_file, capsys
):
    monkeypatch.setenv("OLLAMA_HOST", "https://ollama.example.org")
    code, out, _ = run(capsys, "doctor")
    assert code == 0
    assert out.splitlines()[1].startswith(
        "problem  ollama host: Ollama host https://ollama.example.org:443 (from OLLAMA_HOST) "
        "is not this machine"
    )


def test_doctor_refuses_plain_http_to_another_machine_without_connecting(
    no_connections, monkeypatch, vault_file, capsys
):
    monkeypatch.setenv("OLLAMA_HOST", "http://10.0.0.5:11434")
    _, out, _ = run(capsys, "doctor", "--allow-remote")
    assert out.splitlines()[1].startswith(
        "problem  ollama host: Ollama host http://10.0.0.5:11434 (from OLLAMA_HOST) is another "
        "machine over plain http://, so notes would cross the network unencrypted"
    )


@pytest.mark.parametrize(
    ("url", "ca_file", "program", "expected"),
    [
        ("http://127.0.0.1:11434", "", "ollama", "(local, from settings)"),
        ("http://127.0.0.1:11434", "", "ssh", "(SSH tunnel: ssh listens on port 11434"),
        ("http://127.0.0.1:11500", "", None, "(loopback port 11500: a local server, or a tunnel"),
        (
            "https://gpu.practice.example",
            "/etc/practice/ca.pem",
            None,
            "(remote over https, certificate checked against the practice CA in "
            "/etc/practice/ca.pem: the de-identified prompt leaves this machine",
        ),
        ("http://10.0.0.5:11434", "", None, "(remote over UNENCRYPTED http://: the de-identified"),
    ],
)
def test_doctor_says_which_route_drafts_take(url, ca_file, program, expected, no_connections):
    line = describe_route(parse_host(url), ca_file, program)
    assert expected in line
    assert line.startswith("warning" if "remote" in expected else "ok")


def test_the_program_behind_a_loopback_port_is_read_from_proc(tmp_path):
    proc = tmp_path / "proc"
    (proc / "net").mkdir(parents=True)
    header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    listening = "   0: 0100007F:2CAA 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 77123 1\n"
    (proc / "net" / "tcp").write_text(header + listening)
    (proc / "4242" / "fd").mkdir(parents=True)
    (proc / "4242" / "comm").write_text("ssh\n")
    (proc / "4242" / "fd" / "3").symlink_to("socket:[77123]")
    assert listening_program(11434, proc) == "ssh"
    assert listening_program(11435, proc) is None


def test_a_missing_session_file_says_to_check_the_path(tmp_path, capsys):
    code, out, err = run(capsys, "draft", str(tmp_path / "nowhere.json"), "--no-llm")
    assert code == 2 and out == ""
    assert err == [
        f"clinote: {tmp_path / 'nowhere.json'}: no such file; check the session file's path"
    ]


def test_draft_info_line_shows_the_servers_token_counts_and_speed(
    ollama_standin, session_path, capsys
):
    chunks = chunked(GOOD_DRAFT)
    ollama_standin.script = Script(
        chunks=chunks, prompt_eval_count=812, eval_duration_ns=2_000_000_000
    )
    code, _, err = run(capsys, "draft", str(session_path))
    assert code == 0
    speed = len(chunks) / 2
    assert f"(prompt 812 tokens, output {len(chunks)} tokens, {speed:.1f} tokens/s)" in err[0]
    assert err[0].startswith("info DRAFT-MODEL: drafted by gemma3:4b")
