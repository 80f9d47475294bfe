"""The Ollama client for drafting: connection, model list, and one-line failures.

Which host is used, and whether it is this machine, is decided in
core/drafting/host.py before this module connects anywhere.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import ollama

from core.drafting.host import (  # noqa: F401  (re-exported: callers import them from here)
    DEFAULT_HOST,
    DEFAULT_MODEL,
    DraftingError,
    DraftingUnavailable,
    OllamaHost,
    is_cloud_model,
    parse_host,
    refuse_cloud_model,
    refuse_remote_host,
    resolve_host,
)
from core.notes.model import Settings

CONNECT_TIMEOUT_SECONDS = 5.0
# Long enough for a cold model load on a laptop plus the first token.
READ_TIMEOUT_SECONDS = 300.0


@dataclass(frozen=True)
class ModelInfo:
    name: str
    size_bytes: int | None = None
    context_length: int | None = None
    parameter_size: str = ""
    quantization: str = ""


def tls_context(ca_file: str = "", environ: Mapping[str, str] | None = None) -> ssl.SSLContext:
    """Certificate and host-name verification, always on.

    Trusted: only the practice's own CA when `ca_file` is set, else the file
    in SSL_CERT_FILE, else the system's and certifi's authorities. Built
    before any connection, so an unreadable file is one clear line.
    """
    environ = os.environ if environ is None else environ
    for value, where in (
        (ca_file, "the ca_file setting"),
        (environ.get("SSL_CERT_FILE", ""), "SSL_CERT_FILE"),
    ):
        if value.strip():
            path = Path(value.strip()).expanduser()
            try:
                return ssl.create_default_context(cafile=str(path))
            except (OSError, ssl.SSLError) as error:
                reason = getattr(error, "strerror", None) or "not a PEM certificate file"
                raise DraftingUnavailable(
                    f"the CA file {path} ({where}) cannot be used ({reason}): "
                    "point it at your practice's CA certificate in PEM form"
                ) from None
    context = ssl.create_default_context()
    try:
        import certifi

        context.load_verify_locations(certifi.where())
    except (ImportError, OSError, ssl.SSLError):
        pass  # the system's authorities remain
    return context


class OllamaConnection:
    """One Ollama server, reached with the official client, no proxy and no redirects."""

    def __init__(
        self,
        host: OllamaHost,
        *,
        allow_remote: bool = False,
        allow_unencrypted_remote: bool = False,
        ca_file: str = "",
        connect_timeout: float = CONNECT_TIMEOUT_SECONDS,
        read_timeout: float = READ_TIMEOUT_SECONDS,
    ) -> None:
        # Decided before any client exists: where notes may go, and how.
        refuse_remote_host(host, allow_remote, allow_unencrypted_remote)
        self.host = host
        self.allow_remote = allow_remote
        self.read_timeout = read_timeout
        self._timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
        self._verify: ssl.SSLContext | bool = tls_context(ca_file) if host.encrypted else True
        # trust_env=False: a proxy variable must not route loopback requests away.
        # follow_redirects=False: a redirect must not carry the prompt to another host.
        self._client = ollama.Client(
            host=host.url,
            trust_env=False,
            follow_redirects=False,
            verify=self._verify,
            timeout=self._timeout,
        )

    @classmethod
    def from_settings(
        cls, settings: Settings | None = None, *, allow_remote: bool = False, **timeouts: float
    ) -> OllamaConnection:
        settings = settings or Settings()
        return cls(
            resolve_host(settings),
            allow_remote=allow_remote or settings.allow_remote,
            allow_unencrypted_remote=settings.allow_unencrypted_remote,
            ca_file=settings.ca_file,
            **timeouts,
        )

    def close(self) -> None:
        self._client.close()  # type: ignore[no-untyped-call]  # ollama leaves close() unannotated

    def __enter__(self) -> OllamaConnection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def version(self) -> str:
        """The server's version (GET /api/version)."""
        try:
            with httpx.Client(
                base_url=self.host.url,
                trust_env=False,
                follow_redirects=False,
                verify=self._verify,
                timeout=self._timeout,
            ) as http:
                response = http.get("/api/version")
                response.raise_for_status()
                return str(response.json().get("version", "unknown"))
        except (httpx.HTTPError, ValueError) as error:
            raise self.explain(error) from None

    def show_model(self, name: str) -> ModelInfo:
        """Size-free details of one installed model, with its context length."""
        try:
            shown = self._client.show(name)
        except Exception as error:  # noqa: BLE001 - every failure becomes one line
            raise self.explain(error, name) from None
        details = shown.details
        return ModelInfo(
            name=name,
            context_length=context_length_of(shown.modelinfo or {}),
            parameter_size=(details.parameter_size or "") if details else "",
            quantization=(details.quantization_level or "") if details else "",
        )

    def list_models(self) -> list[ModelInfo]:
        """Every installed model with size and context length (/api/tags, /api/show)."""
        try:
            listed = self._client.list().models
        except Exception as error:  # noqa: BLE001
            raise self.explain(error) from None
        models = []
        for entry in listed:
            name = entry.model or ""
            shown = self.show_model(name)
            models.append(
                ModelInfo(
                    name=name,
                    size_bytes=int(entry.size) if entry.size is not None else None,
                    context_length=shown.context_length,
                    parameter_size=shown.parameter_size,
                    quantization=shown.quantization,
                )
            )
        return sorted(models, key=lambda model: model.name)

    def stream_chat(
        self,
        model: str,
        messages: Sequence[Mapping[str, str]],
        options: Mapping[str, Any],
        keep_alive: str | None = None,
    ) -> Generator[ollama.ChatResponse, None, None]:
        """The model's reply, part by part; closing it closes the HTTP response."""
        parts = self._client.chat(
            model=model, messages=messages, options=options, stream=True, keep_alive=keep_alive
        )
        try:
            yield from parts
        except Exception as error:  # noqa: BLE001
            raise self.explain(error, model) from None
        finally:
            # ollama types the stream as an Iterator; it is a generator, which has close().
            parts.close()  # type: ignore[attr-defined]  # ends the `with` around the HTTP response: the server sees it

    def load_model(self, model: str, keep_alive: str) -> None:
        """Load the model and keep it for `keep_alive` (a chat with no messages)."""
        try:
            self._client.chat(model=model, messages=[], stream=False, keep_alive=keep_alive)
        except Exception as error:  # noqa: BLE001 - every failure becomes one line
            raise self.explain(error, model) from None

    def explain(self, error: BaseException, model: str = "") -> DraftingError:
        """One line a clinician can act on, for any failure of the client."""
        url = self.host.url
        redirect = _redirect_status(error)
        if redirect is not None:
            return DraftingUnavailable(
                f"Ollama at {url} answered with a redirect ({redirect}), which clinote never "
                "follows, so nothing was sent on: set the host to the server's own address"
            )
        if _certificate_failed(error):
            return DraftingUnavailable(
                f"the certificate of {url} could not be verified: set ca_file to your "
                "practice's CA certificate (or SSL_CERT_FILE), or check the server's certificate"
            )
        if isinstance(error, httpx.ConnectTimeout | httpx.ConnectError | ConnectionError):
            return DraftingUnavailable(
                f"Ollama is not running at {url}: start it with `ollama serve`"
            )
        if isinstance(error, ollama.ResponseError):
            reason = " ".join(str(error.error).split())
            if error.status_code == 404 and model:
                return DraftingUnavailable(f"model {model} is not installed: `ollama pull {model}`")
            if error.status_code == -1:
                return DraftingError(f"the model stopped with an error ({reason}): try again")
            return DraftingError(f"Ollama at {url} answered {error.status_code} ({reason})")
        if isinstance(error, httpx.TimeoutException):
            return DraftingError(
                f"Ollama at {url} sent nothing for {self.read_timeout:g} s: "
                "the model may still be loading; try again or pick a smaller model"
            )
        if isinstance(error, httpx.RemoteProtocolError | httpx.ReadError):
            return DraftingError(
                f"Ollama at {url} closed the connection mid-draft: check the server and try again"
            )
        if isinstance(error, httpx.HTTPError | ValueError):
            return DraftingError(f"Ollama at {url} failed ({type(error).__name__}): try again")
        return DraftingError(f"drafting failed ({type(error).__name__}): try again")


def _redirect_status(error: BaseException) -> int | None:
    if isinstance(error, ollama.ResponseError) and 300 <= error.status_code < 400:
        return error.status_code
    if isinstance(error, httpx.HTTPStatusError) and error.response.is_redirect:
        return error.response.status_code
    return None


def _certificate_failed(error: BaseException) -> bool:
    """True when a TLS certificate was refused anywhere in the error's chain."""
    seen: BaseException | None = error
    for _ in range(8):  # a chain is short; never loop on a cycle
        if seen is None:
            return False
        if isinstance(seen, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(
            seen
        ):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def context_length_of(model_info: Mapping[str, Any]) -> int | None:
    """The trained context window from /api/show's model_info ("<arch>.context_length")."""
    architecture = model_info.get("general.architecture")
    value = model_info.get(f"{architecture}.context_length") if architecture else None
    if value is None:
        value = next((v for key, v in model_info.items() if key.endswith(".context_length")), None)
    return int(value) if isinstance(value, int | float) else None
