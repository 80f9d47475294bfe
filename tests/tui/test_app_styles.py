"""Stylesheets load once, from the App: opening the editor does not restyle other screens."""

from __future__ import annotations

from tests.tui.conftest import unlock, wait_until
from tests.tui.test_app_lifecycle import start_a_note
from tui.screens.unlock import UnlockScreen


def unlock_box_look(app) -> tuple[int, str, str]:
    """The unlock box's width on screen and its border's top-left corner and style."""
    box = app.screen.query_one("#unlock-box")
    edge, _colour = box.styles.border.top
    return box.outer_size.width, edge, box.styles.border.left[0]


async def test_the_unlock_box_looks_the_same_after_a_note_was_open(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        await pilot.pause()
        before = unlock_box_look(app)
        await unlock(pilot)
        await start_a_note(pilot)
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        await pilot.pause()
        after = unlock_box_look(app)
    assert before == (72, "round", "round")
    assert after == before
