"""Ask where to save the note and as what, then save it (0600, never overwriting)."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from tui.export import ExportError, write_note_file

KINDS = [("Markdown (.md)", "md"), ("plain text (.txt)", "txt")]


class ExportScreen(ModalScreen[str | None]):
    """Dismisses with the path written, or None when cancelled."""

    DEFAULT_CSS = """
    #export-error {
        color: $text-error;
        height: auto;
    }
    """

    BINDINGS = [
        Binding(
            "escape", "cancel", "Cancel", id="export.cancel", tooltip="Close without saving a file"
        )
    ]

    def __init__(
        self, suggested_name: str, markdown: str, *, signed: bool, folder: Path | None = None
    ) -> None:
        super().__init__()
        self._signed = signed
        self._suggested = (folder or Path.home()) / suggested_name
        self._markdown = markdown

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog"):
            yield Label("Save the note to a file (plaintext: keep it somewhere private).")
            if not self._signed:
                yield Label("This note is a draft: it is not signed yet.", id="export-draft")
            yield Input(str(self._suggested), id="export-path")
            yield Select(KINDS, value="md", allow_blank=False, id="export-kind")
            yield Static("", id="export-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Save (Enter)", id="export-save", variant="primary")
                yield Button("Cancel (Esc)", id="export-cancel")
        # Its own keys, not the editor's beneath it.
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#export-path").focus()

    @on(Select.Changed, "#export-kind")
    def _on_kind_changed(self, event: Select.Changed) -> None:
        path_input = self.query_one("#export-path", Input)
        path = Path(path_input.value)
        if path.suffix in (".md", ".txt"):
            path_input.value = str(path.with_suffix(f".{event.value}"))

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-save")
    def action_save(self) -> None:
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            self._show_error("Enter a file path.")
            return
        as_markdown = self.query_one("#export-kind", Select).value == "md"
        try:
            written = write_note_file(Path(text), self._markdown, as_markdown=as_markdown)
        except ExportError as error:
            self._show_error(f"{error}.")
            return
        self.notify(f"Saved to {written} (readable by you only).", timeout=5)
        self.dismiss(str(written))

    def _show_error(self, message: str) -> None:
        self.query_one("#export-error", Static).update(message)

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
