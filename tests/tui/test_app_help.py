"""Help lists every key; the palette runs every action and jumps to a client; keys remap."""

from __future__ import annotations

import re

from textual.widgets import MarkdownViewer

from tests.support.pilot import wait_until
from tests.tui.conftest import unlock
from tui.app import ClinoteApp
from tui.config import Config
from tui.screens.client import ClientScreen
from tui.screens.help import HelpScreen, screen_bindings
from tui.screens.unlock import UnlockScreen


def help_document(app) -> str:
    return app.screen.query_one("#help-viewer", MarkdownViewer).document.source


async def test_help_lists_every_binding_of_every_screen(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        document = help_document(app)
        titles = [title for title, _ in screen_bindings()]
        assert {"Everywhere", "Caseload", "Client", "Note editor", "Settings"} <= set(titles)
        for _, bindings in screen_bindings():
            for binding in bindings:
                assert f"`{binding.id}`" in document
        assert "| `^l` | Lock | `app.lock` |" in document
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


def test_every_app_binding_has_an_id_and_avoids_keys_terminals_eat():
    forbidden = {"ctrl+j", "ctrl+m", "ctrl+i"}
    for _, bindings in screen_bindings():
        for binding in bindings:
            assert binding.id
            assert not set(binding.key.split(",")) & forbidden, binding.id
    ids = [b.id for _, bindings in screen_bindings() for b in bindings]
    assert len(ids) == len(set(ids)), "binding ids must be unique for the keymap"


async def test_a_remapped_key_works_and_the_help_shows_it(caseload_vault, tmp_path):
    from tests.tui.conftest import CHEAP_KDF, CHEAP_LIMITS

    config = Config(keymap={"app.lock": "ctrl+k"}, path=tmp_path / "config.toml")
    app = ClinoteApp(caseload_vault, config=config, kdf=CHEAP_KDF, kdf_limits=CHEAP_LIMITS)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert re.search(r"\| `\^k` \| Lock \| `app.lock` \|", help_document(app))
        await pilot.press("escape")
        await pilot.press("ctrl+k")
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen))


async def test_palette_jumps_to_a_client_by_code(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"CY-1003")
        await wait_until(
            pilot,
            lambda: (
                "Carmen Yusupova"
                in str(app.screen.query("CommandList").first().get_option_at_index(0).prompt)
            ),
        )
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ClientScreen))
        assert app.screen.client.code == "CY-1003"


async def test_palette_offers_the_app_actions(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("Help", "Quit", "Settings", "Lock", "Add client", "Discharge client"):
            assert title in titles
        await pilot.press("ctrl+p")
        await pilot.press(*"lock")
        await wait_until(
            pilot,
            lambda: str(
                app.screen.query("CommandList").first().get_option_at_index(0).prompt
            ).startswith("Lock"),
        )
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen))


async def test_help_says_what_each_key_does_in_words_and_how_to_move_in_the_form(
    make_app, caseload_vault
):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        document = help_document(app)
        # The footer's one-word labels are not enough on their own in the key list.
        assert "| `g` | Add a treatment-plan goal |" in document
        assert "| `m` | Mark the selected goal met (again: active) |" in document
        assert (
            "| `x` | Discharge the selected client, or make a discharged one active |" in document
        )
        assert "`f2` opens Settings" in document
        assert "Tab" in document and "shift+Tab" in document


async def test_jumping_to_a_client_from_a_note_saves_it_and_esc_goes_to_the_caseload(
    make_app, caseload_vault
):
    from tests.tui.test_app_lifecycle import drafts_with_typed_text, start_a_note
    from tui.screens.caseload import CaseloadScreen

    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await start_a_note(pilot, "DF-1004")
        await pilot.press("ctrl+p")
        await pilot.press(*"CY-1003")
        await wait_until(
            pilot,
            lambda: (
                "Carmen Yusupova"
                in str(app.screen.query("CommandList").first().get_option_at_index(0).prompt)
            ),
        )
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, ClientScreen) and app.screen.client.code == "CY-1003",
        )
        assert len(drafts_with_typed_text(app.repos, "DF-1004")) == 1
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseloadScreen))
