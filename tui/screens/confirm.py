"""A yes/no question in a small modal."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True when confirmed, False on cancel or Escape."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="confirm.cancel")]

    def __init__(
        self,
        question: str,
        detail: str = "",
        confirm_label: str = "Yes",
        cancel_label: str = "Cancel",
    ) -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.confirm_label = confirm_label
        self.cancel_label = cancel_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog modal-dialog"):
            yield Static(self.question, classes="dialog-title")
            if self.detail:
                yield Static(self.detail, classes="muted")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.confirm_label, id="confirm", variant="warning")
                yield Button(self.cancel_label, id="cancel")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#confirm")
    def confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


def leave_unless_edited(screen: Screen, edited: bool, leave: Callable[[], object]) -> None:
    """Leave at once when nothing was edited; otherwise ask before dropping the edits."""
    if not edited:
        leave()
        return

    def answered(discard: bool | None) -> None:
        if discard:
            leave()

    screen.app.push_screen(
        ConfirmScreen(
            "Leave without saving? Your changes are not saved.",
            "ctrl+s saves them; Cancel goes back to what you typed.",
            confirm_label="Discard changes",
        ),
        answered,
    )
