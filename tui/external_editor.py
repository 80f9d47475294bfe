"""Edit one long field in the clinician's $EDITOR, through a file only they can read.

The file lives in a fresh 0700 folder in memory-backed storage (/dev/shm, or
the user's runtime folder) and is removed as soon as the editor exits; there is
no fallback to a folder on disk, so note text never lands there.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

PRIVATE_FILE_MODE = 0o600


class ExternalEditorError(Exception):
    """The field could not be edited outside; the message says what to do."""


def editor_command(environ: Mapping[str, str] = os.environ) -> list[str]:
    """$VISUAL, else $EDITOR, split as a shell would."""
    command = environ.get("VISUAL", "").strip() or environ.get("EDITOR", "").strip()
    if not command:
        raise ExternalEditorError("set $EDITOR (for example EDITOR=nano) to edit fields outside")
    return shlex.split(command)


def private_base(environ: Mapping[str, str] = os.environ) -> Path:
    """A memory-backed folder to hold the temporary file: /dev/shm or $XDG_RUNTIME_DIR."""
    candidates = [Path("/dev/shm"), Path(environ.get("XDG_RUNTIME_DIR", "") or "/nonexistent")]
    for candidate in candidates:
        if candidate.is_dir() and os.access(candidate, os.W_OK | os.X_OK):
            return candidate
    raise ExternalEditorError(
        "no memory-backed folder (/dev/shm or $XDG_RUNTIME_DIR) to hold the text; "
        "edit the field in the form instead"
    )


def edit_externally(text: str, environ: Mapping[str, str] = os.environ, suffix: str = ".md") -> str:
    """Open the text in the editor and return what was saved; the file is removed afterwards."""
    command = editor_command(environ)
    folder = Path(tempfile.mkdtemp(prefix="clinote-", dir=private_base(environ)))  # 0700
    try:
        path = folder / f"field{suffix}"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        try:
            finished = subprocess.run([*command, str(path)], check=False)
        except OSError as error:
            raise ExternalEditorError(
                f"cannot start {command[0]} ({error.strerror}); check $EDITOR"
            ) from None
        if finished.returncode != 0:
            raise ExternalEditorError(
                f"{command[0]} exited with status {finished.returncode}; the field is unchanged"
            )
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            # Said in our words: a decode error's own text would quote bytes of the note.
            raise ExternalEditorError(
                f"{command[0]} did not leave a UTF-8 file behind; the field is unchanged"
            ) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
