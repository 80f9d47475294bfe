"""Sign a note: the final text, and either the blocking findings or the signing key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Markdown, Static

from core.checks.findings import Finding, Severity
from core.notes.model import SessionNote, Settings
from core.notes.records import SigningRefused
from tui.display_text import plain_multiline
from tui.widgets.findings_list import FindingsList

if TYPE_CHECKING:
    from tui.app import ClinoteApp


class SignScreen(ModalScreen[SessionNote | None]):
    """Shows what will be signed; refuses while any blocking finding remains.

    Signing runs here, in a worker: the dialog closes with the signed note, or
    stays open listing what the vault refused.
    """

    app: ClinoteApp  # typed, so self.app.repos, .config, .vault_path... type-check

    DEFAULT_CSS = """
    #sign-dialog {
        width: 78;
        height: 22;
    }
    #sign-verdict {
        text-style: bold;
        margin-bottom: 1;
    }
    #sign-verdict.refused {
        color: $text-error;
    }
    #sign-blockers {
        height: auto;
        max-height: 8;
    }
    #sign-text {
        height: 1fr;
        border: round $primary 50%;
        scrollbar-size-vertical: 1;
    }
    /* The note's title on the box's first line, not after two blank ones. */
    #sign-text MarkdownH1:first-child {
        margin-top: 0;
    }
    """

    BINDINGS = [
        Binding(
            "escape", "cancel", "Cancel", id="sign.cancel", tooltip="Back to the note, unsigned"
        ),
        Binding(
            "ctrl+g",
            "confirm",
            "Sign now",
            id="sign.confirm",
            tooltip="Sign the note as shown; it cannot be changed afterwards",
        ),
    ]

    @dataclass
    class _Refused(Message):
        findings: list[Finding]

    @dataclass
    class _Failed(Message):
        message: str

    def __init__(
        self,
        repos,
        note: SessionNote,
        settings: Settings,
        blockers: list[Finding],
        warnings: list[Finding],
    ) -> None:
        super().__init__()
        self._repos = repos
        self._note = note
        self._settings = settings
        self._blockers = list(blockers)
        self._warnings = list(warnings)
        self._signing = False

    @property
    def refused(self) -> bool:
        return bool(self._blockers)

    def compose(self) -> ComposeResult:
        with Vertical(id="sign-dialog", classes="dialog"):
            yield Static("", id="sign-verdict", markup=False)
            yield FindingsList(id="sign-blockers")
            with VerticalScroll(id="sign-text"):
                yield Markdown(plain_multiline(self._note.text))  # controls shown escaped
            with Horizontal(classes="buttons"):
                yield Button("Sign (^g)", id="sign-confirm", variant="primary")
                yield Button("Back to the note (Esc)", id="sign-cancel")
        # Its own keys, not the editor's beneath it.
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._show_verdict()

    def _show_verdict(self) -> None:
        verdict = self.query_one("#sign-verdict", Static)
        blockers = self.query_one("#sign-blockers", FindingsList)
        confirm = self.query_one("#sign-confirm", Button)
        if self.refused:
            count = len(self._blockers)
            verdict.update(
                f"Cannot sign yet: fix {count} blocking problem{'s' if count != 1 else ''} first."
            )
            verdict.add_class("refused")
            blockers.set_findings(self._blockers)
            blockers.display = True
            confirm.display = False
            blockers.focus()
        else:
            # The list below also holds info findings: only warnings are counted as such.
            count = sum(1 for finding in self._warnings if finding.severity is Severity.WARNING)
            if count:
                extra = f" {count} warning{'s' if count != 1 else ''} remain{'s' if count == 1 else ''}:"
            elif self._warnings:
                extra = " For your information:"
            else:
                extra = ""
            verdict.update(f"Sign this note? It cannot be changed afterwards.{extra}")
            # Named, not counted: the clinician decides whether each one matters here.
            blockers.set_findings(self._warnings)
            blockers.display = bool(self._warnings)
            # The note to read has the focus, not the Sign button: the dialog opens when
            # the checks finish, maybe mid-typing, and a stray Enter must not sign.
            self.query_one("#sign-text", VerticalScroll).focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm":
            return not self.refused
        return True

    def action_confirm(self) -> None:
        if self.refused or self._signing:
            return
        self._signing = True
        self.query_one("#sign-verdict", Static).update("Signing…")
        self._sign(self._repos, self._note.id, self._settings)

    @work(thread=True, group="sign", exit_on_error=False)
    def _sign(self, repos, note_id: str, settings: Settings) -> None:
        try:
            signed = repos.notes.sign(note_id, settings)
        except SigningRefused as refused:
            self.post_message(self._Refused(refused.findings))
        except Exception as error:  # noqa: BLE001 - one line, never a traceback
            self.post_message(self._Failed(f"Not signed: {error}."))
        else:
            self.app.call_from_thread(self.dismiss, signed)

    @on(_Refused)
    def _on_refused(self, event: _Refused) -> None:
        self._signing = False
        self._blockers = event.findings
        self._show_verdict()

    @on(_Failed)
    def _on_failed(self, event: _Failed) -> None:
        self._signing = False
        self.query_one("#sign-verdict", Static).update(event.message)

    def action_cancel(self) -> None:
        if not self._signing:
            self.dismiss(None)

    @on(Button.Pressed, "#sign-confirm")
    def _on_confirm(self) -> None:
        self.action_confirm()

    @on(Button.Pressed, "#sign-cancel")
    def _on_cancel(self) -> None:
        self.action_cancel()

    @on(FindingsList.Chosen)
    def _on_blocker_chosen(self, event: FindingsList.Chosen) -> None:
        event.stop()
        self.action_cancel()
