"""Edit one long field in the clinician's $EDITOR, through a file only they can read.

The file lives in a fresh 0700 folder in memory-backed storage (/dev/shm, or
the user's runtime folder) and is removed as soon as the editor exits; there is
no fallback to a folder on disk, so note text never lands there.
"""

from __future__ import annotations

import os
import shlex
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from storage.vault.private_file import write_private_file

# The editor is another program: it gets no passphrase through its environment.
FOLDER_PREFIX = "clinote-"
SECRET_VARIABLES = ("CLINOTE_PASSPHRASE", "CLINOTE_NEW_PASSPHRASE")


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


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return True


def remove_stale_hand_over_folders(environ: Mapping[str, str] = os.environ) -> int:
    """Remove `clinote-<pid>-*` folders of ours whose session is gone (kill -9 while editing).

    Only folders owned by this user whose pid no longer runs; returns how many went.
    """
    try:
        base = private_base(environ)
    except ExternalEditorError:
        return 0
    removed = 0
    for folder in base.glob(f"{FOLDER_PREFIX}*"):
        pid_text = folder.name[len(FOLDER_PREFIX) :].split("-", 1)[0]
        try:
            info = folder.lstat()
        except OSError:
            continue
        if not pid_text.isdigit() or not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            continue
        if _pid_alive(int(pid_text)):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed


def editor_environment(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The environment the editor runs with: ours without the vault passphrases."""
    return {name: value for name, value in environ.items() if name not in SECRET_VARIABLES}


def edit_externally(text: str, environ: Mapping[str, str] = os.environ, suffix: str = ".md") -> str:
    """Open the text in the editor and return what was saved; the file is removed afterwards."""
    command = editor_command(environ)
    # The pid in the name lets a later start tell a folder left by a killed session.
    folder = Path(
        tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-", dir=private_base(environ))
    )  # 0700
    try:
        path = folder / f"field{suffix}"
        write_private_file(path, text)
        try:
            finished = subprocess.run([*command, str(path)], check=False, env=editor_environment())
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
