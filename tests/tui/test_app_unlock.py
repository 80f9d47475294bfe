"""Unlock and create: the first screens a clinician meets."""

from __future__ import annotations

from textual.widgets import Input, LoadingIndicator

from tests.support.pilot import wait_until
from tests.tui.conftest import TEST_PASSPHRASE, screen_text, table_rows, unlock
from tui.screens.caseload import CaseloadScreen
from tui.screens.create_vault import CreateVaultScreen
from tui.screens.unlock import UnlockScreen


async def test_right_passphrase_opens_the_caseload(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        assert str(caseload_vault) in screen_text(app)
        await unlock(pilot)
        codes = [row[0] for row in table_rows(app, "#caseload-table")]
        assert codes == ["AL-1001", "BO-1002", "CY-1003", "DF-1004", "EM-1005"]


async def test_wrong_passphrase_says_so_counts_and_the_next_unlock_reports_it(
    make_app, caseload_vault
):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        field = app.screen.query_one("#passphrase", Input)
        for attempt in (1, 2):
            field.value = "not the passphrase at all"
            await pilot.press("enter")
            await wait_until(pilot, lambda: not field.disabled)
            message = str(app.screen.query_one("#unlock-message").content)
            plural = "attempt" if attempt == 1 else "attempts"
            assert f"Wrong passphrase; try again ({attempt} failed {plural})" in message
            assert field.value == ""  # nothing typed lingers on screen
        await unlock(pilot)
        assert any(
            "2 failed unlock attempts since the last unlock" in n.message
            for n in app._notifications
        )


async def test_a_spinner_shows_while_the_key_is_derived(make_app, caseload_vault, monkeypatch):
    import threading

    from storage import Vault

    release = threading.Event()
    real_open = Vault.open

    def slow_open(*args, **kwargs):
        release.wait(timeout=10)  # the KDF, held until the test has looked
        return real_open(*args, **kwargs)

    monkeypatch.setattr(Vault, "open", slow_open)
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        spinner = app.screen.query_one("#unlock-spinner", LoadingIndicator)
        field = app.screen.query_one("#passphrase", Input)
        assert not spinner.display
        field.value = TEST_PASSPHRASE
        await pilot.press("enter")
        await pilot.pause()
        assert spinner.display and field.disabled
        assert "Unlocking" in str(app.screen.query_one("#unlock-message").content)
        await pilot.press("x")  # the interface still answers while the worker runs
        release.set()
        await wait_until(pilot, lambda: isinstance(app.screen, CaseloadScreen))
        await pilot.pause()


async def test_a_vault_open_in_another_session_is_one_line(make_app, caseload_vault):
    from storage import Vault
    from tests.tui.conftest import CHEAP_LIMITS

    holder = Vault.open(caseload_vault, TEST_PASSPHRASE, kdf_limits=CHEAP_LIMITS)
    try:
        app = make_app(caseload_vault)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen))
            app.screen.query_one("#passphrase", Input).value = TEST_PASSPHRASE
            await pilot.press("enter")
            await wait_until(pilot, lambda: not app.screen.query_one("#passphrase").disabled)
            message = str(app.screen.query_one("#unlock-message").content)
            assert "open in another session" in message
            assert "\n" not in message
    finally:
        holder.close()


async def test_no_vault_yet_shows_the_create_screen_and_creates_one(make_app, tmp_path):
    path = tmp_path / "new" / "clinote.vault"
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CreateVaultScreen))
        assert "at least 15 characters" in screen_text(app).lower()
        screen = app.screen
        screen.query_one("#clinician-name", Input).value = "Robin Example"
        screen.query_one("#credentials", Input).value = "LMFT"
        screen.query_one("#new-passphrase", Input).value = "a fictional passphrase for tests"
        screen.query_one("#repeat-passphrase", Input).value = "a fictional passphrase for tests"
        screen.query_one("#repeat-passphrase", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseloadScreen))
        await pilot.pause()
        assert path.exists()
        assert app.settings.clinician_name == "Robin Example"
        assert app.settings.credentials == "LMFT"
        assert "No active clients. Press a to add one." in screen_text(app)
        # Said on the caseload, not in a toast that would cover the Add-client dialog's buttons.
        assert "Vault created. Keep the passphrase safe" in screen_text(app)
        assert not any("Vault created" in str(n.message) for n in app._notifications)


async def test_create_refuses_different_and_weak_passphrases(make_app, tmp_path):
    path = tmp_path / "new" / "clinote.vault"
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CreateVaultScreen))
        screen = app.screen
        screen.query_one("#clinician-name", Input).value = "Robin Example"
        screen.query_one("#credentials", Input).value = "LMFT"
        screen.query_one("#new-passphrase", Input).value = "a fictional passphrase for tests"
        screen.query_one("#repeat-passphrase", Input).value = "a different passphrase entirely"
        screen.query_one("#repeat-passphrase", Input).focus()
        await pilot.press("enter")
        assert "The two passphrases differ" in str(screen.query_one("#create-message").content)

        screen.query_one("#new-passphrase", Input).value = "short"
        screen.query_one("#repeat-passphrase", Input).value = "short"
        await pilot.click("#create")
        await pilot.pause()
        await wait_until(pilot, lambda: not screen.query_one("#create").disabled)
        assert "15" in str(screen.query_one("#create-message").content)
        assert not path.exists()
        assert isinstance(app.screen, CreateVaultScreen)


async def test_after_a_refused_passphrase_typing_goes_into_the_passphrase_field(make_app, tmp_path):
    app = make_app(tmp_path / "new" / "clinote.vault")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CreateVaultScreen))
        screen = app.screen
        screen.query_one("#clinician-name", Input).value = "Robin Example"
        screen.query_one("#credentials", Input).value = "LMFT"
        screen.query_one("#new-passphrase", Input).value = "short"
        screen.query_one("#repeat-passphrase", Input).value = "short"
        screen.query_one("#repeat-passphrase", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: "15" in str(screen.query_one("#create-message").content))
        await pilot.pause()
        await pilot.press(*"longer")
        assert screen.query_one("#new-passphrase", Input).value == "longer"
        assert screen.query_one("#repeat-passphrase", Input).value == ""

        screen.query_one("#new-passphrase", Input).value = "a fictional passphrase for tests"
        screen.query_one("#repeat-passphrase", Input).value = "a different passphrase entirely"
        screen.query_one("#repeat-passphrase", Input).focus()
        await pilot.press("enter")
        await pilot.press(*"again")
        assert screen.query_one("#repeat-passphrase", Input).value == "again"


async def test_a_vault_made_by_clinote_init_asks_for_the_clinician_in_settings(make_app, tmp_path):
    from storage import Vault
    from tests.tui.conftest import CHEAP_KDF, CHEAP_LIMITS

    path = tmp_path / "cli" / "clinote.vault"
    path.parent.mkdir(mode=0o700)
    Vault.create(path, TEST_PASSPHRASE, kdf=CHEAP_KDF, kdf_limits=CHEAP_LIMITS).close()
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        assert any(
            "Settings (f2)" in n.message and "name and credentials" in n.message
            for n in app._notifications
        )


async def test_neither_textual_log_nor_devtools_receives_keystrokes(
    make_app, caseload_vault, tmp_path, monkeypatch
):
    from textual import constants

    log_file = tmp_path / "textual.log"
    # As TEXTUAL_LOG=... in the environment would set it.
    monkeypatch.setattr(constants, "LOG_FILE", str(log_file))
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        await pilot.press("F", "i", "c", "t")
        assert app.screen.query_one("#passphrase", Input).value == "Fict"
    assert not log_file.exists()
    assert app.devtools is None
