"""Saving a note outside the vault: Markdown or plain text, readable by the owner only."""

from __future__ import annotations

from pathlib import Path

from core.notes.plain_text import note_as_plain_text
from storage.vault.private_file import write_private_file


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
        write_private_file(target, content)
    except FileExistsError:
        raise ExportError(f"{target} already exists; choose another file name") from None
    except OSError as error:
        raise ExportError(
            f"cannot write {target} ({error.strerror}); nothing was saved; choose another folder"
        ) from None
    return target
