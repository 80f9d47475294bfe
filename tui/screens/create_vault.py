"""Create a vault: passphrase twice with the rules shown, clinician name and credentials."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, LoadingIndicator, Static

from storage import PASSPHRASE_RULES
from tui.errors import describe_error

if TYPE_CHECKING:
    from tui.app import ClinoteApp


class CreateVaultScreen(Screen[None]):
    """No vault at the path yet: make one, then continue as if unlocked."""

    app: ClinoteApp  # typed, so self.app.repos, .config, .vault_path... type-check

    AUTO_FOCUS = "#clinician-name"

    @dataclass
    class Created(Message):
        vault: Any

    @dataclass
    class Failed(Message):
        error: BaseException

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="create-box", classes="dialog"):
            yield Static("clinote: create your vault", classes="dialog-title")
            yield Static(f"No vault yet at {self.app.vault_path}", classes="muted")
            with Horizontal(classes="form-row"):
                yield Label("Your name")
                yield Input(placeholder="as on signed notes", id="clinician-name", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("Credentials")
                yield Input(placeholder="e.g. LCSW", id="credentials", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("Passphrase")
                yield Input(password=True, id="new-passphrase", compact=True)
            with Horizontal(classes="form-row"):
                yield Label("Repeat it")
                yield Input(password=True, id="repeat-passphrase", compact=True)
            yield Static(PASSPHRASE_RULES.strip(), id="passphrase-rules", classes="muted")
            yield LoadingIndicator(id="create-spinner")
            yield Static("", id="create-message")
            yield Button("Create vault", id="create", variant="primary", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#create-spinner").display = False

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        if event.input.id == "repeat-passphrase":
            self.create()
        else:
            self.focus_next()

    @on(Button.Pressed, "#create")
    def create(self) -> None:
        from storage import same_passphrase

        name = self.query_one("#clinician-name", Input).value.strip()
        credentials = self.query_one("#credentials", Input).value.strip()
        first = self.query_one("#new-passphrase", Input).value
        second = self.query_one("#repeat-passphrase", Input).value
        if not name or not credentials:
            self._show("Enter your name and credentials: they go on every signed note.")
            return
        if not same_passphrase(first, second):
            self._show("The two passphrases differ; type them again.")
            repeat = self.query_one("#repeat-passphrase", Input)
            repeat.value = ""
            repeat.focus()
            return
        self._busy(True)
        self._show("Creating the vault…", error=False)
        self.create_vault(first, name, credentials)

    @work(thread=True, exclusive=True, group="unlock", exit_on_error=False)
    def create_vault(self, passphrase: str, name: str, credentials: str) -> None:
        try:
            from core.notes.model import Settings
            from storage import Vault, check_new_passphrase
            from storage.records.repositories import Repositories

            check_new_passphrase(passphrase)
            limits = {} if self.app.kdf_limits is None else {"kdf_limits": self.app.kdf_limits}
            vault = Vault.create(
                self.app.vault_path,
                passphrase,
                kdf=self.app.kdf,
                seen_folder=self.app.seen_vaults_folder,
                **limits,
            )
            try:
                Repositories.from_vault(vault).settings.save(
                    Settings(clinician_name=name, credentials=credentials)
                )
            except Exception:
                vault.close()
                raise
        except Exception as error:  # noqa: BLE001 - shown as one line
            self.post_message(self.Failed(error))
            return
        self.post_message(self.Created(vault))

    @on(Created)
    def created(self, message: Created) -> None:
        self.app.vault_unlocked(
            message.vault, "Vault created. Keep the passphrase safe: it cannot be recovered."
        )

    @on(Failed)
    def failed(self, message: Failed) -> None:
        self._busy(False)
        self._show(describe_error(message.error))
        # Disabling the fields took the focus away: give it back where the fix is typed.
        first = self.query_one("#new-passphrase", Input)
        first.value = ""
        self.query_one("#repeat-passphrase", Input).value = ""
        first.focus()

    def _busy(self, busy: bool) -> None:
        self.query_one("#create-spinner").display = busy
        for widget in self.query(Input):
            widget.disabled = busy
        self.query_one("#create", Button).disabled = busy

    def _show(self, text: str, error: bool = True) -> None:
        message = self.query_one("#create-message", Static)
        message.update(text)
        message.set_class(error, "error")
