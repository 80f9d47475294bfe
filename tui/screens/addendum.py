"""Write an addendum to a signed note: what is added or corrected, and why."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, TextArea


class AddendumScreen(ModalScreen[tuple[str, str] | None]):
    """Dismisses with (text, reason), or None when cancelled."""

    CSS_PATH = "../note_editor.tcss"

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="addendum.cancel"),
        Binding("ctrl+s", "submit", "Sign addendum", id="addendum.submit"),
    ]

    def __init__(self, text: str = "", reason: str = "") -> None:
        super().__init__()
        self._text = text
        self._reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(id="addendum-dialog", classes="dialog"):
            yield Label("Addendum: what is added or corrected? The signed note stays as it is.")
            yield TextArea(self._text, id="addendum-text", soft_wrap=True, tab_behavior="focus")
            yield Label("Why is it added?")
            yield Input(self._reason, placeholder="reason", id="addendum-reason")
            with Horizontal(classes="buttons"):
                yield Button("Sign addendum (^s)", id="addendum-submit", variant="primary")
                yield Button("Cancel (Esc)", id="addendum-cancel")

    def on_mount(self) -> None:
        self.query_one("#addendum-text").focus()

    def action_submit(self) -> None:
        text = self.query_one("#addendum-text", TextArea).text.strip()
        reason = self.query_one("#addendum-reason", Input).value.strip()
        if not text:
            self.notify("Write the addendum text first.", severity="warning")
            self.query_one("#addendum-text").focus()
            return
        if not reason:
            self.notify("Say why the addendum is added.", severity="warning")
            self.query_one("#addendum-reason").focus()
            return
        self.dismiss((text, reason))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#addendum-reason")
    @on(Button.Pressed, "#addendum-submit")
    def _on_submit(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#addendum-cancel")
    def _on_cancel(self) -> None:
        self.action_cancel()
