"""Unlock: the passphrase, a spinner while the key is derived, wrong-passphrase messages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, LoadingIndicator, Static

from tui.errors import describe_error

if TYPE_CHECKING:
    from tui.app import ClinoteApp


class UnlockScreen(Screen[None]):
    """Asks for the passphrase; the KDF runs in a worker so the screen stays alive."""

    app: ClinoteApp  # typed, so self.app.repos, .config, .vault_path... type-check

    AUTO_FOCUS = "#passphrase"

    @dataclass
    class Opened(Message):
        vault: Any

    @dataclass
    class Failed(Message):
        error: BaseException

    def __init__(self, notice: str = "") -> None:
        super().__init__()
        self.notice = notice
        self.failed_attempts = 0

    def compose(self) -> ComposeResult:
        demo = self.app.demo
        with Vertical(id="unlock-box", classes="dialog"):
            yield Static("clinote", id="unlock-title", classes="dialog-title")
            if demo is not None:
                yield Static(
                    "DEMO: fictional clients in a throwaway vault, deleted on exit.\n"
                    f"Demo passphrase: {demo.passphrase}",
                    id="demo-banner",
                )
            yield Static(f"Vault: {self.app.vault_path}", id="vault-path", classes="muted")
            yield Input(placeholder="Passphrase", password=True, id="passphrase", compact=True)
            yield LoadingIndicator(id="unlock-spinner")
            yield Static(self.notice, id="unlock-message")
            yield Static("Enter unlocks · ctrl+q quits", classes="muted")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#unlock-spinner").display = False
        if self.app.demo is not None and not self.app.demo.built:
            self._start(self.app.demo.passphrase, "Preparing the demo vault…")

    @on(Input.Submitted, "#passphrase")
    def unlock(self, event: Input.Submitted) -> None:
        if not event.value:
            self._show("Type the vault passphrase, then press Enter.")
            return
        self._start(event.value, "Unlocking…")

    def _start(self, passphrase: str, message: str) -> None:
        field = self.query_one("#passphrase", Input)
        field.disabled = True
        self.query_one("#unlock-spinner").display = True
        self._show(message)
        self.open_vault(passphrase)

    @work(thread=True, exclusive=True, group="unlock", exit_on_error=False)
    def open_vault(self, passphrase: str) -> None:
        try:
            demo = self.app.demo
            if demo is not None and not demo.built:
                demo.build(kdf=self.app.kdf, kdf_limits=self.app.kdf_limits)
            from storage import Vault

            limits = {} if self.app.kdf_limits is None else {"kdf_limits": self.app.kdf_limits}
            vault = Vault.open(
                self.app.vault_path, passphrase, seen_folder=self.app.seen_vaults_folder, **limits
            )
        except Exception as error:  # noqa: BLE001 - shown as one line, never a traceback
            self.post_message(self.Failed(error))
            return
        self.post_message(self.Opened(vault))

    @on(Opened)
    def opened(self, message: Opened) -> None:
        self.app.vault_unlocked(message.vault)

    @on(Failed)
    def failed(self, message: Failed) -> None:
        self.query_one("#unlock-spinner").display = False
        field = self.query_one("#passphrase", Input)
        field.disabled = False
        field.value = ""
        field.focus()
        if _is_wrong_passphrase(message.error):
            self.failed_attempts += 1
            plural = "attempt" if self.failed_attempts == 1 else "attempts"
            self._show(
                f"Wrong passphrase; try again ({self.failed_attempts} failed {plural}).",
                error=True,
            )
        else:
            self._show(describe_error(message.error), error=True)

    def _show(self, text: str, error: bool = False) -> None:
        message = self.query_one("#unlock-message", Static)
        message.update(text)
        message.set_class(error, "error")


def _is_wrong_passphrase(error: BaseException) -> bool:
    name = type(error).__name__.lower()
    return "passphrase" in name and "weak" not in name
