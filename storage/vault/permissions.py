"""Files only their owner can read (0600) in folders only the owner can enter (0700), whatever the umask."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from storage.vault.errors import UnsafeFile, UnsafeFolder

FILE_MODE = 0o600
FOLDER_MODE = 0o700
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def open_private(path: Path, flags: int) -> int:
    """os.open with mode 0600 forced even if the file already existed with a wider mode."""
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    except BaseException:
        os.close(fd)
        raise
    return fd


def open_own_file(
    path: Path, flags: int, *, private: bool = True, other_names_ok: bool = False
) -> int:
    """Open never through a symlink, and only a regular file with one name that this user owns.

    `other_names_ok` accepts hard links (the vault itself: its inode lock keeps names apart).

    Raises UnsafeFile (one line naming the path and what to do) for anything else; a
    FIFO or device in its place cannot block the open (O_NONBLOCK) or be written.
    """
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0) | _NOFOLLOW | _NONBLOCK, FILE_MODE)
    except OSError as error:
        if error.errno == errno.ELOOP or (error.errno == errno.ENXIO and path.is_symlink()):
            raise UnsafeFile(path, "it is a symbolic link") from None
        if error.errno == errno.ENXIO:
            raise UnsafeFile(path, "it is not a regular file") from None
        raise
    try:
        problem = _own_file_problem(os.fstat(fd), other_names_ok)
        if problem:
            raise UnsafeFile(path, problem)
        if _NONBLOCK:
            os.set_blocking(fd, True)
        if private and flags & (os.O_WRONLY | os.O_RDWR):
            os.fchmod(fd, FILE_MODE)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _own_file_problem(info: os.stat_result, other_names_ok: bool) -> str | None:
    if not stat.S_ISREG(info.st_mode):
        return "it is not a regular file"
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return "it belongs to another user"
    if info.st_nlink > 1 and not other_names_ok:
        return "it has another name (a hard link)"
    return None


def folder_problem(folder: Path) -> str | None:
    """Why other users could plant or swap files in `folder`, or None when only its owner can."""
    try:
        info = os.stat(folder)
    except OSError:
        return None  # a missing folder is reported by whoever needs it, in its own words
    mode = f"mode {stat.S_IMODE(info.st_mode):04o}"
    if info.st_mode & stat.S_IWOTH:
        return mode
    if info.st_mode & stat.S_IWGRP and not _is_own_private_group(info.st_gid):
        return f"{mode}, group {_group_name(info.st_gid)}"
    return None


def _is_own_private_group(gid: int) -> bool:
    """A group named after this user with no other member (umask 002 systems make these)."""
    try:
        import grp
        import pwd

        group = grp.getgrgid(gid)
        user = pwd.getpwuid(os.getuid())
    except (ImportError, KeyError):
        return False
    return (
        group.gr_name == user.pw_name and gid == user.pw_gid and set(group.gr_mem) <= {user.pw_name}
    )


def _group_name(gid: int) -> str:
    try:
        import grp

        return grp.getgrgid(gid).gr_name
    except (ImportError, KeyError):
        return str(gid)


def check_private_folder(folder: Path) -> None:
    """Refuse a vault folder that group or others can write to (they could plant symlinks)."""
    problem = folder_problem(folder)
    if problem:
        raise UnsafeFolder(folder, problem)


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
