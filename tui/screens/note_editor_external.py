"""The note editor's hand-over to $EDITOR: the focused text box, edited in the user's editor.

The text goes through a private temporary file (tui.external_editor); a failed
or unreadable edit leaves the field as it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import SuspendNotSupported
from textual.screen import Screen
from textual.widgets import TextArea

from tui.external_editor import ExternalEditorError, edit_externally


class ExternalEditing(Screen[None]):
    """$EDITOR for the note editor (mixed into NoteEditorScreen)."""

    if TYPE_CHECKING:  # what the editor screen provides

        @property
        def read_only(self) -> bool: ...

    def action_external_editor(self) -> None:
        """Edit the focused long-text field (or the final text) in $EDITOR."""
        field = self.focused
        if self.read_only or not isinstance(field, TextArea) or field.read_only:
            self.notify("Move to a text box first; f4 opens it in $EDITOR.", timeout=4)
            return
        try:
            with self.app.suspend():
                edited = edit_externally(field.text)
        except SuspendNotSupported:
            self.notify("This terminal cannot hand over to $EDITOR.", severity="warning")
            return
        except ExternalEditorError as error:
            self.notify(f"{error}.", severity="warning", timeout=8)
            return
        field.load_text(edited.rstrip("\n"))
        field.focus()
