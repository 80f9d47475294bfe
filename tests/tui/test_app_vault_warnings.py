"""What the app tells the clinician about the vault itself: a rollback, failed unlocks."""

from __future__ import annotations

from textual.widgets import Input

from storage import Vault
from tests.support.pilot import wait_until
from tests.tui.conftest import CHEAP_LIMITS, TEST_PASSPHRASE, unlock
from tui.screens.unlock import UnlockScreen


async def test_an_older_vault_than_last_time_is_a_loud_notification(make_app, caseload_vault):
    app = make_app(caseload_vault)
    older = caseload_vault.read_bytes()
    async with app.run_test(size=(80, 24)) as pilot:  # the first unlock records the state
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        await unlock(pilot)
        assert not any(n.severity == "error" for n in app._notifications)
    caseload_vault.write_bytes(older)  # rolled back while clinote was closed
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        await unlock(pilot)
        (warning,) = [n for n in app._notifications if n.title == "Older vault than last time"]
    assert warning.severity == "error"
    assert "OLDER than the copy this computer last opened" in warning.message
    assert "check them and your backups" in warning.message


async def test_the_record_lives_beside_the_app_config(make_app, caseload_vault, app_config):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
    records = list((app_config.path.parent / "seen-vaults").glob("*.seen"))
    assert len(records) == 1
    with Vault.open(caseload_vault, TEST_PASSPHRASE, kdf_limits=CHEAP_LIMITS) as vault:
        assert vault.warnings == []  # no record asked for: nothing compared


async def test_after_failed_unlocks_the_app_suggests_rotating_the_key(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        field = app.screen.query_one("#passphrase", Input)
        field.value = "not the passphrase at all"
        await pilot.press("enter")
        await wait_until(pilot, lambda: not field.disabled)
        await unlock(pilot)
        (notice,) = [n for n in app._notifications if n.title == "Failed unlock attempts"]
    assert "1 failed unlock attempt since the last unlock" in notice.message
    assert "clinote rekey --rotate-key" in notice.message
