"""Unlocking returns to the note and field that were open, after ctrl+l and after auto-lock."""

from __future__ import annotations

from textual.widgets import TextArea

from tests.tui.conftest import unlock, unlock_to_any, wait_until
from tests.tui.test_app_lifecycle import TYPED, FakeClock, start_a_note
from tui.screens.client import ClientScreen
from tui.screens.note_editor import NoteEditorScreen
from tui.screens.unlock import UnlockScreen

CURSOR = (0, 17)  # inside the typed sentence, not at its end


async def type_and_place_cursor(pilot) -> None:
    await start_a_note(pilot)
    field = pilot.app.screen.query_one("#f-presenting-concerns", TextArea)
    field.focus()
    field.move_cursor(CURSOR)
    await pilot.pause()


async def assert_back_where_it_was(pilot) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
    screen = app.screen
    await wait_until(pilot, lambda: getattr(screen.focused, "id", None) == "f-presenting-concerns")
    assert screen.client.code == "DF-1004"
    field = screen.query_one("#f-presenting-concerns", TextArea)
    assert field.text == TYPED
    assert field.cursor_location == CURSOR
    # Esc still leads back through the client to the caseload.
    await pilot.press("escape")
    await wait_until(pilot, lambda: isinstance(app.screen, ClientScreen))


async def test_unlock_after_ctrl_l_returns_to_the_note_field_and_cursor(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await type_and_place_cursor(pilot)
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        await unlock_to_any(pilot)
        await assert_back_where_it_was(pilot)


async def test_unlock_after_auto_lock_returns_to_the_note_field_and_cursor(
    make_app, caseload_vault
):
    clock = FakeClock()
    app = make_app(caseload_vault, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await type_and_place_cursor(pilot)
        clock.now += 11 * 60
        app.check_autolock()
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        assert len(app.screen_stack) == 2  # nothing of the note is on screen while locked
        await unlock_to_any(pilot)
        await assert_back_where_it_was(pilot)
