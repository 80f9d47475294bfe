"""Write an addendum to a signed note: what is added or corrected, and why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Static, TextArea

from core.notes.model import SessionNote, Settings
from storage.records.form_drafts import addendum_form_key

if TYPE_CHECKING:
    from storage.records.repositories import Repositories
    from tui.app import ClinoteApp


class AddendumScreen(ModalScreen[SessionNote | None]):
    """Signs and stores the addendum; closes with the amended note, or None when cancelled.

    When the vault refuses, the dialog stays open with the text as typed.
    """

    app: ClinoteApp  # typed, so self.app.repos, .config, .vault_path... type-check

    DEFAULT_CSS = """
    #addendum-text {
        height: 8;
    }
    """

    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="addendum.cancel",
            tooltip="Close without adding the addendum",
        ),
        Binding(
            # ctrl+g signs, as it signs the note; ctrl+s means save elsewhere and must
            # not sign anything for good.
            "ctrl+g",
            "submit",
            "Sign addendum",
            id="addendum.submit",
            tooltip="Sign the addendum and add it below the note",
        ),
    ]

    @dataclass
    class _Refused(Message):
        message: str

    def __init__(self, repos: Repositories, note_id: str, settings: Settings) -> None:
        super().__init__()
        self._repos = repos
        self._note_id = note_id
        self._settings = settings
        self._writing = False

    def compose(self) -> ComposeResult:
        with Vertical(id="addendum-dialog", classes="dialog"):
            yield Label("Addendum: what is added or corrected? The signed note stays as it is.")
            yield TextArea(id="addendum-text", soft_wrap=True, tab_behavior="focus")
            yield Label("Why is it added?")
            yield Input(placeholder="reason", id="addendum-reason")
            yield Static("", id="addendum-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Sign addendum (^g)", id="addendum-submit", variant="primary")
                yield Button("Cancel (Esc)", id="addendum-cancel")
        # Its own keys, not the editor's beneath it.
        yield Footer(compact=True)

    def on_mount(self) -> None:
        area = self.query_one("#addendum-text", TextArea)
        kept = self._kept()
        if kept:
            area.load_text(str(kept.get("text", "")))
            self.query_one("#addendum-reason", Input).value = str(kept.get("reason", ""))
            area.move_cursor(area.document.end)
            self.notify("Your unfinished addendum is back.", timeout=4)
        area.focus()

    # --- an unfinished addendum, kept in the vault across a lock or hangup ----------

    def _kept(self) -> dict[str, object] | None:
        drafts = self.app.form_drafts
        return drafts.get(addendum_form_key(self._note_id)) if drafts is not None else None

    def save_draft_now(self) -> None:
        """At a lock, hangup or quit (the app asks every open screen): keep what is typed."""
        drafts = self.app.form_drafts
        if drafts is None or self._writing or not self.is_mounted:
            return
        typed = {
            "text": self.query_one("#addendum-text", TextArea).text,
            "reason": self.query_one("#addendum-reason", Input).value,
        }
        drafts.keep(addendum_form_key(self._note_id), typed, {"text": "", "reason": ""})

    def _forget_kept(self) -> None:
        drafts = self.app.form_drafts
        if drafts is not None and self._kept():
            drafts.delete(addendum_form_key(self._note_id))

    def action_submit(self) -> None:
        if self._writing:
            return
        text = self.query_one("#addendum-text", TextArea).text.strip()
        reason = self.query_one("#addendum-reason", Input).value.strip()
        if not text:
            self._show_problem("Write the addendum text first.", "#addendum-text")
            return
        if not reason:
            self._show_problem("Say why the addendum is added.", "#addendum-reason")
            return
        self._writing = True
        self.query_one("#addendum-error", Static).update("Signing the addendum…")
        self._write(self._repos, self._note_id, text, reason, self._settings)

    def _show_problem(self, message: str, focus: str) -> None:
        self.query_one("#addendum-error", Static).update(message)
        self.query_one(focus).focus()

    @work(thread=True, group="addendum", exit_on_error=False)
    def _write(
        self, repos: Repositories, note_id: str, text: str, reason: str, settings: Settings
    ) -> None:
        try:
            amended = repos.notes.add_addendum(note_id, text, reason, settings)
        except Exception as error:  # noqa: BLE001 - one line; the typed text stays
            self.post_message(self._Refused(f"Not added: {error}."))
        else:
            self.app.call_from_thread(self._signed, amended)

    def _signed(self, amended: SessionNote) -> None:
        self._forget_kept()
        self.dismiss(amended)

    @on(_Refused)
    def _on_refused(self, event: _Refused) -> None:
        self._writing = False
        self.query_one("#addendum-error", Static).update(event.message)

    def action_cancel(self) -> None:
        if not self._writing:
            self._forget_kept()  # closed on purpose: nothing to bring back
            self.dismiss(None)

    @on(Input.Submitted, "#addendum-reason")
    @on(Button.Pressed, "#addendum-submit")
    def _on_submit(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#addendum-cancel")
    def _on_cancel(self) -> None:
        self.action_cancel()
