"""One session at a time, whatever name the vault is opened under.

Two locks, both dropped by the kernel when the process dies (even on kill -9):
- an exclusive flock on `<vault>.lock` (named after the vault's real path), whose
  text says who holds it;
- a flock on the vault file itself (its inode), so a second name for the same file
  (a hard link, a copy of the path through a symlink) cannot open it for writing.
Readers that change nothing (`verify`) take only a shared flock on the vault file.
"""

from __future__ import annotations

import errno
import fcntl
import os
import socket
import time
from pathlib import Path

from storage.vault.errors import UnsafeFile, VaultError, VaultLocked
from storage.vault.permissions import open_own_file

RECORD_BYTES = 128
ANOTHER_NAME = "under another name for the same file, or being checked by clinote verify"


def lock_path_for(vault_path: Path) -> Path:
    return vault_path.with_name(vault_path.name + ".lock")


class SessionLock:
    """Holds the lock file's descriptor; the lock lives exactly as long as it is open."""

    def __init__(self, vault_path: Path) -> None:
        self.path = lock_path_for(vault_path)
        # The file itself is never deleted: unlinking a lock file races with the next opener.
        # Never through a symlink: a link planted here would have the record written into its target.
        try:
            self._fd: int | None = open_own_file(self.path, os.O_RDWR | os.O_CREAT)
        except UnsafeFile:
            raise
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


def lock_vault_file(fd: int, vault_path: Path, *, shared: bool = False, wait: bool = False) -> None:
    """flock the vault's own inode (exclusive to write, shared to read); VaultLocked if taken.

    `wait` blocks instead (a session re-locking its own new file, which a `verify`
    may be reading for a moment). A shared reader asks `<vault>.lock` who the writer is; a writer already holds that
    lock itself, so the other holder must be using another name (or be a reader).
    """
    try:
        mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        fcntl.flock(fd, mode if wait else mode | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = (current_holder(vault_path) if shared else None) or ANOTHER_NAME
        raise VaultLocked(vault_path, holder) from None
    except OSError as error:
        if error.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
            raise
        # A file system without flock (some network mounts): the .lock file still guards one name.


def current_holder(vault_path: Path) -> str | None:
    """Who holds `<vault>.lock` now, read without creating or writing anything."""
    try:
        fd = open_own_file(lock_path_for(vault_path), os.O_RDONLY)
    except (OSError, VaultError):
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _describe_holder(fd)
        except OSError:
            return None
        return None  # nobody holds the lock file: the holder uses another name
    finally:
        os.close(fd)


def _describe_holder(fd: int) -> str:
    try:
        text = os.pread(fd, RECORD_BYTES, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    # The record is our own plain text, but a planted file could hold anything.
    text = "".join(ch for ch in text if ch.isprintable())
    return text or "another process"
