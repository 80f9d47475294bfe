"""Drafting through the real ollama client and the stand-in: stream, cancel, fail, truncate."""

from __future__ import annotations

import socket
import threading
import time

import ollama
import pytest

from core.checks.findings import Severity
from core.drafting.connection import DraftingError, DraftingUnavailable
from core.drafting.draft import DraftCancelled, draft_note, stream_draft
from core.notes.composer import (
    compose_header,
    compose_measures_text,
    compose_note,
    compose_risk_statement,
)
from core.notes.model import Attendance, Settings
from tests.support.drafting_sessions import GOOD_DRAFT, chunked, passive_ideation_session
from tests.support.ollama_standin import Script, StandInModel


def wait_for(predicate, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def rules(result) -> list[str]:
    return [finding.rule_id for finding in result.findings]


def dead_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def test_a_good_draft_streams_in_order_and_clinote_writes_the_facts(ollama_standin):
    details = passive_ideation_session()
    ollama_standin.script = Script(chunks=chunked(GOOD_DRAFT))
    stream = stream_draft(details)
    received = list(stream)
    result = stream.result()

    assert received == chunked(GOOD_DRAFT)
    assert result.model == "gemma3:4b" and result.source == "model"
    assert result.model_text == GOOD_DRAFT
    # Header (with the CPT code), risk statement and scores are clinote's own text.
    assert result.text.startswith(compose_header(details))
    assert compose_risk_statement(details.risk) in result.text
    assert compose_measures_text(details) in result.text
    assert "The clinician used diaphragmatic breathing to lower arousal" in result.text
    assert result.findings[0].rule_id == "DRAFT-MODEL"
    assert "gemma3:4b" in result.findings[0].message
    assert not [r for r in rules(result) if r.startswith("DRAFT-") and r != "DRAFT-MODEL"]
    assert not result.truncated


def test_the_request_is_low_temperature_seeded_and_sized_for_the_prompt(ollama_standin):
    ollama_standin.script = Script(chunks=chunked(GOOD_DRAFT))
    result = draft_note(passive_ideation_session())
    (request,) = ollama_standin.chat_requests
    options = request.body["options"]
    assert options["temperature"] <= 0.3
    assert options["seed"] == 42
    assert options["num_ctx"] == result.num_ctx
    assert options["num_predict"] == result.num_predict
    assert options["num_ctx"] >= result.estimated_prompt_tokens + result.num_predict
    assert request.body["stream"] is True
    assert result.prompt_tokens is not None and result.prompt_tokens < result.num_ctx


def test_closing_mid_stream_disconnects_and_keeps_nothing(ollama_standin):
    ollama_standin.script = Script(chunks=["The client ", "reported "], until_disconnect=True)
    stream = stream_draft(passive_ideation_session())
    chunks = iter(stream)
    assert [next(chunks) for _ in range(3)] == ["The client ", "reported ", "The client "]
    stream.close()
    assert ollama_standin.client_disconnected.wait(timeout=5)
    assert list(chunks) == []
    with pytest.raises(DraftCancelled):
        stream.result()


def test_closing_from_another_thread_stops_the_reader_and_the_server(ollama_standin):
    ollama_standin.script = Script(chunks=["word "], until_disconnect=True, chunk_delay=0.01)
    stream = stream_draft(passive_ideation_session())
    seen: list[str] = []
    reader = threading.Thread(target=lambda: seen.extend(stream), daemon=True)
    reader.start()
    assert wait_for(lambda: len(stream.text_so_far) > 0)
    stream.close()
    reader.join(timeout=5)
    assert not reader.is_alive()
    assert ollama_standin.client_disconnected.wait(timeout=5)
    assert stream.cancelled and seen


def test_closing_while_the_model_loads_returns_at_once_and_drops_the_first_token(
    ollama_standin,
):
    ollama_standin.script = Script(chunks=["word "], until_disconnect=True, first_token_delay=0.5)
    stream = stream_draft(passive_ideation_session())
    seen: list[str] = []
    reader = threading.Thread(target=lambda: seen.extend(stream), daemon=True)
    reader.start()
    assert wait_for(lambda: ollama_standin.chat_requests != [])
    started = time.monotonic()
    stream.close()
    assert time.monotonic() - started < 0.2  # the caller never waits on the server
    reader.join(timeout=5)
    assert not reader.is_alive() and seen == []
    assert ollama_standin.client_disconnected.wait(timeout=5)


def test_a_callback_receives_every_piece(ollama_standin):
    ollama_standin.script = Script(chunks=chunked(GOOD_DRAFT, 40))
    pieces: list[str] = []
    result = stream_draft(passive_ideation_session()).run(pieces.append)
    assert "".join(pieces) == GOOD_DRAFT == result.model_text


def test_server_down_gives_the_composed_note_and_says_how_to_start_it(monkeypatch):
    url = dead_port_url()
    monkeypatch.setenv("OLLAMA_HOST", url)
    details = passive_ideation_session()
    with pytest.raises(DraftingUnavailable):
        list(stream_draft(details))
    result = draft_note(details)
    assert result.model is None and result.text == compose_note(details)
    warning = result.findings[0]
    assert warning.severity is Severity.WARNING
    assert warning.as_line() == (
        f"warning DRAFT-MODEL-UNAVAILABLE: Ollama is not running at {url}: start it with "
        "`ollama serve`; this is clinote's composed note"
    )


def test_a_missing_model_gives_the_composed_note_and_the_pull_command(ollama_standin):
    result = draft_note(passive_ideation_session(), model="llama3.1:8b")
    assert result.text == compose_note(passive_ideation_session())
    assert result.findings[0].message.startswith(
        "model llama3.1:8b is not installed: `ollama pull llama3.1:8b`"
    )
    assert ollama_standin.chat_requests == []  # found missing before any chat


def test_an_error_mid_stream_falls_back_to_the_composed_note(ollama_standin):
    ollama_standin.script = Script(chunks=chunked(GOOD_DRAFT), error_after=3)
    stream = stream_draft(passive_ideation_session())
    with pytest.raises(DraftingError, match="the model stopped with an error"):
        list(stream)
    with pytest.raises(DraftingError):
        stream.result()
    result = draft_note(passive_ideation_session())
    assert result.model is None
    assert "the model stopped with an error" in result.findings[0].message


def test_a_dropped_connection_falls_back_to_the_composed_note(ollama_standin):
    ollama_standin.script = Script(chunks=chunked(GOOD_DRAFT), drop_after=4)
    result = draft_note(passive_ideation_session())
    assert result.model is None
    assert "closed the connection mid-draft" in result.findings[0].message


def test_a_slow_first_token_times_out_into_the_composed_note(ollama_standin):
    from core.drafting.connection import OllamaConnection, parse_host

    ollama_standin.script = Script(first_token_delay=5)
    with OllamaConnection(parse_host(ollama_standin.url), read_timeout=0.3) as connection:
        result = draft_note(passive_ideation_session(), connection=connection)
    assert result.model is None
    assert "sent nothing for 0.3 s" in result.findings[0].message


def test_output_cut_at_the_length_limit_is_reported_and_the_rest_filled(ollama_standin):
    cut = GOOD_DRAFT.split("## Plan")[0] + "## Plan\nWeekly individual"
    without_plan = GOOD_DRAFT.split("## Assessment")[0]
    ollama_standin.script = Script(chunks=chunked(without_plan), done_reason="length")
    result = draft_note(passive_ideation_session())
    assert result.truncated
    assert "DRAFT-TRUNCATED" in rules(result)
    assert result.filled_sections == ("Assessment", "Plan")
    assert rules(result).count("DRAFT-SECTION-MISSING") == 2
    ollama_standin.script = Script(chunks=chunked(cut), done_reason="length")
    assert "DRAFT-TRUNCATED" in rules(draft_note(passive_ideation_session()))


def test_a_prompt_larger_than_the_model_context_is_reported(ollama_standin):
    ollama_standin.models = {"tiny:1b": StandInModel("tiny:1b", context_length=2048)}
    long_entry = "Client described the week in detail, day by day. " * 200
    details = passive_ideation_session(observations=long_entry)
    ollama_standin.script = Script(chunks=chunked(GOOD_DRAFT))
    result = draft_note(details, model="tiny:1b")
    assert result.num_ctx == 2048  # never more than the model was trained on
    assert result.estimated_prompt_tokens > 2048
    assert result.truncated
    assert "DRAFT-PROMPT-TRUNCATED" in rules(result)


def test_a_remote_host_is_refused_without_any_connection(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("nothing may connect to a remote host")

    monkeypatch.setattr(ollama, "Client", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    settings = Settings(ollama_host="http://10.20.30.40:11434")
    result = draft_note(passive_ideation_session(), connection=settings)
    assert result.model is None
    assert "notes would leave it" in result.findings[0].message


def test_a_cloud_model_is_refused_before_any_request(ollama_standin):
    ollama_standin.models["gpt-oss:120b-cloud"] = StandInModel("gpt-oss:120b-cloud")
    result = draft_note(passive_ideation_session(), model="gpt-oss:120b-cloud")
    assert result.model is None
    assert result.findings[0].message.startswith(
        "model gpt-oss:120b-cloud is an Ollama cloud model, so notes would leave this machine"
    )
    assert ollama_standin.requests == []


def test_a_missed_session_is_composed_without_asking_the_model(ollama_standin):
    from dataclasses import replace

    details = passive_ideation_session()
    details = replace(details, session=replace(details.session, attendance=Attendance.NO_SHOW))
    result = draft_note(details)
    assert result.model is None and result.text == compose_note(details)
    with pytest.raises(DraftingUnavailable, match="no session was held"):
        list(stream_draft(details))
    assert ollama_standin.requests == []
