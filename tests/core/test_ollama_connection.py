"""The Ollama host, the loopback decision and every failure, against the stand-in."""

from __future__ import annotations

import socket
import ssl

import ollama
import pytest

from core.drafting.connection import (
    DEFAULT_HOST,
    DraftingError,
    DraftingUnavailable,
    OllamaConnection,
    is_cloud_model,
    parse_host,
    refuse_remote_host,
    resolve_host,
)
from core.notes.model import Settings
from tests.support.ollama_standin import OllamaStandIn, Script, StandInModel

CHAT = [{"role": "user", "content": "Write one line."}]


def free_loopback_port() -> int:
    """A 127.0.0.1 port where nothing listens (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def no_connections(monkeypatch):
    """Fail the test at any attempt to build a client or open a socket."""

    def refuse_client(*args, **kwargs):
        raise AssertionError("an ollama.Client was constructed")

    def refuse_connect(self, address):
        raise AssertionError(f"a connection to {address} was attempted")

    monkeypatch.setattr(ollama, "Client", refuse_client)
    monkeypatch.setattr(socket.socket, "connect", refuse_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse_connect)


# --- where drafts go ------------------------------------------------------------


def test_host_comes_from_settings_then_ollama_host_then_the_default():
    environ = {"OLLAMA_HOST": "127.0.0.1:9999"}
    from_settings = resolve_host(Settings(ollama_host="http://localhost:8080"), environ)
    assert (from_settings.url, from_settings.source) == ("http://localhost:8080", "settings")
    from_env = resolve_host(Settings(), environ)
    assert (from_env.url, from_env.source) == ("http://127.0.0.1:9999", "OLLAMA_HOST")
    default = resolve_host(Settings(), {})
    assert (default.url, default.source) == (DEFAULT_HOST, "default")
    assert default.is_local


@pytest.mark.parametrize(
    ("value", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:11434"),
        ("localhost:8080", "http://localhost:8080"),
        ("LOCALHOST.", "http://localhost:11434"),
        ("http://127.0.0.1", "http://127.0.0.1:80"),
        ("https://127.0.0.1", "https://127.0.0.1:443"),
        ("127.0.0.2:11434", "http://127.0.0.2:11434"),
        ("[::1]:11434", "http://[::1]:11434"),
        ("http://[::ffff:127.0.0.1]:11434", "http://127.0.0.1:11434"),
        # How people make the server listen everywhere; as a client address, this machine.
        ("0.0.0.0", "http://127.0.0.1:11434"),
        ("http://localhost:11434/ollama/", "http://localhost:11434/ollama"),
    ],
)
def test_loopback_hosts_are_local(value, url):
    host = parse_host(value)
    assert host.is_local
    assert host.url == url


@pytest.mark.parametrize(
    "value",
    [
        "10.0.0.5",
        "http://192.168.1.20:11434",
        "https://ollama.example.org",
        "gpu-box:11434",  # a name is never resolved to decide
        "localhost.example.org",
        "http://localhost@example.org:11434",  # user info is not the host
        "[2001:db8::1]:11434",
    ],
)
def test_other_hosts_are_remote(value):
    assert not parse_host(value).is_local


def test_an_unknown_scheme_is_refused_with_how_to_fix_it():
    with pytest.raises(DraftingUnavailable, match="set it like http://127.0.0.1:11434"):
        parse_host("ftp://127.0.0.1")


def test_a_remote_host_is_refused_before_any_connection(no_connections):
    host = parse_host("http://192.168.1.20:11434", "OLLAMA_HOST")
    with pytest.raises(DraftingUnavailable) as refused:
        refuse_remote_host(host, allow_remote=False)
    assert "notes would leave it" in refused.value.message
    assert "--allow-remote" in refused.value.message
    with pytest.raises(DraftingUnavailable):
        OllamaConnection(host)  # the refusal comes before ollama.Client (which would fail)


def test_remote_settings_are_refused_unless_allowed(no_connections, monkeypatch):
    settings = Settings(ollama_host="https://ollama.example.org:11434")
    with pytest.raises(DraftingUnavailable, match="not this machine"):
        OllamaConnection.from_settings(settings)
    built = []
    monkeypatch.setattr(ollama, "Client", lambda **kwargs: built.append(kwargs))
    connection = OllamaConnection.from_settings(settings, allow_remote=True)
    assert not connection.host.is_local
    assert "drafts leave this machine" in connection.host.describe()
    assert built and built[0]["trust_env"] is False  # built, never used
    assert built[0]["follow_redirects"] is False
    assert isinstance(built[0]["verify"], ssl.SSLContext)
    assert built[0]["verify"].verify_mode is ssl.CERT_REQUIRED


def test_the_client_ignores_proxies_and_has_explicit_timeouts(monkeypatch):
    built = []
    monkeypatch.setattr(ollama, "Client", lambda **kwargs: built.append(kwargs))
    OllamaConnection(parse_host("127.0.0.1"), connect_timeout=2, read_timeout=90)
    (kwargs,) = built
    assert kwargs["host"] == "http://127.0.0.1:11434"
    assert kwargs["trust_env"] is False
    assert kwargs["timeout"].connect == 2
    assert kwargs["timeout"].read == 90


# --- against the stand-in ---------------------------------------------------------


def test_models_are_listed_with_size_and_context_length():
    models = [
        StandInModel("gemma3:4b", context_length=131072, size=3_338_801_804),
        StandInModel("llama3.1:8b", context_length=8192, size=4_920_753_328, architecture="llama"),
    ]
    with OllamaStandIn(models) as standin, OllamaConnection(parse_host(standin.url)) as connection:
        listed = connection.list_models()
        assert connection.version() == "0.12.6"
    assert [(m.name, m.size_bytes, m.context_length) for m in listed] == [
        ("gemma3:4b", 3_338_801_804, 131072),
        ("llama3.1:8b", 4_920_753_328, 8192),
    ]


def test_a_missing_model_says_how_to_install_it(ollama_standin):
    with OllamaConnection(parse_host(ollama_standin.url)) as connection:
        with pytest.raises(DraftingUnavailable) as missing:
            connection.show_model("mistral:7b")
        assert (
            missing.value.message == "model mistral:7b is not installed: `ollama pull mistral:7b`"
        )
        with pytest.raises(DraftingUnavailable, match="ollama pull mistral:7b"):
            list(connection.stream_chat("mistral:7b", CHAT, {}))


def test_a_server_that_is_not_running_says_how_to_start_it():
    url = f"http://127.0.0.1:{free_loopback_port()}"
    expected = f"Ollama is not running at {url}: start it with `ollama serve`"
    with OllamaConnection(parse_host(url)) as connection:
        for attempt in (
            connection.version,
            connection.list_models,
            lambda: list(connection.stream_chat("gemma3:4b", CHAT, {})),
        ):
            with pytest.raises(DraftingUnavailable) as down:
                attempt()
            assert down.value.message == expected


def test_proxy_variables_do_not_break_loopback(ollama_standin, monkeypatch):
    dead_proxy = f"http://127.0.0.1:{free_loopback_port()}"
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.setenv(name, dead_proxy)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with OllamaConnection.from_settings(Settings()) as connection:  # OLLAMA_HOST: the stand-in
        assert [model.name for model in connection.list_models()] == ["gemma3:4b"]
        text = "".join(p.message.content for p in connection.stream_chat("gemma3:4b", CHAT, {}))
    assert text == "Hello from the stand-in."


def test_an_error_inside_the_stream_is_one_line(ollama_standin):
    ollama_standin.script = Script(
        error_after=1, error_message="llama runner process has terminated"
    )
    with OllamaConnection(parse_host(ollama_standin.url)) as connection:
        with pytest.raises(DraftingError) as failed:
            list(connection.stream_chat("gemma3:4b", CHAT, {}))
    assert not isinstance(failed.value, DraftingUnavailable)
    assert failed.value.message == (
        "the model stopped with an error (llama runner process has terminated): try again"
    )


def test_a_dropped_connection_is_one_line(ollama_standin):
    ollama_standin.script = Script(drop_after=2)
    with OllamaConnection(parse_host(ollama_standin.url)) as connection:
        with pytest.raises(DraftingError, match="closed the connection mid-draft"):
            list(connection.stream_chat("gemma3:4b", CHAT, {}))


def test_a_slow_first_token_times_out_with_a_hint(ollama_standin):
    ollama_standin.script = Script(first_token_delay=5)
    with OllamaConnection(parse_host(ollama_standin.url), read_timeout=0.3) as connection:
        with pytest.raises(DraftingError) as slow:
            list(connection.stream_chat("gemma3:4b", CHAT, {}))
    assert slow.value.message.endswith(
        "sent nothing for 0.3 s: the model may still be loading; try again or pick a smaller model"
    )


def test_closing_the_stream_closes_the_response_and_the_server_sees_it(ollama_standin):
    ollama_standin.script = Script(chunks=["word "], until_disconnect=True)
    with OllamaConnection(parse_host(ollama_standin.url)) as connection:
        parts = connection.stream_chat("gemma3:4b", CHAT, {})
        assert next(parts).message.content == "word "
        parts.close()
        assert ollama_standin.client_disconnected.wait(timeout=5)


@pytest.mark.parametrize(
    ("name", "cloud"),
    [
        ("gpt-oss:120b-cloud", True),
        ("deepseek-v3.1:671b-cloud", True),
        ("qwen3-coder:cloud", True),
        ("gemma3:4b", False),
        ("cloudy-model:7b", False),
        ("llama3.1", False),
    ],
)
def test_cloud_models_are_told_apart_by_their_tag(name, cloud):
    assert is_cloud_model(name) is cloud
