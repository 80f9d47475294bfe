"""Whether a copy (OSC 52) can reach the clipboard: inside tmux it must be let through."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Mapping

TMUX_PROBE_SECONDS = 2.0
TMUX_FIX = "set -g set-clipboard on"


def tmux_set_clipboard() -> str | None:
    """tmux's set-clipboard option ("on", "external", "off"), or None when it cannot be read."""
    tmux = shutil.which("tmux")
    if tmux is None:
        return None
    try:
        answer = subprocess.run(
            [tmux, "show", "-gv", "set-clipboard"],
            capture_output=True,
            text=True,
            timeout=TMUX_PROBE_SECONDS,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return answer.stdout.strip() if answer.returncode == 0 else None


def clipboard_blocked(
    environ: Mapping[str, str], probe: Callable[[], str | None] = tmux_set_clipboard
) -> str | None:
    """Why a copy would not arrive and what to set instead; None when nothing is known to block it.

    tmux passes an application's OSC 52 to the terminal only with set-clipboard on (its
    default, "external", keeps it for tmux's own copies).
    """
    if not environ.get("TMUX"):
        return None
    setting = probe()
    if setting == "on":
        return None
    found = f"set-clipboard is {setting}" if setting else "set-clipboard could not be read"
    return (
        f"Not copied: tmux {found}. Add '{TMUX_FIX}' to ~/.tmux.conf and run "
        "'tmux source ~/.tmux.conf', or use export (^o)."
    )
