"""Where drafts go: the Ollama host, the loopback decision, the client and its failures.

The host comes from the settings, else OLLAMA_HOST, else the local default.
Whether it is this machine is decided from the URL alone, before anything
connects: an IP literal must be loopback, a name must be "localhost" (no DNS
lookup decides it). Every failure becomes one line a clinician can act on.
"""

from __future__ import annotations

import ipaddress
import os
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
import ollama

from core.model import Settings

DEFAULT_HOST = "http://127.0.0.1:11434"
# Small enough for a clinician's laptop (about 3 GB), good clinical prose, and a
# 128k context window, so a long session never gets cut.
DEFAULT_MODEL = "gemma3:4b"
CONNECT_TIMEOUT_SECONDS = 5.0
# Long enough for a cold model load on a laptop plus the first token.
READ_TIMEOUT_SECONDS = 300.0


class DraftingError(Exception):
    """The model could not write (or finish) the draft; the message is one line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DraftingUnavailable(DraftingError):
    """The model cannot be used at all: no server, no model, or a refused host."""


@dataclass(frozen=True)
class OllamaHost:
    url: str  # normalised scheme://host:port[/path], what the client is given
    is_local: bool
    source: str  # "settings", "OLLAMA_HOST" or "default"

    def describe(self) -> str:
        where = "local" if self.is_local else "remote: drafts leave this machine"
        return f"{self.url} ({where})"


@dataclass(frozen=True)
class ModelInfo:
    name: str
    size_bytes: int | None = None
    context_length: int | None = None
    parameter_size: str = ""
    quantization: str = ""


def resolve_host(
    settings: Settings | None = None, environ: Mapping[str, str] | None = None
) -> OllamaHost:
    """The host from the settings, else OLLAMA_HOST, else http://127.0.0.1:11434."""
    environ = os.environ if environ is None else environ
    if settings is not None and settings.ollama_host.strip():
        return parse_host(settings.ollama_host, "settings")
    if environ.get("OLLAMA_HOST", "").strip():
        return parse_host(environ["OLLAMA_HOST"], "OLLAMA_HOST")
    return parse_host(DEFAULT_HOST, "default")


def parse_host(value: str, source: str = "settings") -> OllamaHost:
    """Normalise a host as the ollama client does, and decide if it is this machine."""
    text = value.strip()
    # Same defaults as the ollama client and server: no scheme means http on
    # 11434; an explicit http or https scheme defaults to 80 or 443.
    scheme, separator, rest = text.partition("://")
    port = 11434
    if not separator:
        scheme, rest = "http", text
    elif scheme.lower() == "http":
        port = 80
    elif scheme.lower() == "https":
        port = 443
    else:
        raise DraftingUnavailable(
            f"Ollama host {text!r} ({source}) is not an http:// or https:// address: "
            "set it like http://127.0.0.1:11434"
        )
    try:
        split = urllib.parse.urlsplit(f"{scheme.lower()}://{rest}")
        hostname = split.hostname or "127.0.0.1"
        port = split.port or port
    except ValueError:
        raise DraftingUnavailable(
            f"Ollama host {text!r} ({source}) is not a valid address: "
            "set it like http://127.0.0.1:11434"
        ) from None
    hostname, is_local = _loopback_decision(hostname)
    shown_host = f"[{hostname}]" if ":" in hostname else hostname
    path = split.path.strip("/")
    url = f"{split.scheme}://{shown_host}:{port}" + (f"/{path}" if path else "")
    return OllamaHost(url=url, is_local=is_local, source=source)


def _loopback_decision(hostname: str) -> tuple[str, bool]:
    """(host to connect to, whether it is this machine), from the name alone."""
    name = hostname.lower().rstrip(".")
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return name, name == "localhost"
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_unspecified:
        # OLLAMA_HOST=0.0.0.0 is how people make the server listen everywhere;
        # as a client address it means this machine, so connect to loopback.
        return "127.0.0.1", True
    return str(address), address.is_loopback


def refuse_remote_host(host: OllamaHost, allow_remote: bool) -> None:
    """Raise before any connection when notes would leave the machine unasked."""
    if host.is_local or allow_remote:
        return
    raise DraftingUnavailable(
        f"Ollama host {host.url} (from {host.source}) is not this machine and notes would "
        "leave it: use a local Ollama, or allow remote drafting (--allow-remote)"
    )


def is_cloud_model(name: str) -> bool:
    """Ollama's cloud models ("gpt-oss:120b-cloud") run on ollama.com, not on this machine."""
    tag = name.strip().lower().rpartition(":")[2]
    return tag == "cloud" or tag.endswith("-cloud")


def refuse_cloud_model(model: str, allow_remote: bool) -> None:
    """Raise before any request when a local server would forward the notes to the cloud."""
    if allow_remote or not is_cloud_model(model):
        return
    raise DraftingUnavailable(
        f"model {model} is an Ollama cloud model, so notes would leave this machine: "
        "pick a local model (`clinote models`), or allow remote drafting (--allow-remote)"
    )


class OllamaConnection:
    """One Ollama server, reached with the official client and no proxy."""

    def __init__(
        self,
        host: OllamaHost,
        *,
        allow_remote: bool = False,
        connect_timeout: float = CONNECT_TIMEOUT_SECONDS,
        read_timeout: float = READ_TIMEOUT_SECONDS,
    ) -> None:
        refuse_remote_host(host, allow_remote)  # decided before any client exists
        self.host = host
        self.allow_remote = allow_remote
        self.read_timeout = read_timeout
        self._timeout = httpx.Timeout(read_timeout, connect=connect_timeout)
        # trust_env=False: a proxy variable must not route loopback requests away.
        self._client = ollama.Client(host=host.url, trust_env=False, timeout=self._timeout)

    @classmethod
    def from_settings(
        cls, settings: Settings | None = None, *, allow_remote: bool = False, **timeouts: float
    ) -> OllamaConnection:
        settings = settings or Settings()
        return cls(
            resolve_host(settings),
            allow_remote=allow_remote or settings.allow_remote,
            **timeouts,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> OllamaConnection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def version(self) -> str:
        """The server's version (GET /api/version)."""
        try:
            with httpx.Client(
                base_url=self.host.url, trust_env=False, timeout=self._timeout
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
        self, model: str, messages: Sequence[Mapping[str, str]], options: Mapping[str, Any]
    ) -> Iterator[ollama.ChatResponse]:
        """The model's reply, part by part; closing it closes the HTTP response."""
        parts = self._client.chat(model=model, messages=messages, options=options, stream=True)
        try:
            yield from parts
        except Exception as error:  # noqa: BLE001
            raise self.explain(error, model) from None
        finally:
            parts.close()  # ends the `with` around the HTTP response: the server sees it

    def explain(self, error: BaseException, model: str = "") -> DraftingError:
        """One line a clinician can act on, for any failure of the client."""
        url = self.host.url
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


def context_length_of(model_info: Mapping[str, Any]) -> int | None:
    """The trained context window from /api/show's model_info ("<arch>.context_length")."""
    architecture = model_info.get("general.architecture")
    value = model_info.get(f"{architecture}.context_length") if architecture else None
    if value is None:
        value = next((v for key, v in model_info.items() if key.endswith(".context_length")), None)
    return int(value) if isinstance(value, int | float) else None
