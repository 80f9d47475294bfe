"""Writing a file only its owner can read, without ever replacing one by accident.

One helper for every 0600 file clinote writes outside the vault (exports,
Markdown notes, the $EDITOR hand-over, the config). By default the file must
not exist yet (O_CREAT|O_EXCL, and a symlink is never followed); only where
the user asked to replace a file (saving the config) is `exclusive=False`
used, and then a temp file is renamed over it, so the old file is never
truncated, chmodded or written through.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from storage.vault.permissions import FILE_MODE, fsync_folder

_NEW_FILE_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def _write_new(path: Path, text: str) -> None:
    """Create `path` (FileExistsError when anything is there), write, fsync; no half file left."""
    descriptor = os.open(path, _NEW_FILE_FLAGS, FILE_MODE)
    try:
        # Ours since O_EXCL created it: the umask may have narrowed the mode, never widened it.
        os.fchmod(descriptor, FILE_MODE)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            descriptor = -1
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        if descriptor != -1:
            os.close(descriptor)
        path.unlink(missing_ok=True)  # the file this call created, never another
        raise


def write_private_file(path: Path, text: str, *, exclusive: bool = True) -> None:
    """Write `text` to `path` as a 0600 file.

    exclusive (the default): refuse with FileExistsError if `path` exists in any
    form (file, folder, device, symlink). Otherwise: replace `path` atomically
    through a temp file in the same folder; the old file is never opened.
    """
    if exclusive:
        _write_new(path, text)
        return
    # A name no one can guess, created with O_EXCL: a file or symlink planted beside
    # `path`, or another save running at the same time, is never written, followed or removed.
    temp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    _write_new(temp, text)
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)
