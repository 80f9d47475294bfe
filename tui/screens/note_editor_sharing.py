"""The note editor's ways out of the vault: copy (plain text or Markdown) and export.

Every copy and export is recorded in the vault's audit log, in the background.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.screen import Screen

from core.notes.plain_text import note_as_plain_text
from tui.clipboard import clipboard_blocked, tmux_set_clipboard
from tui.screens.export import ExportScreen

if TYPE_CHECKING:
    from tui.app import ClinoteApp


class NoteSharing(Screen[None]):
    """Copy and export for the note editor (mixed into NoteEditorScreen)."""

    app: ClinoteApp  # typed, so self.app.repos type-checks

    def _text_to_share(self) -> str:
        raise NotImplementedError

    def _share_name(self) -> str:
        """The file name an export suggests, without its suffix."""
        raise NotImplementedError

    def _share_record(self) -> tuple[bool, bool, str | None]:
        """(signed, stored in the vault, note id) for the copy notice and the audit log."""
        raise NotImplementedError

    def action_copy(self) -> None:
        """Plain text, for an EHR text box."""
        self._copy(note_as_plain_text(self._text_to_share()), "as plain text")

    def action_copy_markdown(self) -> None:
        self._copy(self._text_to_share(), "as Markdown")

    def _copy(self, text: str, form: str) -> None:
        probe: Callable[[], str | None] = getattr(self.app, "clipboard_probe", tmux_set_clipboard)
        blocked = clipboard_blocked(os.environ, probe)
        if blocked is not None:
            self.notify(blocked, severity="warning", timeout=12)
            return
        self.app.copy_to_clipboard(text)
        signed, _stored, _note_id = self._share_record()
        draft = "" if signed else " (a draft, not signed)"
        self.notify(f"Note copied {form}{draft}.", timeout=3)
        self._record_event("note_copied")

    def action_export(self) -> None:
        signed, _stored, _note_id = self._share_record()
        dialog = ExportScreen(
            f"{self._share_name()}.md", self._text_to_share(), signed=signed, folder=Path.cwd()
        )
        self.app.push_screen(dialog, self._on_exported)

    def _on_exported(self, path: str | None) -> None:
        if path:
            self._record_event("note_exported")

    def _record_event(self, event: str) -> None:
        _signed, stored, note_id = self._share_record()
        if stored and note_id is not None:
            self._record_in_background(self.app.repos, event, note_id)

    @work(thread=True, group="editor-audit", exit_on_error=False)
    def _record_in_background(self, repos: Any, event: str, note_id: str) -> None:
        try:
            repos.record_event(event, note_id)
        except Exception:  # noqa: BLE001, S110 - the copy itself succeeded
            pass
