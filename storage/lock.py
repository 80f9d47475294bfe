"""One session at a time: an exclusive flock on `<vault>.lock`, released by the kernel even after kill -9."""

from __future__ import annotations

import fcntl
import os
import socket
import time
from pathlib import Path

from storage.errors import VaultError, VaultLocked
from storage.permissions import open_private

RECORD_BYTES = 128


def lock_path_for(vault_path: Path) -> Path:
    return vault_path.with_name(vault_path.name + ".lock")


class SessionLock:
    """Holds the lock file's descriptor; the lock lives exactly as long as it is open."""

    def __init__(self, vault_path: Path) -> None:
        self.path = lock_path_for(vault_path)
        # The file itself is never deleted: unlinking a lock file races with the next opener.
        try:
            self._fd: int | None = open_private(self.path, os.O_RDWR | os.O_CREAT)
        except OSError as error:
            raise VaultError(
                f"cannot create the lock file {self.path} ({error.strerror}); "
                "check that this user may write to its folder"
            ) from None
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _describe_holder(self._fd)
            os.close(self._fd)
            raise VaultLocked(vault_path, holder) from None
        except BaseException:
            os.close(self._fd)
            raise
        # Who holds it, so the next opener can say so; no clinical data here.
        since = time.strftime("%H:%M")
        record = f"pid {os.getpid()} on {socket.gethostname()} since {since}"
        # Fixed width, so an overwrite needs no truncate (a metadata write on every open).
        os.pwrite(self._fd, record.encode()[:RECORD_BYTES].ljust(RECORD_BYTES), 0)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None


def _describe_holder(fd: int) -> str:
    try:
        text = os.pread(fd, RECORD_BYTES, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    return text or "another process"
