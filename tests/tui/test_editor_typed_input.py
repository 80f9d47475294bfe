"""Entries that do not parse yet survive lock, hangup and reopening exactly as typed.

Every person here is invented.
"""

from __future__ import annotations

import os
import signal

from textual.widgets import Input, TextArea

from tests.support.pilot import wait_until
from tests.tui.conftest import unlock, unlock_to_any
from tests.tui.editor_host import EditorHost, editor_ready, findings_lines, rule_ids, stocked_vault
from tui.screens.client import ClientScreen
from tui.screens.note_editor import NoteEditorScreen
from tui.screens.sign import SignScreen
from tui.screens.unlock import UnlockScreen
from tui.widgets.findings_list import FindingsList
from tui.widgets.note_form import UNADDED_DETAIL, field_widget_id

CODE = "DF-1004"
CONCERNS = "Fictional client described two nights of broken sleep."
# A start time typed with a dot, a PHQ-9 total past its maximum of 27, a good end time,
# and an intervention's detail typed but not added (no Enter yet).
TYPED = {
    "session.start": "9.30",
    "session.end": "10:20",
    "measures.phq9": "31",
    "intervention.detail": "for sleep",
}
START_PROBLEM = "Start time: enter it as HH:MM."
PHQ9_PROBLEM = "PHQ-9: total must be 0-27."


def field(screen, field_path: str) -> Input:
    return screen.query_one(f"#{field_widget_id(field_path)}", Input)


def shows_finding(screen, message: str) -> bool:
    return any(line.endswith(message) for line in findings_lines(screen))


async def open_client(pilot) -> None:
    await pilot.press("slash", *CODE, "enter", "enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ClientScreen))


async def editor_open(pilot) -> NoteEditorScreen:
    """The editor on screen with its whole form (the lower part mounts after the first paint)."""
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, NoteEditorScreen))
    screen = pilot.app.screen
    await wait_until(pilot, lambda: screen.ready)
    return screen


async def type_a_note(pilot) -> NoteEditorScreen:
    await open_client(pilot)
    await pilot.press("n")
    screen = await editor_open(pilot)
    screen.query_one(f"#{field_widget_id('presenting_concerns')}", TextArea).text = CONCERNS
    for field_path, text in TYPED.items():
        field(screen, field_path).focus()
        await pilot.press(*text)
    await wait_until(pilot, lambda: shows_finding(screen, PHQ9_PROBLEM))
    return screen


async def reopen_the_draft(pilot) -> NoteEditorScreen:
    await open_client(pilot)
    await pilot.press("o")  # the newest note: today's draft
    screen = await editor_open(pilot)
    await wait_until(pilot, lambda: screen.query(FindingsList) and findings_lines(screen))
    return screen


async def sees_what_was_typed(pilot, screen: NoteEditorScreen) -> None:
    assert screen.query_one(f"#{field_widget_id('presenting_concerns')}").text == CONCERNS
    assert {path: field(screen, path).value for path in TYPED} == TYPED
    assert field(screen, "session.start").has_class("-invalid")
    assert field(screen, "measures.phq9").has_class("-invalid")
    assert not field(screen, "session.end").has_class("-invalid")
    assert shows_finding(screen, START_PROBLEM) and shows_finding(screen, PHQ9_PROBLEM)

    await pilot.press("ctrl+g")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SignScreen))
    dialog = pilot.app.screen
    assert "Cannot sign yet" in str(dialog.query_one("#sign-verdict").render())
    blocking = dialog.query_one(FindingsList).findings
    unread = [(f.field, f.message) for f in blocking if f.rule_id == "FORM-INPUT"]
    assert unread == [
        ("session.start", START_PROBLEM),
        ("measures.phq9", PHQ9_PROBLEM),
        ("intervention.detail", UNADDED_DETAIL),
    ]
    await pilot.press("escape")
    await wait_until(pilot, lambda: pilot.app.screen is screen)


async def test_typed_entries_come_back_after_a_lock(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await type_a_note(pilot)
        await pilot.press("ctrl+l")  # locking saves the draft (save_draft_now)
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        await unlock_to_any(pilot)  # back in the draft, as it was
        screen = await editor_open(pilot)
        await wait_until(pilot, lambda: findings_lines(screen))
        await sees_what_was_typed(pilot, screen)

        # Corrected, the entry is an ordinary time again and no longer kept as typed.
        start = field(screen, "session.start")
        start.value = "09:30"
        await wait_until(pilot, lambda: not shows_finding(screen, START_PROBLEM))
        screen.save_draft_now()
        assert dict(screen.note.form_input) == {
            "measures.phq9": "31",
            "intervention.detail": "for sleep",
        }
        assert screen.note.details.session.start.isoformat() == "09:30:00"


async def test_typed_entries_come_back_in_a_new_app_after_a_hangup(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await type_a_note(pilot)
        os.kill(os.getpid(), signal.SIGHUP)  # the SSH session dropped
        await wait_until(pilot, lambda: app.return_code is not None)

    fresh = make_app(caseload_vault)
    async with fresh.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        screen = await reopen_the_draft(pilot)
        await sees_what_was_typed(pilot, screen)


async def test_an_unentered_time_shows_only_its_form_finding_not_checks_on_the_placeholder():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        await wait_until(pilot, lambda: "FORM-INPUT" in rule_ids(screen))
        shown = "\n".join(findings_lines(screen))
        assert "00:00" not in shown
        assert not {"TIME-INVALID", "HEADER-MISSING"} & rule_ids(screen)

        await pilot.click("#f-session-end")
        await pilot.press(*"14:00")
        await wait_until(pilot, lambda: "End time" not in "\n".join(findings_lines(screen)))
        shown = "\n".join(findings_lines(screen))
        assert "Start time: enter it as HH:MM." in shown
        assert "14:00" not in shown
        assert not {"TIME-INVALID", "HEADER-MISSING"} & rule_ids(screen)
