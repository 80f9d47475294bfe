"""What every subcommand shares: one-line errors, the vault path, the passphrase."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import platformdirs

if TYPE_CHECKING:
    from storage import Vault

PASSPHRASE_ENV = "CLINOTE_PASSPHRASE"
NEW_PASSPHRASE_ENV = "CLINOTE_NEW_PASSPHRASE"
VAULT_ENV = "CLINOTE_VAULT"


class CliError(Exception):
    """A failure the user meets: one line saying what is wrong and what to do."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


def default_vault_path() -> Path:
    return Path(platformdirs.user_data_dir("clinote", appauthor=False)) / "clinote.vault"


def resolve_vault_path(cli_value: str | None) -> Path:
    """--vault, else CLINOTE_VAULT, else the platform data folder."""
    if cli_value:
        return Path(cli_value).expanduser()
    if os.environ.get(VAULT_ENV):
        return Path(os.environ[VAULT_ENV]).expanduser()
    return default_vault_path()


def seen_vaults_folder() -> Path:
    """Where the rollback records live: beside the config file (CLINOTE_CONFIG moves both)."""
    from tui.config import default_config_path

    return default_config_path().parent / "seen-vaults"


def passphrase_from_env(env_var: str) -> str | None:
    """The variable's value, refused in one line when it is not UTF-8 text."""
    value = os.environ.get(env_var)
    if value is None:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # the OS bytes were not UTF-8 (kept as lone surrogates)
        raise CliError(
            f"{env_var} is not valid UTF-8 text; set it again from a UTF-8 terminal; "
            "nothing was changed",
            exit_code=2,
        ) from None
    return value


def print_vault_warnings(vault: object) -> None:
    """The vault's own warnings (a rollback, a dropped unfinished save): one line each."""
    for warning in getattr(vault, "warnings", ()):
        print(f"clinote: {warning}", file=sys.stderr)


def read_passphrase(env_var: str = PASSPHRASE_ENV, prompt: str = "Vault passphrase: ") -> str:
    """From the environment variable, else a no-echo prompt on a terminal."""
    value = passphrase_from_env(env_var)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise CliError(f"no passphrase: run clinote in a terminal or set {env_var}", exit_code=2)
    try:
        return getpass.getpass(prompt)
    except (EOFError, KeyboardInterrupt):
        raise CliError("no passphrase entered; nothing was changed", exit_code=2) from None


def read_new_passphrase(env_var: str) -> str:
    """A new passphrase: from the variable, else asked twice on a terminal.

    Raises storage.WeakPassphrase for a refused first entry, before asking to repeat it.
    """
    from storage import check_new_passphrase, same_passphrase

    value = passphrase_from_env(env_var)
    if value is not None:
        return value
    first = read_passphrase(env_var, "New passphrase (15 characters or more): ")
    check_new_passphrase(first)  # repeating a passphrase that will be refused wastes the typing
    second = read_passphrase(env_var, "Repeat the new passphrase: ")
    if not same_passphrase(first, second):
        raise CliError("the two passphrases differ; nothing was changed; try again")
    return first


def existing_vault_path(vault_arg: str | None) -> Path:
    """The vault path, checked before any passphrase is asked for it."""
    path = resolve_vault_path(vault_arg)
    if not path.exists():
        raise CliError(
            f"no vault at {path}: create one with `clinote init`, "
            f"or name yours with --vault or {VAULT_ENV}",
            exit_code=1,
        )
    return path


@contextmanager
def open_vault(vault_arg: str | None) -> Iterator[Vault]:
    """Open the vault named on the command line; vault errors become CliError."""
    from storage import Vault, VaultError

    path = existing_vault_path(vault_arg)
    passphrase = read_passphrase()
    try:
        vault = Vault.open(path, passphrase, seen_folder=seen_vaults_folder())
    except VaultError as error:
        raise CliError(str(error), exit_code=2) from None
    print_vault_warnings(vault)
    try:
        yield vault
    finally:
        vault.close()


class EscapingStream:
    """A text stream that shows control characters and lone surrogates as visible escapes.

    Every subcommand writes through one of these, so text from a file, the vault
    or a model can never drive the terminal (retitle it, write the clipboard).
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        from core.text_safety import escape_control

        self._stream.write(escape_control(text, one_line=False))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def escaped_output() -> Iterator[None]:
    """sys.stdout and sys.stderr as EscapingStreams while a subcommand runs."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = EscapingStream(saved[0]), EscapingStream(saved[1])
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
