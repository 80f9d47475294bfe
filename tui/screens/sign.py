"""Sign a note: the final text, and either the blocking findings or the signing key."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Markdown, Static

from core.findings import Finding
from tui.widgets.findings_list import FindingsList


class SignScreen(ModalScreen[bool]):
    """Shows what will be signed; refuses while any blocking finding remains."""

    CSS_PATH = "../note_editor.tcss"

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="sign.cancel"),
        Binding("ctrl+g", "confirm", "Sign now", id="sign.confirm"),
    ]

    def __init__(self, text: str, blockers: list[Finding], warnings: list[Finding]) -> None:
        super().__init__()
        self._text = text
        self._blockers = list(blockers)
        self._warnings = list(warnings)

    @property
    def refused(self) -> bool:
        return bool(self._blockers)

    def compose(self) -> ComposeResult:
        with Vertical(id="sign-dialog", classes="dialog"):
            if self.refused:
                yield Static(
                    f"Cannot sign yet: fix {len(self._blockers)} blocking "
                    f"problem{'s' if len(self._blockers) != 1 else ''} first.",
                    id="sign-verdict",
                    classes="refused",
                )
                yield FindingsList(id="sign-blockers")
            else:
                extra = f" ({len(self._warnings)} warnings remain)" if self._warnings else ""
                yield Static(
                    f"Sign this note? It cannot be changed afterwards{extra}.",
                    id="sign-verdict",
                )
            with VerticalScroll(id="sign-text"):
                yield Markdown(self._text)
            with Horizontal(classes="buttons"):
                if not self.refused:
                    yield Button("Sign (^g)", id="sign-confirm", variant="primary")
                yield Button("Back to the note (Esc)", id="sign-cancel")

    def on_mount(self) -> None:
        if self.refused:
            blockers = self.query_one("#sign-blockers", FindingsList)
            blockers.set_findings(self._blockers)
            blockers.focus()
        else:
            self.query_one("#sign-confirm").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm":
            return not self.refused
        return True

    def action_confirm(self) -> None:
        if not self.refused:
            self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#sign-confirm")
    def _on_confirm(self) -> None:
        self.action_confirm()

    @on(Button.Pressed, "#sign-cancel")
    def _on_cancel(self) -> None:
        self.action_cancel()

    @on(FindingsList.Chosen)
    def _on_blocker_chosen(self, event: FindingsList.Chosen) -> None:
        event.stop()
        self.dismiss(False)
