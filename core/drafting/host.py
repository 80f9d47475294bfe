"""Where drafts would go, decided before anything connects.

The host comes from the settings, else OLLAMA_HOST, else the local default.
Whether it is this machine is decided from the URL alone: an IP literal must
be loopback, a name must be "localhost" (no DNS lookup decides it). This
module does not import the ollama client, so the CLI and the app start fast.
"""

from __future__ import annotations

import ipaddress
import os
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass

from core.notes.model import Settings

DEFAULT_HOST = "http://127.0.0.1:11434"
DEFAULT_PORT = 11434
# Small enough for a clinician's laptop (about 3 GB), good clinical prose, and a
# 128k context window, so a long session never gets cut.
DEFAULT_MODEL = "gemma3:4b"


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

    @property
    def encrypted(self) -> bool:
        return self.url.startswith("https://")

    @property
    def port(self) -> int:
        return urllib.parse.urlsplit(self.url).port or DEFAULT_PORT

    @property
    def kind(self) -> str:
        """The route: local, loopback (another port), remote-https or remote-unencrypted."""
        if self.is_local:
            return "local" if self.port == DEFAULT_PORT else "loopback"
        return "remote-https" if self.encrypted else "remote-unencrypted"

    def describe(self) -> str:
        where = "local" if self.is_local else "remote: drafts leave this machine"
        return f"{self.url} ({where})"


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


def refuse_remote_host(
    host: OllamaHost, allow_remote: bool, allow_unencrypted_remote: bool = False
) -> None:
    """Raise before any connection when notes would leave the machine unasked or in clear.

    A remote host needs remote drafting allowed and https://; plain http:// to
    another machine needs, in addition, the separate unencrypted setting.
    """
    if host.is_local:
        return
    if not allow_remote:
        raise DraftingUnavailable(
            f"Ollama host {host.url} (from {host.source}) is not this machine and notes would "
            "leave it: use a local Ollama, or allow remote drafting (--allow-remote)"
        )
    if host.encrypted or allow_unencrypted_remote:
        return
    raise DraftingUnavailable(
        f"Ollama host {host.url} (from {host.source}) is another machine over plain http://, "
        "so notes would cross the network unencrypted: use https:// or an SSH tunnel "
        "(docs/practice-server.md), or turn on allow_unencrypted_remote"
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
