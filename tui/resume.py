"""Where the clinician was when the vault locked, so unlocking returns there.

Only ids and a cursor position are kept while locked: no note text, no client details.
What was typed is saved into the vault before the lock (drafts, psychotherapy notes,
and the entries of the summary and group session screens, storage.records.form_drafts)
and read back from it after the unlock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from textual.screen import Screen
from textual.widgets import Input, TextArea

Cursor = tuple[int, int] | int | None


@dataclass(frozen=True)
class ResumePoint:
    client_id: str = ""  # "" when no client was open (a group session)
    note_id: str | None = None  # an editor was open on this stored note
    new_note: bool = False  # an editor was open on a note with nothing stored yet
    focus_id: str | None = None  # the editor's focused field and cursor
    cursor: Cursor = None
    # A screen open above them: "summary", "group", "psychotherapy_note" or "addendum",
    # with its own focused field and cursor.
    screen: str | None = None
    form_focus_id: str | None = None
    form_cursor: Cursor = None


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


def return_to_field(screen: Screen, focus_id: str | None, cursor: Cursor) -> None:
    """Focus the field `focus_id` on `screen` again, its cursor where it was."""
    found = screen.query(f"#{focus_id}") if focus_id else None
    if not found or not found.first().focusable:
        return
    widget = found.first()
    widget.focus()
    # After the focus event, which selects an Input's whole text.
    screen.call_after_refresh(place_cursor, widget, cursor)


def resume_point(stack: Iterable[Screen]) -> ResumePoint | None:
    """The client, note and form open on the screen stack (top-most), with the focused field."""
    from tui.screens.addendum import AddendumScreen
    from tui.screens.client import ClientScreen
    from tui.screens.group_session import GroupSessionScreen
    from tui.screens.note_editor import NoteEditorScreen
    from tui.screens.psychotherapy_note import PsychotherapyNoteScreen
    from tui.screens.treatment_summary import TreatmentSummaryScreen

    point: ResumePoint | None = None
    for screen in stack:
        focused = screen.focused
        focus_id = focused.id if focused is not None else None
        cursor = cursor_of(focused)
        if isinstance(screen, ClientScreen):
            point = ResumePoint(screen.client_id)
        elif isinstance(screen, GroupSessionScreen):
            point = ResumePoint(screen="group", form_focus_id=focus_id, form_cursor=cursor)
        elif isinstance(screen, TreatmentSummaryScreen) and point is not None:
            point = replace(point, screen="summary", form_focus_id=focus_id, form_cursor=cursor)
        elif isinstance(screen, AddendumScreen) and point is not None and point.note_id:
            point = replace(point, screen="addendum")  # its text is kept in the vault
        elif isinstance(screen, PsychotherapyNoteScreen) and point is not None and point.note_id:
            point = replace(
                point, screen="psychotherapy_note", form_focus_id=focus_id, form_cursor=cursor
            )
        elif isinstance(screen, NoteEditorScreen) and point is not None:
            stored = screen.stored_note_id
            point = ResumePoint(
                point.client_id,
                note_id=stored,
                new_note=stored is None,
                focus_id=focus_id,
                cursor=cursor,
            )
    return point
