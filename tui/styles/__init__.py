"""The app's stylesheets, loaded once by the App (a screen's CSS_PATH would apply app-wide)."""

from __future__ import annotations

from pathlib import Path, PurePath

STYLES = Path(__file__).resolve().parent
# base: the shell's screens and the one `.dialog` rule; editor: the note editor's layout.
STYLESHEETS: list[str | PurePath] = [STYLES / "base.tcss", STYLES / "editor.tcss"]
