"""Failed unlocks, counted outside the vault (which cannot be written without the key).

`<vault>.failed-unlocks` holds one line per failed attempt: its local time, nothing else.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from storage.permissions import open_private


def failures_path_for(vault_path: Path) -> Path:
    return vault_path.with_name(vault_path.name + ".failed-unlocks")


def record_failed_unlock(vault_path: Path) -> None:
    line = datetime.now().astimezone().isoformat(timespec="seconds") + "\n"
    try:
        fd = open_private(failures_path_for(vault_path), os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    except OSError:
        return  # a read-only folder must not turn a wrong passphrase into a crash
    try:
        os.write(fd, line.encode("ascii"))
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def failed_unlock_times(vault_path: Path) -> list[str]:
    try:
        text = failures_path_for(vault_path).read_text("ascii", errors="replace")
    except FileNotFoundError:
        return []
    return [line.strip() for line in text.splitlines() if line.strip()]


def clear_failed_unlocks(vault_path: Path) -> None:
    try:
        failures_path_for(vault_path).unlink()
    except FileNotFoundError:
        pass
