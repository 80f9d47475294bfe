"""The psychotherapy (process) note of one session: its own screen, its own autosave.

It is kept apart from the progress note (45 CFR 164.501): nothing here reaches
the note's text, preview, copy, export or the model's prompt, and signing the
progress note never signs or freezes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Footer, Input, Static, TextArea

from core.notes.psychotherapy_note import TITLE, remove_sentence
from tui.errors import describe_error
from tui.resume import Cursor, place_cursor
from tui.widgets.form_values import field_widget_id

if TYPE_CHECKING:
    from storage.records.repositories import Repositories

AUTOSAVE_EVERY = 3.0  # seconds between saves of a changed psychotherapy note
EXPLANATION = (
    "Your private process notes for this session. Kept apart from the progress note: "
    "never in its text, copy or export, never sent to the model, never signed with it."
)


class PsychotherapyNoteScreen(ModalScreen[str | None]):
    """Edits the session's psychotherapy note; closes with the text as saved."""

    # Its own few rules here, so the editor's stylesheet (being reworked) stays untouched.
    DEFAULT_CSS = """
    PsychotherapyNoteScreen { align: center middle; }
    #psychotherapy-note-dialog { height: 20; }
    #psychotherapy-note-title { text-style: bold; color: $text-warning; }
    #psychotherapy-note-explanation { color: $text-muted; margin-bottom: 1; }
    #psychotherapy-note-text { height: 1fr; }
    """

    BINDINGS = [
        Binding(
            "escape",
            "close",
            "Save and close",
            id="psychotherapy_note.close",
            tooltip="Save the psychotherapy note and return to the progress note",
        ),
        Binding(
            "ctrl+s",
            "save",
            "Save",
            id="psychotherapy_note.save",
            tooltip="Save the psychotherapy note now",
        ),
    ]

    def __init__(self, repos: Callable[[], Repositories], note_id: str, client_id: str) -> None:
        super().__init__()
        self._repos = repos
        self._note_id = note_id
        self._client_id = client_id
        self._saved_text = ""
        self.resume_cursor: Cursor = None  # after an unlock: where the cursor was at the lock

    def compose(self) -> ComposeResult:
        with Vertical(id="psychotherapy-note-dialog", classes="dialog"):
            yield Static(TITLE, id="psychotherapy-note-title", markup=False)
            yield Static(EXPLANATION, id="psychotherapy-note-explanation", markup=False)
            yield TextArea(id="psychotherapy-note-text", soft_wrap=True, tab_behavior="focus")
            yield Static("", id="psychotherapy-note-status", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        stored = self._repos().psychotherapy_notes.get(self._note_id)
        self._saved_text = stored.text if stored is not None else ""
        area = self.query_one("#psychotherapy-note-text", TextArea)
        area.load_text(self._saved_text)
        area.focus()
        place_cursor(area, self.resume_cursor)
        self.set_interval(AUTOSAVE_EVERY, self._autosave)

    @property
    def text(self) -> str:
        return self.query_one("#psychotherapy-note-text", TextArea).text

    def _autosave(self) -> None:
        self.save_now()

    def save_now(self) -> bool:
        """Store the text when it changed; False (and a one-line notice) when the vault refused."""
        text = self.text
        if text == self._saved_text:
            return True
        try:
            self._repos().psychotherapy_notes.save(self._note_id, self._client_id, text)
        except Exception as error:  # noqa: BLE001 - one line; the typed text stays on screen
            self.query_one("#psychotherapy-note-status", Static).update(
                f"Not saved: {describe_error(error)}"
            )
            return False
        self._saved_text = text
        self.query_one("#psychotherapy-note-status", Static).update("Saved.")
        return True

    def save_draft_now(self, *, force: bool = False) -> None:
        """Saved like the editor's drafts when the app locks, hangs up or quits."""
        self.save_now()

    def on_screen_suspend(self) -> None:
        self.save_now()

    def action_save(self) -> None:
        self.save_now()

    def action_close(self) -> None:
        if self.save_now():
            self.dismiss(self._saved_text)


def _field_text(form: Widget, field_path: str) -> str | None:
    found = form.query(f"#{field_widget_id(field_path)}") if field_path else None
    if not found:
        return None
    widget = found.first()
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Input):
        return widget.value
    return None


def sentence_in_field(form: Widget, field_path: str, sentence: str) -> bool:
    """Whether the form's text field `field_path` holds `sentence` (so it can be moved)."""
    text = _field_text(form, field_path)
    return text is not None and remove_sentence(text, sentence) is not None


def remove_from_field(form: Widget, field_path: str, sentence: str) -> bool:
    """Take `sentence` out of the form's text field `field_path`; False when it is not there."""
    if not field_path:
        return False
    found = form.query(f"#{field_widget_id(field_path)}")
    if not found:
        return False
    widget = found.first()
    if isinstance(widget, TextArea):
        remaining = remove_sentence(widget.text, sentence)
        if remaining is not None:
            widget.load_text(remaining)
            return True
    elif isinstance(widget, Input):
        remaining = remove_sentence(widget.value, sentence)
        if remaining is not None:
            widget.value = remaining
            return True
    return False
