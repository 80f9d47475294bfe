"""Saving a note outside the vault: Markdown or plain text, readable by the owner only."""

from __future__ import annotations

import re
from pathlib import Path

from storage.private_file import write_private_file


class ExportError(Exception):
    """The file could not be written; the message says what to do."""


def markdown_to_text(markdown: str) -> str:
    """Plain text for an EHR text box: headings underlined, emphasis marks dropped."""
    lines = []
    for line in markdown.splitlines():
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        if heading:
            title = heading.group(2).strip()
            underline = "=" if len(heading.group(1)) == 1 else "-"
            lines.extend([title, underline * len(title)])
            continue
        if line.strip() in ("---", "***"):
            lines.append("")
            continue
        line = re.sub(r"(\*\*|__)(.+?)\1", r"\2", line)
        line = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", line)
        line = re.sub(r"^(\s*)[*+] ", r"\1- ", line)
        lines.append(line)
    return "\n".join(lines).rstrip() + "\n"


def write_note_file(path: Path, markdown: str, *, as_markdown: bool) -> Path:
    """Write a new file, mode 0600, never replacing an existing one."""
    target = path.expanduser()
    if target.exists():
        raise ExportError(f"{target} already exists; choose another file name")
    if not target.parent.is_dir():
        raise ExportError(f"folder {target.parent} does not exist; choose an existing folder")
    content = markdown if as_markdown else markdown_to_text(markdown)
    try:
        write_private_file(target, content)
    except FileExistsError:
        raise ExportError(f"{target} already exists; choose another file name") from None
    except OSError as error:
        raise ExportError(
            f"cannot write {target} ({error.strerror}); nothing was saved; choose another folder"
        ) from None
    return target
