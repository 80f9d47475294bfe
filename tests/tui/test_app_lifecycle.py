"""Auto-lock, lock, hangup and quit: drafts are saved and the vault is closed every time."""

from __future__ import annotations

import os
import signal

import pytest
from textual.widgets import TextArea

from storage import Vault
from tests.support.pilot import wait_until
from tests.tui.conftest import CHEAP_LIMITS, TEST_PASSPHRASE, screen_text, unlock, unlock_to_any
from tui.errors import VaultLocked, describe_error
from tui.screens.caseload import CaseloadScreen
from tui.screens.client import ClientScreen
from tui.screens.unlock import UnlockScreen

TYPED = "Client described a fictional week of steady sleep and one argument at work."


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def start_a_note(pilot, code: str = "DF-1004") -> None:
    from tui.screens.note_editor import NoteEditorScreen

    app = pilot.app
    await pilot.press("slash", *code, "enter", "enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ClientScreen))
    await pilot.press("n")
    await wait_until(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
    await wait_until(pilot, lambda: app.screen.ready)  # the whole form is there
    app.screen.query_one("#f-presenting-concerns", TextArea).text = TYPED
    await pilot.pause()


def drafts_with_typed_text(repos, code: str) -> list:
    client = repos.clients.find_by_code(code)
    return [
        note
        for note in repos.notes.list_for_client(client.id)
        if note.status.value == "draft" and note.details.presenting_concerns == TYPED
    ]


async def test_idle_time_locks_saving_the_open_draft(make_app, caseload_vault):
    clock = FakeClock()
    app = make_app(caseload_vault, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await start_a_note(pilot)
        clock.now += 9 * 60
        app.check_autolock()
        await pilot.pause()
        assert app.unlocked  # 9 of the default 10 minutes: still open

        clock.now += 2 * 60
        app.check_autolock()
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        assert "Locked after 10 idle minutes; open drafts were saved." in screen_text(app)
        assert app.vault is None and not app.unlocked
        # Anything still asking for the vault gets one line saying what to do, not a crash.
        with pytest.raises(VaultLocked) as locked:
            app.repos.clients.list()
        assert describe_error(locked.value) == "the vault is locked; unlock it and try again"
        assert len(app.screen_stack) == 2  # nothing of the client or the note is left behind

        await unlock_to_any(pilot)  # back in the note (tests/tui/test_app_resume.py)
        assert len(drafts_with_typed_text(app.repos, "DF-1004")) == 1


async def test_keys_count_as_activity(make_app, caseload_vault):
    clock = FakeClock()
    app = make_app(caseload_vault, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        clock.now += 9 * 60
        await pilot.press("down")
        clock.now += 9 * 60
        app.check_autolock()
        await pilot.pause()
        assert isinstance(app.screen, CaseloadScreen)


async def test_lock_key_locks_at_once(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await start_a_note(pilot, "EM-1005")
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        # The lock file is released: another session could open the vault now.
        with Vault.open(caseload_vault, TEST_PASSPHRASE, kdf_limits=CHEAP_LIMITS) as vault:
            from storage.records.repositories import Repositories

            assert len(drafts_with_typed_text(Repositories.from_vault(vault), "EM-1005")) == 1


async def test_hangup_saves_the_draft_closes_the_vault_and_exits(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await start_a_note(pilot)
        if signal.getsignal(signal.SIGHUP) in (signal.SIG_DFL, signal.SIG_IGN, None):
            pytest.fail("the app did not install its SIGHUP handler")
        os.kill(os.getpid(), signal.SIGHUP)
        await wait_until(pilot, lambda: app.return_code is not None)
    assert app.return_code == 129
    assert signal.getsignal(signal.SIGHUP) == signal.SIG_DFL  # handler removed with the app
    with Vault.open(caseload_vault, TEST_PASSPHRASE, kdf_limits=CHEAP_LIMITS) as vault:
        from storage.records.repositories import Repositories

        assert len(drafts_with_typed_text(Repositories.from_vault(vault), "DF-1004")) == 1


async def test_quit_saves_the_draft_and_releases_the_vault(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await start_a_note(pilot, "CY-1003")
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: app.return_code is not None)
    assert app.return_code == 0
    with Vault.open(caseload_vault, TEST_PASSPHRASE, kdf_limits=CHEAP_LIMITS) as vault:
        from storage.records.repositories import Repositories

        assert len(drafts_with_typed_text(Repositories.from_vault(vault), "CY-1003")) == 1


async def test_an_unexpected_error_ends_with_one_line_and_no_note_text(
    make_app, caseload_vault, monkeypatch, capfd
):
    def broken(self):
        raise RuntimeError("Dmitri Farrow said something private")  # fictional

    monkeypatch.setattr(CaseloadScreen, "action_cycle_filter", broken)
    app = make_app(caseload_vault)
    with pytest.raises(RuntimeError):  # run_test hands the error back to the test
        async with app.run_test(size=(80, 24)) as pilot:
            await unlock(pilot)
            await pilot.press("f")
            await wait_until(pilot, lambda: app.return_code is not None)
    shown = capfd.readouterr().err.strip()
    assert shown.startswith("clinote: unexpected RuntimeError; open drafts were saved")
    # Whole, not cropped at the terminal's 80 columns: the last words say what to do.
    assert shown.endswith("(no note text is included in this message).")
    assert "\n" not in shown
    assert "Dmitri" not in shown and "Traceback" not in shown
    assert app.vault is None
    with Vault.open(caseload_vault, TEST_PASSPHRASE, kdf_limits=CHEAP_LIMITS):
        pass  # the session lock was released
