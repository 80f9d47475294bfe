"""Files only their owner can read (0600) in folders only the owner can enter (0700), whatever the umask."""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def open_private(path: Path, flags: int) -> int:
    """os.open with mode 0600 forced even if the file already existed with a wider mode."""
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    except BaseException:
        os.close(fd)
        raise
    return fd


def make_private_folder(folder: Path) -> None:
    """Create missing folders as 0700; existing folders the user chose are left as they are."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        path.mkdir(mode=FOLDER_MODE)
        os.chmod(path, FOLDER_MODE)  # mkdir's mode is filtered by the umask


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
