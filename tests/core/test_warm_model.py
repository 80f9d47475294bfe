"""Loading the model before the clinician asks: once, in the background, silently."""

from __future__ import annotations

import socket
import threading

import ollama

from core.drafting.warm_model import WarmModels, model_key, preload_model
from core.notes.model import Settings


def test_two_editors_opening_at_once_load_the_model_once(ollama_standin):
    ollama_standin.load_delay = 0.3
    warmth = WarmModels()
    settings = Settings(keep_warm_minutes=45)
    results: list[bool] = []
    threads = [
        threading.Thread(target=lambda: results.append(preload_model(settings, warmth)))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert sorted(results) == [False, True]  # the second saw the first in flight
    (load,) = ollama_standin.load_requests
    assert load.body["keep_alive"] == "45m" and load.body["model"] == "gemma3:4b"
    assert warmth.is_warm(model_key(settings))
    assert preload_model(settings, warmth) is False  # warm: nothing sent
    assert len(ollama_standin.load_requests) == 1


def test_a_failed_load_is_silent_and_not_warm(ollama_standin):
    warmth = WarmModels()
    settings = Settings(model="absent:1b")
    assert preload_model(settings, warmth) is False
    assert not warmth.is_warm(model_key(settings))
    assert preload_model(settings, warmth) is False
    assert len(ollama_standin.load_requests) == 2  # tried again: a failure is not warmth


def test_a_remote_host_that_is_not_allowed_is_never_contacted(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("nothing may connect")

    monkeypatch.setattr(ollama, "Client", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    for settings in (
        Settings(ollama_host="https://gpu.practice.example"),
        Settings(ollama_host="http://10.0.0.5:11434", allow_remote=True),
        Settings(model="gpt-oss:120b-cloud"),
    ):
        assert preload_model(settings, WarmModels()) is False


def test_keep_warm_off_sends_nothing(ollama_standin):
    assert preload_model(Settings(keep_warm_minutes=0), WarmModels()) is False
    assert ollama_standin.requests == []
