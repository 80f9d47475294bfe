"""What was typed on the summary, psychotherapy-note and group screens survives a lock.

Each test types as a clinician would, locks with the app's lock key (ctrl+l), unlocks,
and finds the same screen with the same text; while locked none of it is on screen
and it is kept only in the vault (storage.records.form_drafts, psychotherapy notes).
"""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, TextArea

from tests.tui.conftest import unlock, unlock_to_any, wait_until
from tests.tui.test_app_client import open_client
from tests.tui.test_app_lifecycle import FakeClock
from tui.screens.unlock import UnlockScreen

REASON = "Moving out of state"
AFTERCARE = "Referral to a fictional clinic"


async def type_text(pilot, text: str) -> None:
    await pilot.press(*("space" if character == " " else character for character in text))


async def lock_and_unlock(pilot, *typed: str, idle: FakeClock | None = None) -> None:
    """ctrl+l, or with `idle` the auto-lock after 11 idle minutes; then unlock."""
    app = pilot.app
    if idle is None:
        await pilot.press("ctrl+l")
    else:
        idle.now += 11 * 60
        app.check_autolock()
    await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen))
    assert len(app.screen_stack) == 2  # nothing typed is on screen while locked
    # Only where to return is kept in memory while locked, none of the text.
    assert not any(text in repr(app._resume) for text in typed)
    await unlock_to_any(pilot)


@pytest.mark.parametrize("lock", ["ctrl+l", "auto-lock"])
async def test_summary_reason_and_aftercare_survive_a_lock(make_app, caseload_vault, lock):
    from tui.screens.client import ClientScreen
    from tui.screens.treatment_summary import TreatmentSummaryScreen

    idle = FakeClock() if lock == "auto-lock" else None
    app = make_app(caseload_vault, **({"clock": idle} if idle else {}))
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await open_client(pilot, "BO-1002")
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, TreatmentSummaryScreen))
        app.screen.query_one("#summary-kind", Select).value = "discharge"
        await wait_until(pilot, lambda: app.screen.query_one("#summary-reason").display)
        app.screen.query_one("#summary-reason", Input).focus()
        await type_text(pilot, REASON)
        app.screen.query_one("#summary-aftercare", Input).focus()
        await type_text(pilot, AFTERCARE)
        app.screen.query_one("#summary-aftercare", Input).cursor_position = 4
        await lock_and_unlock(pilot, REASON, AFTERCARE, idle=idle)
        await wait_until(pilot, lambda: isinstance(app.screen, TreatmentSummaryScreen))
        screen = app.screen
        assert screen.query_one("#summary-kind", Select).value == "discharge"
        assert screen.query_one("#summary-reason", Input).value == REASON
        aftercare = screen.query_one("#summary-aftercare", Input)
        assert aftercare.value == AFTERCARE
        await wait_until(pilot, lambda: screen.focused is aftercare)
        assert aftercare.cursor_position == 4
        await wait_until(pilot, lambda: f"Reason for discharge: {REASON}" in screen.markdown)
        # Kept for this client after leaving too: `s` opens with them again.
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, TreatmentSummaryScreen))
        assert app.screen.query_one("#summary-reason", Input).value == REASON


async def test_psychotherapy_note_text_and_cursor_survive_a_lock(make_app, caseload_vault):
    from tests.tui.test_app_lifecycle import start_a_note
    from tui.screens.note_editor import NoteEditorScreen
    from tui.screens.psychotherapy_note import PsychotherapyNoteScreen

    process_note = "Fictional hunch about the week"
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await start_a_note(pilot)
        await pilot.press("f6")
        await wait_until(pilot, lambda: isinstance(app.screen, PsychotherapyNoteScreen))
        await type_text(pilot, process_note)
        app.screen.query_one(TextArea).move_cursor((0, 9))
        await lock_and_unlock(pilot, process_note)
        await wait_until(pilot, lambda: isinstance(app.screen, PsychotherapyNoteScreen))
        area = app.screen.query_one("#psychotherapy-note-text", TextArea)
        assert area.text == process_note
        await wait_until(pilot, lambda: app.screen.focused is area)
        assert area.cursor_location == (0, 9)
        # Underneath is the progress note it belongs to; Esc returns there.
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        assert app.screen.client.code == "DF-1004"


async def test_a_group_session_walk_survives_a_lock(make_app, caseload_vault):
    from tui.screens.caseload import CaseloadScreen
    from tui.screens.group_session import GroupSessionScreen

    topic = "Noticing fictional predictions"
    observed = "Shared one example"
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, GroupSessionScreen))
        screen = app.screen
        for selector, value in {
            "#group-name": "Fictional Tuesday Group",
            "#group-type": "CBT skills group",
            "#group-members": "AL-1001, BO-1002",
            "#group-start": "17:00",
            "#group-end": "18:30",
        }.items():
            screen.query_one(selector, Input).value = value
        screen.query_one("#group-topic", Input).focus()
        await type_text(pilot, topic)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen.step == 1)
        await wait_until(pilot, lambda: screen.query("#member-goal-1-0"))
        screen.query_one("#member-goal-1-0", Select).value = "progressing"
        screen.query_one("#member-observations", TextArea).focus()
        await type_text(pilot, observed)
        await lock_and_unlock(pilot, topic, observed)
        await wait_until(pilot, lambda: isinstance(app.screen, GroupSessionScreen))
        screen = app.screen
        await wait_until(pilot, lambda: screen.step == 1)
        await wait_until(pilot, lambda: screen.query("#member-goal-1-0"))
        assert screen.query_one("#member-goal-1-0", Select).value == "progressing"
        area = screen.query_one("#member-observations", TextArea)
        assert area.text == observed
        await wait_until(pilot, lambda: screen.focused is area)
        assert area.cursor_location == (0, len(observed))
        assert "Member 1 of 2: Avery Lindqvist (AL-1001)" in str(
            screen.query_one("#member-title").render()
        )
        # The shared part is back as typed, one step back.
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen.step == 0)
        assert screen.query_one("#group-topic", Input).value == topic
        # Leaving from the first step drops the kept entries: the next `g` starts afresh.
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseloadScreen))
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, GroupSessionScreen))
        assert app.screen.query_one("#group-topic", Input).value == ""


async def test_a_group_session_left_by_quitting_comes_back_with_the_next_g(
    make_app, caseload_vault
):
    from tui.screens.group_session import GroupSessionScreen

    topic = "Fictional topic typed before quitting"
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, GroupSessionScreen))
        app.screen.query_one("#group-topic", Input).focus()
        await type_text(pilot, topic)
        await pilot.press("ctrl+q")
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, GroupSessionScreen))
        assert app.screen.query_one("#group-topic", Input).value == topic


async def walk_to_the_first_member_and_quit(make_app, vault, observed: str) -> None:
    """Start a two-member group walk, type the first member's observation, ctrl+q."""
    from tui.screens.group_session import GroupSessionScreen

    app = make_app(vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, GroupSessionScreen))
        screen = app.screen
        for selector, value in {
            "#group-name": "Fictional Thursday Group",
            "#group-type": "CBT skills group",
            "#group-members": "AL-1001, BO-1002",
            "#group-start": "17:00",
            "#group-end": "18:30",
            "#group-topic": "Fictional topic",
        }.items():
            screen.query_one(selector, Input).value = value
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen.step == 1)
        screen.query_one("#member-observations", TextArea).focus()
        await type_text(pilot, observed)
        await pilot.press("ctrl+q")


def first_member_draft_id(app) -> str:
    from storage.records.form_drafts import GROUP_SESSION_FORM_KEY

    state = app.form_drafts.get(GROUP_SESSION_FORM_KEY)
    client = app.repos.clients.find_by_code("AL-1001")
    return state["note_ids"][client.id]


@pytest.mark.parametrize("change", ["hand edit", "deleted"])
async def test_a_resumed_group_walk_leaves_a_member_draft_changed_since_alone(
    make_app, caseload_vault, change
):
    from dataclasses import replace

    from tui.screens.group_session import GroupSessionScreen

    await walk_to_the_first_member_and_quit(make_app, caseload_vault, "Observed at first")
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        note_id = first_member_draft_id(app)
        if change == "hand edit":
            note = app.repos.notes.get(note_id)
            edited = note.text + "\nThe clinician's own sentence."
            app.repos.notes.save_draft(replace(note, text=edited))
        else:
            app.repos.notes.delete_draft(note_id)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, GroupSessionScreen))
        screen = app.screen
        await wait_until(pilot, lambda: screen.step == 1)
        await pilot.press("ctrl+l")  # a lock saves the walk's drafts
        await wait_until(pilot, lambda: not app.unlocked)
        await unlock_to_any(pilot)
        stored = app.repos.notes.get(note_id)
        if change == "hand edit":
            assert stored.text == edited  # not overwritten by the walk
        else:
            assert stored is None  # not brought back
        # Finishing the walk says which member's draft it left alone.
        await wait_until(pilot, lambda: isinstance(app.screen, GroupSessionScreen))
        await pilot.press("ctrl+s", "ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, GroupSessionScreen))
        assert any(
            "Left as they are" in str(n.message) and "AL-1001" in str(n.message)
            for n in app._notifications
        )
        assert app.repos.notes.get(note_id) == stored


async def test_typing_in_a_resumed_walk_is_kept_even_when_a_member_was_signed_meanwhile(
    make_app, caseload_vault
):
    from core.notes.records import local_now
    from storage.records.form_drafts import GROUP_SESSION_FORM_KEY
    from tests.support.fictional_notes import SIGNER
    from tui.screens.group_session import GroupSessionScreen

    await walk_to_the_first_member_and_quit(make_app, caseload_vault, "Observed at first")
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        note_id = first_member_draft_id(app)
        client = app.repos.clients.find_by_code("AL-1001")
        # After the session's end (18:30 today), as signing requires.
        app.repos.notes.sign(note_id, SIGNER, now=local_now().replace(hour=23, minute=50))
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, GroupSessionScreen))
        screen = app.screen
        await wait_until(pilot, lambda: screen.step == 1)
        area = screen.query_one("#member-observations", TextArea)
        area.focus()
        area.move_cursor(area.document.end)
        await type_text(pilot, " and more")
        await pilot.press("ctrl+q")
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        kept = app.form_drafts.get(GROUP_SESSION_FORM_KEY)["entries"][client.id]
        assert kept["observations"] == "Observed at first and more"
        assert app.repos.notes.get(note_id).status.value == "signed"


@pytest.mark.parametrize("lock", ["ctrl+l", "auto-lock"])
async def test_an_unfinished_addendum_survives_a_lock(make_app, caseload_vault, lock):
    from tui.screens.addendum import AddendumScreen
    from tui.screens.note_editor import NoteEditorScreen

    addition = "Fictional late call reported"
    reason = "late information"
    idle = FakeClock() if lock == "auto-lock" else None
    app = make_app(caseload_vault, **({"clock": idle} if idle else {}))
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await open_client(pilot, "DF-1004")  # every note of this client is signed
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        signed_id = app.screen.stored_note_id
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, AddendumScreen))
        await type_text(pilot, addition)
        app.screen.query_one("#addendum-reason", Input).focus()
        await type_text(pilot, reason)
        await lock_and_unlock(pilot, addition, reason, idle=idle)
        await wait_until(pilot, lambda: isinstance(app.screen, AddendumScreen))
        dialog = app.screen
        assert dialog.query_one("#addendum-text", TextArea).text == addition
        assert dialog.query_one("#addendum-reason", Input).value == reason
        await pilot.press("ctrl+g")  # signed: it is below the note, and no longer kept
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        await wait_until(pilot, lambda: app.repos.notes.get(signed_id).addenda)
        assert app.repos.notes.get(signed_id).addenda[-1].text == addition
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, AddendumScreen))
        assert app.screen.query_one("#addendum-text", TextArea).text == ""
