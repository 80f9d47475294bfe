"""Saving a note outside the vault: Markdown or plain text, readable by the owner only."""

from __future__ import annotations

import os
from pathlib import Path

from core.plain_text import note_as_plain_text

PRIVATE_FILE_MODE = 0o600


class ExportError(Exception):
    """The file could not be written; the message says what to do."""


def write_note_file(path: Path, markdown: str, *, as_markdown: bool) -> Path:
    """Write a new file, mode 0600, never replacing an existing one."""
    target = path.expanduser()
    if target.exists():
        raise ExportError(f"{target} already exists; choose another file name")
    if not target.parent.is_dir():
        raise ExportError(f"folder {target.parent} does not exist; choose an existing folder")
    content = markdown if as_markdown else note_as_plain_text(markdown)
    try:
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        raise ExportError(f"{target} already exists; choose another file name") from None
    except OSError as error:
        raise ExportError(
            f"cannot write {target} ({error.strerror}); choose another folder"
        ) from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        target.unlink(missing_ok=True)
        raise ExportError(f"cannot write {target} ({error.strerror}); nothing was saved") from None
    # os.open's mode is filtered by the umask; make sure it is exactly owner-only.
    os.chmod(target, PRIVATE_FILE_MODE)
    return target
