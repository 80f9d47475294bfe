"""The note editor's navigation: the preview follows the focused part of the form, keys
jump between the form's parts and between the form, the note and the findings, and an
unlock returns to the field and cursor that were focused at the lock.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual import events
from textual.screen import Screen
from textual.widget import Widget

from core.notes.model import SessionDetails, TextSource
from core.notes.note_sections import NotePart, section_fed_by
from tui.resume import ResumePoint, place_cursor
from tui.widgets.findings_list import FindingsList
from tui.widgets.note_form import NoteForm
from tui.widgets.note_preview import NotePreview

if TYPE_CHECKING:
    from tui.screens.note_editor_versions import ShownText

SHORT_TERMINAL_ROWS = 32  # below this the note's header shows as one line in the preview


class EditorNavigation(Screen[None]):
    """Following the clinician through the form (mixed into NoteEditorScreen)."""

    if TYPE_CHECKING:  # what the editor screen provides
        _followed_part: NotePart | None
        shown: ShownText

        @property
        def _text_source(self) -> TextSource: ...

        @property
        def read_only(self) -> bool: ...

        def _current_details(self) -> SessionDetails: ...

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if self.read_only:
            return
        part = self.query_one(NoteForm).part_of(event.widget)
        if part is not None and part is not self._followed_part:
            self._followed_part = part
            self._follow_part()

    def _follow_part(self) -> None:
        """Scroll the preview to the section the focused part of the form writes."""
        if self._followed_part is None:
            return
        section = section_fed_by(self._current_details(), self._followed_part)
        self.query_one(NotePreview).follow(section)

    def action_next_section(self) -> None:
        self.query_one(NoteForm).focus_part(1)

    def action_previous_section(self) -> None:
        self.query_one(NoteForm).focus_part(-1)

    def action_next_pane(self) -> None:
        """Form, then the note, then the findings, then the form again."""
        panes = [pane for pane in self._panes() if pane.display and pane.focusable]
        if not panes:
            return
        current = next((index for index, pane in enumerate(panes) if self._holds_focus(pane)), -1)
        target = panes[(current + 1) % len(panes)]
        if isinstance(target, NoteForm):
            # Back to the part last worked on, not to the top of the form.
            target.focus_part_named(self._followed_part or NotePart.SESSION)
        else:
            target.focus()

    def _panes(self) -> list[Widget]:
        preview = self.query_one(NotePreview)
        note = preview.query_one("#final-text" if preview.editing else "#preview-scroll")
        return [*self.query(NoteForm), note, self.query_one(FindingsList)]

    def _holds_focus(self, pane: Widget) -> bool:
        focused = self.focused
        return focused is not None and (focused is pane or pane in focused.ancestors)

    def _return_to_field(self, point: ResumePoint) -> None:
        """Focus the field that was focused at the lock, with the cursor where it was."""
        if point.focus_id == "final-text" and self._text_source is not TextSource.COMPOSER:
            self.shown = replace(self.shown, editing=True)
        matches = self.query(f"#{point.focus_id}") if point.focus_id else None
        if not matches:
            return
        widget = matches.first()
        if widget.focusable:
            widget.focus()
            place_cursor(widget, point.cursor)

    def on_resize(self) -> None:
        self._fit_header_to_height()

    def _fit_header_to_height(self) -> None:
        short = self.app.size.height < SHORT_TERMINAL_ROWS
        self.query_one(NotePreview).set_compact_header(short)
