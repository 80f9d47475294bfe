"""The clinote terminal app: unlock, caseload, clients, settings, auto-lock and hangup."""

from __future__ import annotations

import asyncio
import signal
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from rich.segment import Segment, Segments
from textual import constants as textual_constants
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from core.text_safety import strip_control
from tui.config import THEMES, Config
from tui.errors import VaultLocked, describe_error
from tui.palette import ClientCommands
from tui.styles import STYLESHEETS

if TYPE_CHECKING:
    from core.notes.model import Settings
    from storage.records.form_drafts import FormDraftRepository
    from storage.records.repositories import Repositories
    from tui.resume import ResumePoint

HANGUP_EXIT_CODE = 129  # 128 + SIGHUP, as a shell reports it
IDLE_CHECK_SECONDS = 5.0


class ThrowawayVault(Protocol):
    """A vault built on first unlock and deleted when the app ends (cli.demo.DemoVault)."""

    passphrase: str
    built: bool

    def build(self, kdf: Any = None, kdf_limits: Any = None) -> None: ...

    def remove(self) -> None: ...


class ClinoteApp(App[int]):
    """Keeps `vault` and `repos` while unlocked; everything else lives in screens."""

    CSS_PATH = STYLESHEETS
    TITLE = "clinote"
    COMMANDS = App.COMMANDS | {ClientCommands}
    BINDINGS = [
        # Quit is on the unlock screen, in help and the palette; Settings in help and the
        # palette: the footer is kept for the rest, so every key in it fits 80 columns.
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True, show=False),
        Binding("f1", "help", "Help", id="app.help"),
        Binding("f2", "settings", "Settings", id="app.settings", show=False),
        # Priority: a modal dialog (the psychotherapy note, signing, an addendum) stops the
        # app's other keys, and locking must work from there too.
        Binding("ctrl+l", "lock", "Lock", id="app.lock", priority=True),
    ]

    def __init__(
        self,
        vault_path: Path,
        *,
        demo: ThrowawayVault | None = None,
        config: Config | None = None,
        kdf: Any = None,
        kdf_limits: Any = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        # TEXTUAL_LOG would append every key event (the note as typed) to a plain file,
        # and TEXTUAL=devtools would stream them to a console: client text goes to neither.
        # Final in Textual; clearing it here is deliberate, before anything is logged.
        textual_constants.LOG_FILE = None  # type: ignore[misc]
        self.devtools = None
        self._devtools_redirector = None
        self.vault_path = Path(vault_path)
        self.demo = demo
        self.config = config if config is not None else Config()
        # Test seams only (the command line never sets them): cheap KDF cost for a
        # new vault and the reader bounds that accept it. None: the vault's defaults.
        self.kdf = kdf
        self.kdf_limits = kdf_limits
        self.vault_lock = threading.RLock()  # held by every repository call
        self.clock = clock
        self.vault: Any = None
        # Behind `serialized`: every call holds `vault_lock`. None while locked.
        self._repos: Repositories | None = None
        self.settings: Settings | None = None
        self.last_activity = clock()
        self._locking = False
        self._resume: ResumePoint | None = None  # where to return after the next unlock
        # What forms that save no record until their end hold so far (summary, group
        # session): storage.records.form_drafts, behind `vault_lock`. None while locked.
        self.form_drafts: FormDraftRepository | None = None
        if self.demo is not None:
            self.sub_title = "DEMO, deleted on exit"  # short: the header is cut at 80 columns

    # --- start, stop -------------------------------------------------------

    def on_mount(self) -> None:
        self.theme = self.config.textual_theme
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        try:
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.handle_hangup)
        except (NotImplementedError, RuntimeError, ValueError):
            pass  # no SIGHUP here (another platform, or not the main thread)
        self.set_interval(IDLE_CHECK_SECONDS, self.check_autolock)
        self.push_screen(self._locked_screen())

    def on_unmount(self) -> None:
        try:
            asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
        except (NotImplementedError, RuntimeError, ValueError):
            pass
        self.save_drafts_and_close()

    def _locked_screen(self) -> Screen:
        from tui.screens.unlock import UnlockScreen

        if self.demo is None and not self.vault_path.exists():
            from tui.screens.create_vault import CreateVaultScreen

            return CreateVaultScreen()
        return UnlockScreen()

    @property
    def seen_vaults_folder(self) -> Path | None:
        """Where rollback records live: beside the config file; none for the throwaway demo."""
        if self.demo is not None:
            return None
        from tui.config import default_config_path

        return (self.config.path or default_config_path()).parent / "seen-vaults"

    @property
    def unlocked(self) -> bool:
        """Whether the vault is open; ask this before `repos` where a lock may have come first."""
        return self._repos is not None

    @property
    def repos(self) -> Repositories:
        """The open vault's repositories (each call holds `vault_lock`); VaultLocked if locked."""
        repos = self._repos
        if repos is None:
            raise VaultLocked()
        return repos

    def vault_unlocked(self, vault: Any, notice: str = "") -> None:
        """Called on the main thread once a worker has opened or created the vault;
        `notice` is shown on the caseload."""
        from storage.records.repositories import Repositories
        from tui.serialized import serialized

        self.vault = vault
        self._repos = repos = serialized(Repositories.from_vault(vault), self.vault_lock)
        self.settings = repos.settings.load()
        self.last_activity = self.clock()
        self._open_form_drafts(vault)
        for warning in getattr(vault, "warnings", ()):
            # A rollback (an older copy put in place) or a dropped unfinished save.
            rolled_back = warning.startswith("WARNING")
            self.notify(
                warning.removeprefix("WARNING: "),
                title="Older vault than last time" if rolled_back else "Vault",
                severity="error" if rolled_back else "warning",
                timeout=30 if rolled_back else 15,
            )
        failed = getattr(vault, "failed_unlocks_before_this_one", 0)
        if failed:
            plural = "attempt" if failed == 1 else "attempts"
            self.notify(
                f"{failed} failed unlock {plural} since the last unlock; if that was not "
                "you, quit and run `clinote rekey --rotate-key` (new passphrase and data key).",
                title="Failed unlock attempts",
                severity="warning",
                timeout=15,
            )
        if not (self.settings.clinician_name.strip() and self.settings.credentials.strip()):
            # A vault made by `clinote init` has no clinician yet; signing would be refused.
            self.notify(
                "Enter your name and credentials in Settings (f2): every signed note needs them.",
                title="Who signs the notes?",
                severity="warning",
                timeout=15,
            )
        from tui.screens.caseload import CaseloadScreen

        self.switch_screen(CaseloadScreen(notice))
        resume, self._resume = self._resume, None
        if resume is not None:
            self._return_to(resume)

    def _return_to(self, point: ResumePoint) -> None:
        """Reopen the screens that were open at the lock, focus and cursor as they were."""
        from tui.screens.client import ClientScreen
        from tui.screens.note_editor import NoteEditorScreen

        if point.screen == "group":
            from tui.screens.group_session import GroupSessionScreen

            self.push_screen(GroupSessionScreen(resume=point))
            return
        client = self.repos.clients.get(point.client_id)
        if client is None:
            return
        self.push_screen(ClientScreen(point.client_id))
        if point.screen == "summary":
            from tui.screens.treatment_summary import TreatmentSummaryScreen

            self.push_screen(TreatmentSummaryScreen(point.client_id, resume=point))
            return
        note = self.repos.notes.get(point.note_id) if point.note_id else None
        if note is None and not point.new_note:
            return
        editor = NoteEditorScreen(client, note, resume=point)
        self.push_screen(editor)
        if point.screen == "addendum" and note is not None:
            # Through the editor, so a signed addendum shows below the note as usual.
            self.call_after_refresh(editor.action_addendum)
        if point.screen == "psychotherapy_note" and note is not None:
            from tui.screens.psychotherapy_note import PsychotherapyNoteScreen

            process_note = PsychotherapyNoteScreen(lambda: self.repos, note.id, client.id)
            process_note.resume_cursor = point.form_cursor
            self.push_screen(process_note)

    def _open_form_drafts(self, vault: Any) -> None:
        from storage.records.form_drafts import FormDraftRepository
        from tui.serialized import serialized

        self.form_drafts = serialized(FormDraftRepository(vault.db), self.vault_lock)

    def settings_changed(self, settings: Settings) -> None:
        self.settings = settings

    def save_drafts_and_close(self) -> None:
        """Save every open draft, then close the vault: safe to call more than once."""
        self._save_open_drafts()
        self.form_drafts = None  # saved above; a write in flight holds its own reference
        with self.vault_lock:  # a write in flight finishes before the key is dropped
            vault, self.vault, self._repos, self.settings = self.vault, None, None, None
        if vault is not None:
            try:
                vault.close()
            except Exception as error:  # noqa: BLE001
                self.log.error(f"vault close failed: {type(error).__name__}")

    def _save_open_drafts(self) -> None:
        for screen in list(self.screen_stack):
            save = getattr(screen, "save_draft_now", None)
            if save is None:
                continue
            try:
                save()
            except Exception as error:  # noqa: BLE001 - never stop a lock or hangup halfway
                self.log.error(f"draft not saved: {type(error).__name__}")

    def handle_hangup(self) -> None:
        """SIGHUP (terminal closed, SSH dropped): save drafts, close the vault, exit."""
        self.save_drafts_and_close()
        if self.demo is not None:
            self.demo.remove()
        self.exit(return_code=HANGUP_EXIT_CODE)

    def _fatal_error(self) -> None:
        # Textual's own handler prints a traceback with local variables: it could
        # show note text. Save what can be saved and print one line instead.
        self.bell()
        self.save_drafts_and_close()
        kind = type(self._exception).__name__ if self._exception else "error"
        message = (
            f"clinote: unexpected {kind}; open drafts were saved and the vault "
            "closed. Please report this (no note text is included in this message)."
        )
        # Pre-cut segments: printed as one line, never re-wrapped at the terminal width;
        # a console as wide as the line does not crop it either (the terminal wraps it).
        self.error_console.width = max(self.error_console.width, len(message) + 1)
        self._exit_renderables.append(Segments([Segment(message), Segment.line()]))
        self._close_messages_no_wait()

    # --- idle and lock -----------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(
            event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp)
        ):
            self.last_activity = self.clock()
        if isinstance(event, events.Paste):
            # Every field, one place: a paste can carry terminal escapes or bidi controls,
            # which a text box would draw raw (fields strip again when read).
            event.text = strip_control(event.text)
        await super().on_event(event)

    def idle_limit_seconds(self) -> float | None:
        if self.settings is None or self.settings.autolock_minutes <= 0:
            return None
        return self.settings.autolock_minutes * 60.0

    def check_autolock(self) -> None:
        limit = self.idle_limit_seconds()
        if self.unlocked and limit is not None and self.clock() - self.last_activity >= limit:
            minutes = round(limit / 60)
            reason = f"Locked after {minutes} idle minute{'s' if minutes != 1 else ''}"
            self.run_worker(self.lock(reason=f"{reason}; open drafts were saved."), group="lock")

    async def lock(self, reason: str = "Locked") -> None:
        """Save drafts, drop the decrypted data and key, show the unlock screen."""
        if self._locking or not self.unlocked:
            return
        self._locking = True
        try:
            self._save_open_drafts()  # before their screens are popped
            from tui.resume import resume_point

            self._resume = resume_point(self.screen_stack)
            while len(self.screen_stack) > 2:
                await self.pop_screen()
            pending = [
                worker for worker in self.workers if worker.group != "lock" and worker.is_running
            ]
            if pending:
                # A write in flight must finish before the key is dropped.
                try:
                    await asyncio.wait_for(
                        asyncio.gather(*(w.wait() for w in pending), return_exceptions=True),
                        timeout=5,
                    )
                except TimeoutError:
                    pass
            self.save_drafts_and_close()
            from tui.screens.unlock import UnlockScreen

            await self.switch_screen(UnlockScreen(notice=reason))
        finally:
            self._locking = False

    async def action_quit(self) -> None:
        self.save_drafts_and_close()
        self.exit()

    async def action_lock(self) -> None:
        await self.lock()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Locked: nothing to lock and no settings to change, so their keys leave the footer.
        if action in ("lock", "settings") and not self.unlocked:
            return False
        return True

    # --- navigation --------------------------------------------------------

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_settings(self) -> None:
        if not self.unlocked:
            self.notify("Unlock the vault first to change settings.", severity="warning")
            return
        from tui.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen())

    def open_client(self, client_id: str) -> None:
        """Show one client's screen on top of the caseload."""
        if not self.unlocked:
            return
        from tui.screens.caseload import CaseloadScreen
        from tui.screens.client import ClientScreen

        # A jump lands right above the caseload: Esc goes back there, not to a note
        # left open underneath. Open drafts are saved before their screens go.
        while len(self.screen_stack) > 2 and not isinstance(self.screen, CaseloadScreen):
            save = getattr(self.screen, "save_draft_now", None)
            if save is not None:
                try:
                    save()
                except Exception as error:  # noqa: BLE001 - stay on the note: nothing is lost
                    self.notify(describe_error(error), severity="error", timeout=10)
                    return
            self.pop_screen()
        self.push_screen(ClientScreen(client_id))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Help", "Every key and how clinote works (F1)", self.action_help)
        yield SystemCommand(
            "Quit", "Save drafts, close the vault and quit (ctrl+q)", self.action_quit
        )
        yield SystemCommand(
            "Theme: dark or light", "Switch between the dark and light theme", self.toggle_theme
        )
        if self.unlocked:
            yield SystemCommand(
                "Settings", "Clinician, note format, model, auto-lock (F2)", self.action_settings
            )
            yield SystemCommand(
                "Lock", "Save drafts and lock the vault now (ctrl+l)", self.action_lock
            )
        yield from getattr(screen, "screen_commands", lambda: ())()

    def toggle_theme(self) -> None:
        self.theme = THEMES["light" if self.config.theme == "dark" else "dark"]

    def watch_theme(self, theme_name: str) -> None:
        """Every theme change (palette, Settings) is saved here, once, to the config file."""
        from tui.config import save_config

        chosen = next((name for name, textual in THEMES.items() if textual == theme_name), None)
        if chosen is None or chosen == self.config.theme:
            return  # not one of clinote's two themes, or already what the file says
        self.config.theme = chosen
        try:
            save_config(self.config)
        except OSError as error:
            self.notify(
                f"Theme applied but not saved to the config file ({error.strerror}); "
                "check its folder.",
                severity="warning",
            )

    # --- errors ------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.notify(describe_error(event.worker.error), severity="error", timeout=10)
