"""Where the clinician was when the vault locked, so unlocking returns there.

Only ids and a cursor position are kept while locked: no note text, no client details.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.screen import Screen
from textual.widgets import Input, TextArea

Cursor = tuple[int, int] | int | None


@dataclass(frozen=True)
class ResumePoint:
    client_id: str
    note_id: str | None = None  # an editor was open on this stored note
    new_note: bool = False  # an editor was open on a note with nothing stored yet
    focus_id: str | None = None
    cursor: Cursor = None


def cursor_of(widget: object) -> Cursor:
    if isinstance(widget, TextArea):
        return widget.cursor_location
    if isinstance(widget, Input):
        return widget.cursor_position
    return None


def place_cursor(widget: object, cursor: Cursor) -> None:
    if isinstance(widget, TextArea) and isinstance(cursor, tuple):
        widget.move_cursor(cursor)
    elif isinstance(widget, Input) and isinstance(cursor, int):
        widget.cursor_position = cursor


def resume_point(stack: Iterable[Screen]) -> ResumePoint | None:
    """The client and note open on the screen stack (top-most), with the focused field."""
    from tui.screens.client import ClientScreen
    from tui.screens.note_editor import NoteEditorScreen

    point: ResumePoint | None = None
    for screen in stack:
        if isinstance(screen, ClientScreen):
            point = ResumePoint(screen.client_id)
        elif isinstance(screen, NoteEditorScreen) and point is not None:
            focused = screen.focused
            stored = screen.stored_note_id
            point = ResumePoint(
                point.client_id,
                note_id=stored,
                new_note=stored is None,
                focus_id=focused.id if focused is not None else None,
                cursor=cursor_of(focused),
            )
    return point
