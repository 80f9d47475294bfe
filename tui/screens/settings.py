"""Settings: clinician, default format, Ollama host and model, remote drafting, auto-lock, theme.

Remote drafting has two switches: the first allows another machine over
https://; the second, named for what it does, also allows plain http:// to it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Header, Input, Label, Select, Static

from core.notes.model import NoteFormat, Settings
from tui.config import THEMES
from tui.errors import describe_error

if TYPE_CHECKING:
    from tui.app import ClinoteApp

FORMAT_CHOICES = [(fmt.value.upper(), fmt.value) for fmt in NoteFormat]
THEME_CHOICES = [("Dark", "dark"), ("Light", "light")]
KEEP_TYPED_MODEL = "__typed__"


def remote_label(allowed: bool) -> str:
    """The checkbox's own words for its state: its X looks much the same on and off."""
    if allowed:
        return "ON: notes may leave this machine for the host above"
    return "off: drafting stays on this machine"


def unencrypted_label(allowed: bool) -> str:
    if allowed:
        return "ON: notes may cross the network unencrypted (http://)"
    return "off: a remote host must use https://"


class SettingsScreen(Screen[None]):
    """Clinician settings live in the vault; the theme in the config file."""

    app: ClinoteApp  # typed, so self.app.repos, .config, .vault_path... type-check

    BINDINGS = [
        Binding("escape", "close", "Back", id="settings.back"),
        Binding("ctrl+s", "save", "Save", id="settings.save"),
        Binding("ctrl+r", "list_models", "List models", id="settings.list_models"),
    ]

    @dataclass
    class ModelsListed(Message):
        names: list[str]

    @dataclass
    class ModelsUnavailable(Message):
        reason: str

    @dataclass
    class Saved(Message):
        settings: Any

    @property
    def _settings(self) -> Settings:
        """The clinician settings being edited; Settings opens only while unlocked."""
        return self.app.settings  # type: ignore[return-value]  # set whenever unlocked

    def compose(self) -> ComposeResult:
        settings = self._settings
        yield Header()
        with VerticalScroll(id="settings-form"):
            with Horizontal(classes="settings-row"):
                yield Label("Clinician name")
                yield Input(settings.clinician_name, id="clinician-name", compact=True)
            with Horizontal(classes="settings-row"):
                yield Label("Credentials")
                yield Input(
                    settings.credentials, placeholder="e.g. LCSW", id="credentials", compact=True
                )
            with Horizontal(classes="settings-row"):
                yield Label("Default note format")
                yield Select(
                    FORMAT_CHOICES,
                    value=settings.default_format.value,
                    allow_blank=False,
                    id="default-format",
                    compact=True,
                )
            with Horizontal(classes="settings-row"):
                yield Label("Ollama host")
                yield Input(
                    settings.ollama_host,
                    placeholder="empty: OLLAMA_HOST, else http://127.0.0.1:11434",
                    id="ollama-host",
                    compact=True,
                )
            with Horizontal(classes="settings-row"):
                yield Label("Model")
                yield Input(
                    settings.model, placeholder="empty: the default", id="model", compact=True
                )
                yield Select[str](
                    [], prompt="Installed (ctrl+r)", id="installed-models", compact=True
                )
            yield Static("", id="models-status", classes="muted")
            with Horizontal(classes="settings-row"):
                yield Label("Remote drafting")
                yield Checkbox(
                    remote_label(settings.allow_remote),
                    settings.allow_remote,
                    id="allow-remote",
                    compact=True,
                )
            with Horizontal(classes="settings-row"):
                yield Label("Unencrypted remote")
                yield Checkbox(
                    unencrypted_label(settings.allow_unencrypted_remote),
                    settings.allow_unencrypted_remote,
                    id="allow-unencrypted-remote",
                    compact=True,
                )
            with Horizontal(classes="settings-row"):
                yield Label("Practice CA file")
                yield Input(
                    settings.ca_file,
                    placeholder="empty: system authorities, or SSL_CERT_FILE",
                    id="ca-file",
                    compact=True,
                )
            with Horizontal(classes="settings-row"):
                yield Label("Keep model warm (min)")
                yield Input(
                    str(settings.keep_warm_minutes),
                    placeholder="0: no preload",
                    type="integer",
                    id="keep-warm",
                    compact=True,
                )
            with Horizontal(classes="settings-row"):
                yield Label("Auto-lock minutes")
                yield Input(
                    str(settings.autolock_minutes),
                    placeholder="0: never",
                    type="integer",
                    id="autolock",
                    compact=True,
                )
            with Horizontal(classes="settings-row"):
                yield Label("Theme")
                yield Select(
                    THEME_CHOICES,
                    value=self.app.config.theme,
                    allow_blank=False,
                    id="theme",
                    compact=True,
                )
            yield Static("", id="settings-message", classes="error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary", compact=True)
                yield Button("Back", id="back", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Settings"
        self.query_one("#clinician-name", Input).focus()
        self._saved_form = self._form_values()
        self.action_list_models()

    def _form_values(self) -> tuple[object, ...]:
        """What the form shows now, to tell whether leaving would drop an edit."""
        fields: tuple[str, ...] = ("#clinician-name", "#credentials", "#default-format")
        fields += ("#ollama-host", "#model", "#allow-remote", "#allow-unencrypted-remote")
        fields += ("#ca-file", "#keep-warm", "#autolock", "#theme")
        # Each field is an Input, a Select or a Checkbox: all have a value.
        return tuple(self.query_one(field).value for field in fields)  # type: ignore[attr-defined]

    # --- installed models ------------------------------------------------------

    def action_list_models(self) -> None:
        self.query_one("#models-status", Static).update("Asking Ollama for installed models…")
        self.list_models(self._settings_from_form(quiet=True))

    @work(thread=True, exclusive=True, group="settings-models", exit_on_error=False)
    def list_models(self, settings: Any) -> None:
        try:
            from core.drafting.connection import OllamaConnection

            with OllamaConnection.from_settings(settings) as connection:
                names = [model.name for model in connection.list_models()]
        except Exception as error:  # noqa: BLE001 - shown as one line
            self.post_message(self.ModelsUnavailable(describe_error(error)))
            return
        self.post_message(self.ModelsListed(names))

    @on(ModelsListed)
    def models_listed(self, message: ModelsListed) -> None:
        select = self.query_one("#installed-models", Select)
        select.set_options([(name, name) for name in message.names])
        count = len(message.names)
        self.query_one("#models-status", Static).update(
            f"{count} model{'s' if count != 1 else ''} installed: {', '.join(message.names)}"
            if count
            else "Ollama answered but has no models: run `ollama pull gemma3:4b`."
        )

    @on(ModelsUnavailable)
    def models_unavailable(self, message: ModelsUnavailable) -> None:
        self.query_one("#models-status", Static).update(message.reason)

    @on(Checkbox.Changed, "#allow-remote")
    def remote_toggled(self, event: Checkbox.Changed) -> None:
        event.checkbox.label = remote_label(event.value)

    @on(Checkbox.Changed, "#allow-unencrypted-remote")
    def unencrypted_toggled(self, event: Checkbox.Changed) -> None:
        event.checkbox.label = unencrypted_label(event.value)

    @on(Select.Changed, "#installed-models")
    def model_picked(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.query_one("#model", Input).value = event.value

    # --- saving ------------------------------------------------------------------

    def _settings_from_form(self, quiet: bool = False) -> Any | None:
        minutes_text = self.query_one("#autolock", Input).value.strip() or "0"
        try:
            minutes = int(minutes_text)
        except ValueError:
            minutes = -1
        if not 0 <= minutes <= 24 * 60:
            if quiet:
                return self._settings
            self._problem("Auto-lock minutes must be a whole number from 0 to 1440.", "#autolock")
            return None
        warm_text = self.query_one("#keep-warm", Input).value.strip() or "0"
        warm = int(warm_text) if warm_text.isdigit() else -1
        if not 0 <= warm <= 24 * 60:
            if quiet:
                return self._settings
            self._problem(
                "Keep model warm must be a whole number of minutes from 0 to 1440.", "#keep-warm"
            )
            return None
        return replace(
            self._settings,
            clinician_name=self.query_one("#clinician-name", Input).value.strip(),
            credentials=self.query_one("#credentials", Input).value.strip(),
            # allow_blank=False: the Select always holds a format.
            default_format=NoteFormat(self.query_one("#default-format", Select).value),  # type: ignore[arg-type]
            ollama_host=self.query_one("#ollama-host", Input).value.strip(),
            model=self.query_one("#model", Input).value.strip(),
            allow_remote=self.query_one("#allow-remote", Checkbox).value,
            allow_unencrypted_remote=self.query_one("#allow-unencrypted-remote", Checkbox).value,
            ca_file=self.query_one("#ca-file", Input).value.strip(),
            keep_warm_minutes=warm,
            autolock_minutes=minutes,
        )

    def _problem(self, text: str, field_id: str) -> None:
        self.query_one("#settings-message", Static).update(text)
        self.query_one(field_id).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        settings = self._settings_from_form()
        if settings is None:
            return
        if settings.ollama_host:
            from core.drafting.connection import DraftingUnavailable, parse_host

            try:
                parse_host(settings.ollama_host)
            except DraftingUnavailable as error:
                self._problem(str(error), "#ollama-host")
                return
        if settings.ca_file:
            from core.drafting.connection import DraftingUnavailable, tls_context

            try:
                tls_context(settings.ca_file)  # a file that cannot be used is refused now
            except DraftingUnavailable as error:
                self._problem(str(error), "#ca-file")
                return
        self.query_one("#settings-message", Static).update("")
        self._apply_theme(str(self.query_one("#theme", Select).value))
        self.save_settings(settings)

    def _apply_theme(self, theme: str) -> None:
        self.app.theme = THEMES[theme]  # the app's watch_theme saves it to the config file

    @work(thread=True, exclusive=True, group="vault-write", exit_on_error=False)
    def save_settings(self, settings: Any) -> None:
        self.app.repos.settings.save(settings)
        self.post_message(self.Saved(settings))

    @on(Saved)
    def saved(self, message: Saved) -> None:
        self.app.settings_changed(message.settings)
        self._saved_form = self._form_values()
        self.notify("Settings saved.")

    @on(Button.Pressed, "#back")
    def action_close(self) -> None:
        from tui.screens.confirm import leave_unless_edited

        leave_unless_edited(self, self._form_values() != self._saved_form, self.app.pop_screen)
