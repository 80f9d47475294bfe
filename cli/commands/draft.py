"""`clinote draft`, `clinote models` and `clinote doctor`: drafting with a local Ollama model.

None of them needs the vault: without it the settings are the defaults, and
the Ollama host is OLLAMA_HOST, else http://127.0.0.1:11434.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cli.support import CliError, resolve_vault_path

if TYPE_CHECKING:  # the CLI starts without importing the ollama client
    from core.drafting.connection import OllamaConnection
    from core.drafting.host import OllamaHost
    from core.notes.model import SessionDetails, Settings

EXIT_OK = 0
EXIT_MISSING = 1
EXIT_BAD_INPUT = 2


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    from core.drafting.host import DEFAULT_MODEL
    from core.notes.model import NoteFormat

    model_help = f"Ollama model to use (default: {DEFAULT_MODEL})"
    remote_help = "allow an Ollama host that is not this machine (notes would leave it)"

    draft = subparsers.add_parser(
        "draft",
        parents=[common],
        help="draft the note for SESSION.json with a local model (needs no vault)",
        description="Draft the progress note for SESSION.json with the local Ollama model, "
        "grounded against the session entries. The note goes to stdout; findings go to stderr "
        "as '<severity> <RULE-ID>: <message>'. When the model cannot be used, the composer's "
        "note is printed with a warning saying why. Exit 0 when a note was printed, 2 when the "
        "session file cannot be used.",
    )
    draft.add_argument("session_file", metavar="SESSION.json", help="the session details")
    draft.add_argument(
        "--format",
        choices=[note_format.value for note_format in NoteFormat],
        help="note format (default: the session file's, else dap)",
    )
    draft.add_argument("--model", metavar="M", help=model_help)
    draft.add_argument(
        "--no-llm", action="store_true", help="do not ask the model: print the composer's note"
    )
    add_tls_arguments(draft)
    draft.add_argument("--allow-remote", action="store_true", help=remote_help)
    draft.add_argument("--member", metavar="CODE", help="group session: only this member's note")
    draft.set_defaults(handler=run_draft)

    models = subparsers.add_parser(
        "models",
        parents=[common],
        help="list the Ollama models installed, with size and context length",
    )
    add_tls_arguments(models)
    models.add_argument("--allow-remote", action="store_true", help=remote_help)
    models.set_defaults(handler=run_models)

    doctor = subparsers.add_parser(
        "doctor",
        parents=[common],
        help="check the vault file and the drafting setup, one line each",
        description="Check the vault path and permissions, where drafts go (local, an SSH "
        "tunnel, a remote https server, or remote unencrypted), whether Ollama is reachable, its "
        "version, whether the model is installed and its context length. Exit 1 only when the "
        "vault cannot be used: drafting is optional, so a missing Ollama or model is reported "
        "as 'optional'.",
    )
    doctor.add_argument("--model", metavar="M", help=model_help)
    add_tls_arguments(doctor)
    doctor.add_argument("--allow-remote", action="store_true", help=remote_help)
    doctor.set_defaults(handler=run_doctor)


def add_tls_arguments(parser: argparse.ArgumentParser) -> None:
    """--allow-unencrypted-remote and --ca-file, for every drafting command."""
    parser.add_argument(
        "--allow-unencrypted-remote",
        action="store_true",
        help="also allow plain http:// to another machine (notes cross the network in clear)",
    )
    parser.add_argument(
        "--ca-file",
        metavar="PEM",
        default="",
        help="trust only this CA for an https:// host (default: SSL_CERT_FILE, else the system)",
    )


def drafting_settings(args: argparse.Namespace) -> Settings:
    """Settings for a command that needs no vault: host from OLLAMA_HOST, flags for the rest."""
    from core.notes.model import Settings

    return Settings(
        allow_unencrypted_remote=getattr(args, "allow_unencrypted_remote", False),
        ca_file=getattr(args, "ca_file", ""),
    )


# --- draft -----------------------------------------------------------------------------


def _load_session(path_text: str) -> SessionDetails | None:
    from core.notes.session_file import SessionFileError, load_session_file

    session_path = Path(path_text).expanduser()
    try:
        return load_session_file(session_path)
    except SessionFileError as error:
        from cli.commands.session_problems import print_session_problems

        print_session_problems(session_path, error.problems)
        return None


def run_draft(args: argparse.Namespace) -> int:
    from cli.commands.group import group_session_data, run_group_draft
    from core.checks.findings import Finding, Severity
    from core.drafting.draft import compose_without_model, draft_note
    from core.notes.model import NoteFormat

    group = group_session_data(args.session_file)
    if group is not None:
        return run_group_draft(args, *group)
    details = _load_session(args.session_file)
    if details is None:
        return EXIT_BAD_INPUT
    note_format = NoteFormat(args.format) if args.format else details.format
    if args.no_llm:
        result = compose_without_model(details, note_format)
        notice = Finding(
            "DRAFT-COMPOSER", Severity.INFO, "", "written by clinote's composer (--no-llm)"
        )
        findings = (notice, *result.findings)
    else:
        result = draft_note(
            details,
            note_format,
            drafting_settings(args),
            model=args.model,
            allow_remote=args.allow_remote,
        )
        findings = result.findings
    sys.stdout.write(result.text)
    sys.stdout.flush()
    for finding in findings:
        print(finding.as_line(), file=sys.stderr)
    return EXIT_OK


# --- models ----------------------------------------------------------------------------


def _connection(args: argparse.Namespace) -> OllamaConnection:
    from core.drafting.connection import DraftingError, OllamaConnection

    try:
        return OllamaConnection.from_settings(
            drafting_settings(args), allow_remote=args.allow_remote
        )
    except DraftingError as error:
        raise CliError(error.message, exit_code=EXIT_MISSING) from None


def _size(size_bytes: int | None) -> str:
    if size_bytes is None:
        return "size unknown"
    return f"{size_bytes / 1e9:.1f} GB"  # decimal GB, as `ollama list` shows them


def run_models(args: argparse.Namespace) -> int:
    from core.drafting.host import DEFAULT_MODEL, DraftingError, is_cloud_model

    with _connection(args) as connection:
        try:
            models = connection.list_models()
        except DraftingError as error:
            raise CliError(error.message, exit_code=EXIT_MISSING) from None
    if not models:
        raise CliError(
            f"no models are installed at {connection.host.url}: `ollama pull {DEFAULT_MODEL}`",
            exit_code=EXIT_MISSING,
        )
    width = max(len(model.name) for model in models)
    for model in models:
        context = f"context {model.context_length}" if model.context_length else "context unknown"
        details = " ".join(part for part in (model.parameter_size, model.quantization) if part)
        note = "  (default)" if model.name == DEFAULT_MODEL else ""
        if is_cloud_model(model.name):
            note = "  (cloud: notes would leave this machine)"
        print(f"{model.name:<{width}}  {_size(model.size_bytes):>8}  {context}  {details}{note}")
    return EXIT_OK


# --- doctor ----------------------------------------------------------------------------


def _vault_line(vault_arg: str | None) -> tuple[bool, str]:
    path = resolve_vault_path(vault_arg)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return False, f"missing  vault: no vault at {path}: create one with `clinote init`"
    except OSError as error:
        return False, f"problem  vault: {path} cannot be read ({error.strerror})"
    if not path.is_file():
        return False, f"problem  vault: {path} is not a file: point --vault at the vault file"
    if mode & 0o077:
        return False, (
            f"problem  vault: {path} can be read by other users (mode {mode:o}): chmod 600 {path}"
        )
    folder_mode = stat.S_IMODE(path.parent.stat().st_mode)
    if folder_mode & 0o022:
        return False, (
            f"problem  vault: other users can replace files in {path.parent} "
            f"(mode {folder_mode:o}): chmod 700 {path.parent}"
        )
    writable = os.access(path, os.W_OK)
    return writable, (
        f"ok       vault: {path} (mode {mode:o}, owner only)"
        if writable
        else f"problem  vault: {path} is not writable by you: check its owner"
    )


def listening_program(port: int, proc: Path = Path("/proc")) -> str | None:
    """The name of the program listening on this loopback TCP port, where Linux tells us.

    Reads /proc/net/tcp{,6} for the socket's inode and /proc/<pid>/fd for its
    owner; None elsewhere, or when the owner is another user's process.
    """
    inodes = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = (proc / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[3] == "0A" and fields[1].endswith(f":{port:04X}"):
                inodes.add(f"socket:[{fields[9]}]")
    if not inodes:
        return None
    for pid_dir in proc.iterdir():
        if not pid_dir.name.isdigit():
            continue
        try:
            if any(os.readlink(fd) in inodes for fd in (pid_dir / "fd").iterdir()):
                return (pid_dir / "comm").read_text().strip()
        except OSError:
            continue
    return None


def _trust_source(ca_file: str) -> str:
    if ca_file.strip():
        return f"the practice CA in {ca_file.strip()}"
    if os.environ.get("SSL_CERT_FILE", "").strip():
        return f"SSL_CERT_FILE ({os.environ['SSL_CERT_FILE'].strip()})"
    return "the system's certificate authorities"


def describe_route(host: OllamaHost, ca_file: str = "", program: str | None = None) -> str:
    """The doctor's line for where drafts go: local, a tunnel, remote https or unencrypted."""
    where = f"from {host.source}"
    kind = host.kind
    if host.is_local and program == "ssh":
        return (
            f"ok       ollama host: {host.url} (SSH tunnel: ssh listens on port {host.port}, so "
            f"the de-identified prompt goes encrypted to the machine it forwards to; {where})"
        )
    if kind == "local":
        return f"ok       ollama host: {host.url} (local, {where})"
    if kind == "loopback":
        return (
            f"ok       ollama host: {host.url} (loopback port {host.port}: a local server, or a "
            f"tunnel such as `ssh -L {host.port}:localhost:11434 gpu-host`; {where})"
        )
    if kind == "remote-https":
        return (
            f"warning  ollama host: {host.url} (remote over https, certificate checked against "
            f"{_trust_source(ca_file)}: the de-identified prompt leaves this machine; {where})"
        )
    return (
        f"warning  ollama host: {host.url} (remote over UNENCRYPTED http://: the de-identified "
        f"prompt crosses the network in clear; {where})"
    )


def run_doctor(args: argparse.Namespace) -> int:
    """Exit 1 only for what clinote needs (the vault); drafting is optional."""
    from core.drafting.connection import (
        DEFAULT_MODEL,
        DraftingError,
        OllamaConnection,
        refuse_cloud_model,
        resolve_host,
    )

    settings = drafting_settings(args)
    vault_ok, vault_line = _vault_line(args.vault)
    lines = [vault_line]
    exit_code = EXIT_OK if vault_ok else EXIT_MISSING
    model = args.model or DEFAULT_MODEL
    try:
        host = resolve_host(settings)
        # Decided before anything connects: the same refusal a draft would meet.
        connection = OllamaConnection.from_settings(settings, allow_remote=args.allow_remote)
    except DraftingError as error:
        lines.append(f"problem  ollama host: {error.message}")
        lines.append("optional drafting: without a model, clinote composes the note itself")
        print("\n".join(lines))
        return exit_code
    program = listening_program(host.port) if host.is_local else None
    lines.append(describe_route(host, settings.ca_file, program))
    with connection:
        try:
            version = connection.version()
        except DraftingError as error:
            lines.append(f"optional ollama: {error.message}")
            lines.append(f"optional model: {model} cannot be checked until Ollama answers")
            print("\n".join(lines))
            return exit_code
        lines.append(f"ok       ollama: reachable, version {version}")
        try:
            refuse_cloud_model(model, args.allow_remote)
            info = connection.show_model(model)
        except DraftingError as error:
            lines.append(f"optional model: {error.message}")
        else:
            context = (
                f"context length {info.context_length} tokens"
                if info.context_length
                else "context length unknown"
            )
            lines.append(f"ok       model: {model} installed, {context}")
    print("\n".join(lines))
    return exit_code
