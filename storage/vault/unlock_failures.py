"""Failed unlocks, counted outside the vault (which cannot be written without the key).

`<vault>.failed-unlocks` holds one line per failed attempt: its local time, nothing else.
It is opened only as a regular file of this user's, never through a symlink.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from storage.vault.errors import VaultError
from storage.vault.permissions import open_own_file

# More lines than anyone types wrong between two unlocks; the rest is not worth an audit row each.
MAX_REPORTED = 1000
MAX_READ_BYTES = 64 * 1024


def failures_path_for(vault_path: Path) -> Path:
    return vault_path.with_name(vault_path.name + ".failed-unlocks")


def record_failed_unlock(vault_path: Path) -> None:
    line = datetime.now().astimezone().isoformat(timespec="seconds") + "\n"
    try:
        fd = open_own_file(failures_path_for(vault_path), os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    except (OSError, VaultError):
        # A read-only folder must not turn a wrong passphrase into a crash; a planted
        # symlink is refused with its own message at the next successful unlock.
        return
    try:
        os.write(fd, line.encode("ascii"))
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def failed_unlock_times(vault_path: Path) -> list[str]:
    """The recorded times; raises UnsafeFile when the file is a symlink or not the user's."""
    try:
        fd = open_own_file(failures_path_for(vault_path), os.O_RDONLY, private=False)
    except FileNotFoundError:
        return []
    try:
        raw = os.read(fd, MAX_READ_BYTES)
    finally:
        os.close(fd)
    times = [line.strip() for line in raw.decode("ascii", errors="replace").splitlines()]
    return [when for when in times if _is_time(when)][:MAX_REPORTED]


def _is_time(text: str) -> bool:
    # Only what record_failed_unlock writes enters the audit table.
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return text.isascii() and len(text) <= 40


def clear_failed_unlocks(vault_path: Path) -> None:
    try:
        failures_path_for(vault_path).unlink()
    except FileNotFoundError:
        pass
