"""Settings: clinician, format, Ollama host and installed models, remote drafting, auto-lock, theme."""

from __future__ import annotations

from textual.widgets import Checkbox, Input, Select

from tests.support.pilot import wait_until
from tests.tui.conftest import screen_text, unlock
from tui.config import load_config
from tui.screens.settings import SettingsScreen


async def open_settings(pilot) -> SettingsScreen:
    await pilot.press("f2")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SettingsScreen))
    return pilot.app.screen


def models_status(screen) -> str:
    return str(screen.query_one("#models-status").content)


async def test_installed_models_are_listed_and_picking_one_fills_the_model(
    make_app, empty_vault, ollama_standin
):
    app = make_app(empty_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        screen = await open_settings(pilot)
        await wait_until(pilot, lambda: "Asking" not in models_status(screen))
        assert models_status(screen) == "1 model installed: gemma3:4b"
        screen.query_one("#installed-models", Select).value = "gemma3:4b"
        await pilot.pause()
        assert screen.query_one("#model", Input).value == "gemma3:4b"


async def test_without_ollama_the_reason_is_one_line(make_app, empty_vault, monkeypatch):
    monkeypatch.setenv("OLLAMA_HOST", "http://127.0.0.1:9")  # nothing listens on the discard port
    app = make_app(empty_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        screen = await open_settings(pilot)
        await wait_until(pilot, lambda: "Asking" not in models_status(screen))
        status = models_status(screen)
        assert "127.0.0.1:9" in status and "\n" not in status
        assert "Traceback" not in screen_text(app)


async def test_saved_settings_are_in_the_vault_and_the_theme_in_the_config(
    make_app, empty_vault, app_config, monkeypatch
):
    monkeypatch.setenv("OLLAMA_HOST", "http://127.0.0.1:9")
    app = make_app(empty_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        screen = await open_settings(pilot)
        screen.query_one("#clinician-name", Input).value = "Robin Example-Smith"
        screen.query_one("#credentials", Input).value = "PsyD"
        screen.query_one("#default-format", Select).value = "soap"
        screen.query_one("#autolock", Input).value = "25"
        screen.query_one("#allow-remote", Checkbox).value = True
        screen.query_one("#theme", Select).value = "light"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await wait_until(pilot, lambda: app.settings.credentials == "PsyD")
        stored = app.repos.settings.load()
        assert (stored.clinician_name, stored.credentials) == ("Robin Example-Smith", "PsyD")
        assert stored.default_format.value == "soap"
        assert stored.autolock_minutes == 25 and stored.allow_remote is True
        assert app.theme == "textual-light"
        assert load_config(app_config.path).theme == "light"


async def test_out_of_range_auto_lock_is_refused_with_what_to_enter(make_app, empty_vault):
    app = make_app(empty_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        screen = await open_settings(pilot)
        screen.query_one("#autolock", Input).value = "99999"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "whole number from 0 to 1440" in screen_text(app)
        assert app.repos.settings.load().autolock_minutes == 10


async def test_a_malformed_ollama_host_is_refused_before_saving(make_app, empty_vault):
    app = make_app(empty_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        screen = await open_settings(pilot)
        screen.query_one("#ollama-host", Input).value = "ftp://127.0.0.1"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "not an http:// or https:// address" in screen_text(app)
        assert app.repos.settings.load().ollama_host == ""


async def test_remote_drafting_says_whether_it_is_on_or_off(make_app, empty_vault):
    app = make_app(empty_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        screen = await open_settings(pilot)
        checkbox = screen.query_one("#allow-remote", Checkbox)

        def x_visible() -> bool:
            # The box's X drawn in a colour of its own, not the box's background.
            style = checkbox.get_component_rich_style("toggle--button")
            return style.color != style.bgcolor

        assert not checkbox.value
        assert str(checkbox.label).startswith("off: drafting stays on this machine")
        assert not x_visible()  # off reads as an empty box, not as checked
        checkbox.focus()
        await pilot.press("space")
        await pilot.pause()
        assert checkbox.value
        assert str(checkbox.label).startswith("ON: notes may leave this machine")
        assert x_visible()


async def test_leaving_with_unsaved_changes_asks_first(make_app, empty_vault, monkeypatch):
    from tui.screens.caseload import CaseloadScreen
    from tui.screens.confirm import ConfirmScreen

    monkeypatch.setenv("OLLAMA_HOST", "http://127.0.0.1:9")
    app = make_app(empty_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        screen = await open_settings(pilot)
        await pilot.press("escape")  # nothing changed: straight back
        await wait_until(pilot, lambda: isinstance(app.screen, CaseloadScreen))

        screen = await open_settings(pilot)
        screen.query_one("#credentials", Input).value = "PsyD"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "not saved" in screen_text(app)  # asked, not dropped
        await pilot.press("escape")  # cancel: still editing, nothing lost
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen))
        assert screen.query_one("#credentials", Input).value == "PsyD"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.click("#confirm")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseloadScreen))
        assert app.repos.settings.load().credentials == "LCSW"


async def test_practice_server_settings_are_saved_and_a_bad_ca_file_is_refused(
    make_app, empty_vault, monkeypatch, tmp_path
):
    monkeypatch.setenv("OLLAMA_HOST", "http://127.0.0.1:9")
    app = make_app(empty_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        screen = await open_settings(pilot)
        unencrypted = screen.query_one("#allow-unencrypted-remote", Checkbox)
        assert str(unencrypted.label).startswith("off: a remote host must use https://")
        missing = tmp_path / "practice-ca.pem"
        screen.query_one("#ca-file", Input).value = str(missing)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert f"the CA file {missing} (the ca_file setting) cannot be used" in screen_text(app)
        assert app.repos.settings.load().ca_file == ""
        screen.query_one("#ca-file", Input).value = ""
        screen.query_one("#keep-warm", Input).value = "45"
        unencrypted.value = True
        await pilot.pause()
        assert str(unencrypted.label).startswith("ON: notes may cross the network unencrypted")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await wait_until(pilot, lambda: app.settings.keep_warm_minutes == 45)
        stored = app.repos.settings.load()
        assert stored.keep_warm_minutes == 45 and stored.allow_unencrypted_remote is True


async def test_the_palettes_theme_switch_is_saved_and_a_save_failure_is_one_warning(
    make_app, empty_vault, app_config
):
    app = make_app(empty_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.screen.query("#passphrase"))
        assert not app_config.path.exists()  # starting the app writes nothing
        app.toggle_theme()
        await pilot.pause()
        assert app.theme == "textual-light"
        assert load_config(app_config.path).theme == "light"

        saved_path = app_config.path
        blocked = saved_path.parent / "a-file"
        blocked.write_text("")
        app.config.path = blocked / "config.toml"  # its folder is a file: the save fails
        app.toggle_theme()
        await pilot.pause()
        assert app.theme == "textual-dark"
        assert load_config(saved_path).theme == "light"
        warnings = [n.message for n in app._notifications if n.severity == "warning"]
        assert any("Theme applied but not saved" in text for text in warnings)
