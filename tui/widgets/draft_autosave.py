"""Autosave for the note editor: every few seconds when changed, at once on request, in order."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.message import Message
from textual.widget import Widget

from core.notes.model import SessionNote
from tui.errors import describe_error

AUTOSAVE_EVERY = 3.0  # seconds between autosaves of a changed draft

# What the editor would store now: (the note, a comparable snapshot of what it holds),
# or None when there is nothing to store (a signed note, a draft streaming in).
CurrentDraft = Callable[[], tuple[SessionNote, Any] | None]


class DraftAutosave(Widget):
    """Invisible: writes the editor's draft through the repositories, never out of order.

    Saves are numbered on the UI thread; a background write that was overtaken
    by a newer one (say, at a hangup) is dropped instead of overwriting newer text.
    """

    DEFAULT_CSS = "DraftAutosave { display: none; }"

    @dataclass
    class Saved(Message):
        """A draft is in the vault, as `note`; `snapshot` is what it was made from."""

        note: SessionNote
        snapshot: Any

    @dataclass
    class _Failed(Message):
        message: str

    def __init__(self, repos: Callable[[], Any], current: CurrentDraft) -> None:
        super().__init__()
        self._repos = repos
        self._current = current
        self.saved_snapshot: Any = None
        self._requested = 0
        self._written = 0
        self._write_order = threading.Lock()

    def on_mount(self) -> None:
        self.set_interval(AUTOSAVE_EVERY, self._autosave)

    def save_now(self, *, force: bool = False) -> SessionNote | None:
        """Write at once when changed (or when forced); the stored note, or None."""
        current = self._current()
        if current is None:
            return None
        note, snapshot = current
        if snapshot == self.saved_snapshot and not force:
            return None
        self._requested += 1
        try:
            stored = self._write(self._repos(), self._requested, note)
        except Exception as error:  # noqa: BLE001 - one line; no note text in it
            self.app.notify(
                f"Draft not saved: {describe_error(error)}", severity="error", timeout=8
            )
            return None
        if stored is not None:
            self.saved_snapshot = snapshot
        return stored

    def _autosave(self) -> None:
        current = self._current()
        if current is None:
            return
        note, snapshot = current
        if snapshot == self.saved_snapshot:
            return  # unchanged (and an untouched new note is not worth a record)
        self._requested += 1
        self._save_in_background(self._repos(), self._requested, note, snapshot)

    def _write(self, repos, sequence: int, note: SessionNote) -> SessionNote | None:
        with self._write_order:
            if sequence < self._written:
                return None  # a newer save already went through
            stored = repos.notes.save_draft(note)
            self._written = sequence
            return stored

    @work(thread=True, group="editor-save", exit_on_error=False)
    def _save_in_background(self, repos, sequence: int, note: SessionNote, snapshot: Any) -> None:
        try:
            stored = self._write(repos, sequence, note)
        except Exception as error:  # noqa: BLE001 - an unknown error's text may quote the note
            self.post_message(self._Failed(f"Draft not saved: {describe_error(error)}"))
            return
        if stored is not None:
            self.post_message(self.Saved(stored, snapshot))

    @on(Saved)
    def _on_saved(self, event: Saved) -> None:
        self.saved_snapshot = event.snapshot  # and the message goes on to the editor

    @on(_Failed)
    def _on_failed(self, event: _Failed) -> None:
        self.app.notify(event.message, severity="error", timeout=8)
