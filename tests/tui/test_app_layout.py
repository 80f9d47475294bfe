"""At 80x24 nothing important is cut off, in the dark and the light theme."""

from __future__ import annotations

import pytest
from textual.geometry import Region

from tests.support.pilot import wait_until
from tests.tui.conftest import unlock
from tui.screens.client import ClientScreen
from tui.screens.client_form import ClientFormScreen
from tui.screens.create_vault import CreateVaultScreen
from tui.screens.goal_form import GoalFormScreen
from tui.screens.settings import SettingsScreen
from tui.screens.unlock import UnlockScreen

SCREEN = Region(0, 0, 80, 24)


def assert_fully_visible(app, *selectors: str) -> None:
    for selector in selectors:
        widget = app.screen.query_one(selector)
        region = widget.region
        assert region.area > 0, f"{selector} is not shown"
        assert SCREEN.contains_region(region), f"{selector} at {region} is cut off at 80x24"
        # Not hidden in a scrolling container: every ancestor shows the whole widget.
        for ancestor in widget.ancestors:
            if getattr(ancestor, "is_scrollable", False) and ancestor is not app.screen:
                shown = ancestor.scrollable_content_region.intersection(region)
                assert shown == region, f"{selector} needs scrolling in {ancestor} at 80x24"


@pytest.mark.parametrize("theme", ["dark", "light"])
async def test_main_screens_fit_80x24(make_app, caseload_vault, app_config, theme):
    app_config.theme = theme
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        assert_fully_visible(app, "#passphrase", "#unlock-message", "#vault-path")
        await unlock(pilot)
        assert_fully_visible(
            app, "#caseload-search", "#caseload-filter", "#caseload-table", "Footer"
        )

        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ClientFormScreen))
        assert_fully_visible(
            app, "#client-name", "#client-code", "#client-dob", "#client-diagnoses", "#save"
        )
        await pilot.press("escape")

        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ClientScreen))
        assert_fully_visible(app, "#client-summary", "#client-tabs", "#notes-table", "Footer")
        await pilot.press("2")
        assert_fully_visible(app, "#plan-dates", "#goals-table", "#goal-objectives")
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, GoalFormScreen))
        assert_fully_visible(app, "#goal-description", "#goal-objectives", "#goal-target", "#save")
        await pilot.press("escape")
        await pilot.press("3")
        assert_fully_visible(app, "#measure-trends", "#measures-table")

        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen))
        assert_fully_visible(
            app,
            "#clinician-name",
            "#credentials",
            "#default-format",
            "#ollama-host",
            "#model",
            "#allow-remote",
            "#autolock",
            "#theme",
            "#save",
        )


async def test_create_screen_fits_80x24(make_app, tmp_path):
    app = make_app(tmp_path / "new" / "clinote.vault")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CreateVaultScreen))
        assert_fully_visible(
            app,
            "#clinician-name",
            "#credentials",
            "#new-passphrase",
            "#repeat-passphrase",
            "#passphrase-rules",
            "#create",
        )


def footer_problems(app) -> list[str]:
    """Keys the footer cuts off at 80 columns (hidden under the palette key or past the edge)."""
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    footer = app.screen.query_one(Footer)
    keys = list(footer.query(FooterKey))
    palette = [key for key in keys if key.has_class("-command-palette")]
    limit = palette[0].region.x if palette else footer.region.right
    return [
        f"{key.key} {key.description}"
        for key in keys
        if key not in palette and (key.region.right > limit or key.region.area == 0)
    ]


def footer_descriptions(app) -> set[str]:
    from textual.widgets._footer import FooterKey

    return {key.description for key in app.screen.query(FooterKey)}


async def test_every_footer_key_is_whole_at_80_columns(make_app, caseload_vault, tmp_path):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        assert footer_problems(app) == []
        # Nothing to lock and no settings to change before the vault is open.
        assert not {"Lock", "Settings"} & footer_descriptions(app)
        await unlock(pilot)
        assert footer_problems(app) == [], "caseload"
        assert {"Lock", "Help"} <= footer_descriptions(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ClientScreen))
        for tab in "123":
            await pilot.press(tab)
            await pilot.pause()
            assert footer_problems(app) == [], f"client tab {tab}"
            assert "Lock" in footer_descriptions(app)
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, SettingsScreen))
        assert footer_problems(app) == [], "settings"

    app = make_app(tmp_path / "new" / "clinote.vault")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CreateVaultScreen))
        assert footer_problems(app) == []
        assert not {"Lock", "Settings"} & footer_descriptions(app)


async def test_the_client_and_goal_forms_show_their_own_keys(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ClientFormScreen))
        # The dialog's keys, not the caseload's beneath it (a, e, x would type into a field).
        assert {"Save", "Cancel"} <= footer_descriptions(app)
        assert "Discharge" not in footer_descriptions(app)
        assert footer_problems(app) == []
        await pilot.press("escape")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("2", "g")
        await wait_until(pilot, lambda: isinstance(app.screen, GoalFormScreen))
        assert {"Save", "Cancel"} <= footer_descriptions(app)
        assert "Note" not in footer_descriptions(app)
        assert_fully_visible(app, "#goal-description", "#goal-target", "#save", "Footer")
