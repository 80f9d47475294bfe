"""Drafts reach the vault: autosave when changed, at once on leaving or on demand."""

from __future__ import annotations

from types import SimpleNamespace

from core.notes.model import NoteStatus
from tests.support.pilot import wait_until
from tests.tui.editor_host import EditorHost, editor_ready, preview_text, stocked_vault
from tui.screens.note_editor import NoteEditorScreen
from tui.widgets.note_form import field_widget_id


def drafts(app) -> list:
    return [
        note
        for note in app.repos.notes.list_for_client(app._client.id)
        if note.status is NoteStatus.DRAFT
    ]


def fill_times(screen) -> None:
    screen.query_one(f"#{field_widget_id('session.start')}").value = "09:00"
    screen.query_one(f"#{field_widget_id('session.end')}").value = "09:55"


async def test_an_untouched_new_note_leaves_no_draft_behind():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        await editor_ready(pilot)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, NoteEditorScreen))
        assert drafts(app) == []


async def test_changes_are_autosaved_without_any_key():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        fill_times(screen)
        screen.query_one(f"#{field_widget_id('presenting_concerns')}").load_text("Sleep trouble")
        await wait_until(pilot, lambda: len(drafts(app)) == 1, timeout=10)
        stored = drafts(app)[0]
        assert stored.details.presenting_concerns == "Sleep trouble"
        assert "Sleep trouble" in stored.text
        await wait_until(pilot, lambda: app.saved_note_ids == [stored.id])


async def test_save_draft_now_stores_at_once_and_the_draft_reopens_as_left():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        fill_times(screen)
        screen.query_one(f"#{field_widget_id('risk.suicidal_ideation')}").value = "passive"
        screen.query_one(f"#{field_widget_id('risk.safety_plan')}").value = "Stanley-Brown plan"
        await pilot.pause()
        screen.save_draft_now()  # what the app calls on SIGHUP and auto-lock
        stored = drafts(app)
        assert len(stored) == 1
        assert stored[0].details.risk.safety_plan == "Stanley-Brown plan"

    reopened = EditorHost(vault, client, note=stored[0])
    async with reopened.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        assert screen.query_one(f"#{field_widget_id('session.start')}").value == "09:00"
        risk = screen.query_one(f"#{field_widget_id('risk.suicidal_ideation')}")
        assert risk.value == "passive"
        assert "Stanley-Brown plan" in preview_text(screen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(reopened.screen, NoteEditorScreen))
    assert len(drafts(reopened)) == 1  # saved in place, not duplicated


async def test_leaving_the_editor_saves_what_was_typed():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        plan = screen.query_one(f"#{field_widget_id('plan')}")
        plan.focus()
        await pilot.press(*"Weekly sessions")
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, NoteEditorScreen))
        assert [note.details.plan for note in drafts(app)] == ["Weekly sessions"]


async def test_ctrl_s_saves_even_an_untouched_note():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        await editor_ready(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert len(drafts(app)) == 1


async def test_a_draft_saved_before_its_times_were_typed_reopens_with_them_blank():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        await editor_ready(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
    stored = drafts(app)[0]
    reopened = EditorHost(vault, client, note=stored)
    async with reopened.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        assert screen.query_one(f"#{field_widget_id('session.start')}").value == ""
        assert screen.query_one(f"#{field_widget_id('session.end')}").value == ""


class _NotesThatQuoteTheNote:
    """A repository whose failure message quotes the draft, as a careless library might."""

    def save_draft(self, note):
        raise RuntimeError(f"cannot store {note.details.presenting_concerns!r}")


async def test_a_failed_save_is_reported_without_quoting_the_note():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        fill_times(screen)
        screen.query_one(f"#{field_widget_id('presenting_concerns')}").load_text("Sleep trouble")
        app.repos = SimpleNamespace(notes=_NotesThatQuoteTheNote())
        screen.save_draft_now()
        await wait_until(pilot, lambda: len(app._notifications) > 0)
        messages = [notification.message for notification in app._notifications]
        assert any(message.startswith("Draft not saved: Unexpected") for message in messages)
        assert not any("Sleep trouble" in message for message in messages)
