"""Where a draft may go, and how: remote hosts, https, a practice's CA, and no redirects."""

from __future__ import annotations

import datetime
import ipaddress
import socket
import ssl
from pathlib import Path

import ollama
import pytest

from core.drafting.connection import (
    DraftingUnavailable,
    OllamaConnection,
    parse_host,
    refuse_remote_host,
    tls_context,
)
from core.drafting.draft import draft_note
from core.notes.model import Settings
from tests.support.drafting_sessions import GOOD_DRAFT, chunked, passive_ideation_session
from tests.support.ollama_standin import OllamaStandIn, Script

CHAT = [{"role": "user", "content": "Write one line."}]


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


# --- the decision, before any connection -----------------------------------------


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://127.0.0.1:11434", "local"),
        ("localhost", "local"),
        ("http://127.0.0.1:11435", "loopback"),  # e.g. ssh -L 11435:localhost:11434 gpu-host
        ("https://gpu.practice.example:443", "remote-https"),
        ("http://10.0.0.5:11434", "remote-unencrypted"),
    ],
)
def test_each_host_is_named_for_what_it_is(url, kind):
    assert parse_host(url).kind == kind


def test_a_remote_host_is_refused_unless_remote_drafting_is_allowed(no_connections):
    host = parse_host("https://gpu.practice.example")
    with pytest.raises(DraftingUnavailable, match="allow remote drafting"):
        refuse_remote_host(host, allow_remote=False, allow_unencrypted_remote=True)
    refuse_remote_host(host, allow_remote=True)  # https with remote allowed: fine


def test_plain_http_to_another_machine_needs_the_unencrypted_setting_too(no_connections):
    host = parse_host("http://10.0.0.5:11434")
    with pytest.raises(DraftingUnavailable) as refused:
        refuse_remote_host(host, allow_remote=True)
    assert "unencrypted" in refused.value.message
    assert "allow_unencrypted_remote" in refused.value.message
    refuse_remote_host(host, allow_remote=True, allow_unencrypted_remote=True)


def test_the_connection_refuses_plain_http_remote_before_building_a_client(no_connections):
    settings = Settings(ollama_host="http://gpu.practice.example:11434", allow_remote=True)
    with pytest.raises(DraftingUnavailable, match="unencrypted"):
        OllamaConnection.from_settings(settings)


def test_a_draft_to_a_plain_http_remote_is_the_composed_note_and_why(no_connections):
    settings = Settings(ollama_host="http://10.0.0.5:11434", allow_remote=True)
    result = draft_note(passive_ideation_session(), connection=settings)
    assert result.model is None
    assert "unencrypted" in result.findings[0].message


def test_an_unreadable_ca_file_is_one_clear_line(tmp_path, no_connections):
    missing = tmp_path / "practice-ca.pem"
    with pytest.raises(DraftingUnavailable) as refused:
        tls_context(str(missing))
    assert str(missing) in refused.value.message and "ca_file" in refused.value.message


# --- redirects are never followed ---------------------------------------------------


def test_a_redirect_is_not_followed_and_the_second_server_receives_nothing():
    with OllamaStandIn() as elsewhere, OllamaStandIn() as redirecting:
        redirecting.redirect_to = elsewhere.url  # 127.0.0.1, another port
        redirecting.script = Script(chunks=chunked(GOOD_DRAFT))
        elsewhere.script = Script(chunks=chunked(GOOD_DRAFT))
        settings = Settings(ollama_host=redirecting.url)
        result = draft_note(passive_ideation_session(), connection=settings)
        with OllamaConnection.from_settings(settings) as connection:
            with pytest.raises(DraftingUnavailable, match="redirect"):
                connection.version()
            with pytest.raises(DraftingUnavailable, match="redirect"):
                list(connection.stream_chat("gemma3:4b", CHAT, {}))
    assert elsewhere.requests == []
    assert [r.path for r in redirecting.requests] == ["/api/show", "/api/version", "/api/chat"]
    assert result.model is None
    assert result.findings[0].message.startswith(
        f"Ollama at {redirecting.url} answered with a redirect (307), which clinote never follows"
    )


# --- https with a practice's own CA -------------------------------------------------


def _self_signed(folder: Path) -> tuple[Path, Path]:
    """A CA-less self-signed certificate for 127.0.0.1, made here and now."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "clinote test practice CA")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "practice-ca.pem", folder / "server-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def tls_standin(tmp_path, monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    cert_path, key_path = _self_signed(tmp_path)
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert_path, key_path)
    with OllamaStandIn(tls=server_context) as standin:
        standin.script = Script(chunks=chunked(GOOD_DRAFT))
        yield standin, cert_path


def test_https_with_the_practice_ca_file_drafts(tls_standin):
    standin, cert_path = tls_standin
    assert standin.url.startswith("https://127.0.0.1:")
    settings = Settings(ollama_host=standin.url, ca_file=str(cert_path))
    result = draft_note(passive_ideation_session(), connection=settings)
    assert result.model == "gemma3:4b"
    assert len(standin.chat_requests) == 1


def test_https_honours_ssl_cert_file(tls_standin, monkeypatch):
    standin, cert_path = tls_standin
    monkeypatch.setenv("SSL_CERT_FILE", str(cert_path))
    with OllamaConnection.from_settings(Settings(ollama_host=standin.url)) as connection:
        assert connection.version() == "0.12.6"


def test_https_without_trusting_the_certificate_sends_nothing(tls_standin):
    standin, _ = tls_standin
    result = draft_note(passive_ideation_session(), connection=Settings(ollama_host=standin.url))
    assert result.model is None
    assert result.findings[0].message.startswith(
        f"the certificate of {standin.url} could not be verified: set ca_file"
    )
    assert standin.requests == []  # the handshake failed before any request
