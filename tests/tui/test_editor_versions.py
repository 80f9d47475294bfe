"""Hand edits of the final text are never dropped silently: f9 asks, and both versions stay."""

from __future__ import annotations

from datetime import date

from tests.support.fictional_notes import fictional_draft
from tests.tui.editor_host import EditorHost, editor_ready, preview_text, stocked_vault, wait_until
from tui.screens.confirm import ConfirmScreen
from tui.screens.note_editor import NoteEditorScreen

ADDED = " Reviewed the plan with the client."


def source_line(screen) -> str:
    return str(screen.query_one("#preview-source").render())


async def edit_by_hand(pilot, screen) -> str:
    await pilot.press("ctrl+t")
    await pilot.pause()
    editor = screen.query_one("#final-text")
    editor.move_cursor(editor.document.end)
    await pilot.press(*ADDED)
    await wait_until(pilot, lambda: "edited" in source_line(screen))
    await pilot.press("escape")  # done editing: the rendered note again
    await wait_until(pilot, lambda: ADDED.strip() in preview_text(screen))
    return preview_text(screen)


async def test_leaving_edited_text_asks_and_both_versions_are_kept():
    vault, client, _ = stocked_vault()
    draft = fictional_draft(client, session_date=date(2025, 3, 11))
    app = EditorHost(vault, client, note=draft)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        composed = preview_text(screen)
        edited = await edit_by_hand(pilot, screen)
        # The source line says which version and the key back, within the preview's width.
        line = screen.query_one("#preview-source")
        assert source_line(screen) == "DAP · edited · f9: composed"
        assert len(source_line(screen)) <= line.content_region.width

        await pilot.press("f9")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("escape")  # cancel: nothing changes
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        assert preview_text(screen) == edited

        await pilot.press("f9")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.click("#confirm")
        await wait_until(pilot, lambda: preview_text(screen) == composed)
        assert "composed from the form" in source_line(screen)
        assert "f9: yours" in source_line(screen)

        await pilot.press("f9")  # back to the hand-edited text, which was kept
        await wait_until(pilot, lambda: preview_text(screen) == edited)
        assert "edited" in source_line(screen)


async def test_changing_the_format_keeps_the_edited_text_for_later():
    vault, client, _ = stocked_vault()
    draft = fictional_draft(client, session_date=date(2025, 3, 11))
    app = EditorHost(vault, client, note=draft)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        edited = await edit_by_hand(pilot, screen)
        await pilot.press("ctrl+f")  # DAP -> BIRP: the composed note in the new format
        await wait_until(pilot, lambda: "## Behavior" in preview_text(screen))
        await pilot.press("f9")
        await wait_until(pilot, lambda: preview_text(screen) == edited)


async def test_editing_the_composed_note_over_kept_edits_asks_first():
    vault, client, _ = stocked_vault()
    draft = fictional_draft(client, session_date=date(2025, 3, 11))
    app = EditorHost(vault, client, note=draft)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        edited = await edit_by_hand(pilot, screen)
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: "## Behavior" in preview_text(screen))
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        await pilot.press("f9")
        await wait_until(pilot, lambda: preview_text(screen) == edited)


async def test_the_kept_edits_survive_leaving_and_reopening_the_draft(monkeypatch):
    monkeypatch.delenv("TMUX", raising=False)
    vault, client, _ = stocked_vault()
    draft = fictional_draft(client, session_date=date(2025, 3, 11))
    app = EditorHost(vault, client, note=draft)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        composed = preview_text(screen)
        edited = await edit_by_hand(pilot, screen)
        await pilot.press("f9")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.click("#confirm")
        await wait_until(pilot, lambda: preview_text(screen) == composed)
        await pilot.press("escape")  # leaving saves the draft, the composed note on screen
        await wait_until(pilot, lambda: not isinstance(app.screen, NoteEditorScreen))
    stored = app.repos.notes.get(draft.id)

    reopened = EditorHost(vault, client, note=stored)
    async with reopened.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        assert preview_text(screen) == composed
        assert source_line(screen) == "DAP · composed from the form · f9: yours"
        await pilot.press("f3")  # a copy is the note on screen, never the kept version
        await pilot.pause()
        assert "DATA" in reopened.clipboard.splitlines()
        assert ADDED.strip() not in reopened.clipboard
        await pilot.press("f9")
        await wait_until(pilot, lambda: preview_text(screen) == edited)
        assert "edited" in source_line(screen)


async def test_text_pasted_into_the_note_loses_its_terminal_escapes_and_bidi_controls():
    from textual import events

    vault, client, _ = stocked_vault()
    draft = fictional_draft(client, session_date=date(2025, 3, 11))
    app = EditorHost(vault, client, note=draft)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        editor = screen.query_one("#final-text")
        editor.move_cursor(editor.document.end)
        editor.post_message(events.Paste("Pasted \x1b]0;PWNED\x1b\\ line \u202eevil"))
        await wait_until(pilot, lambda: "Pasted" in editor.text)
        await wait_until(pilot, lambda: "edited" in source_line(screen))
        assert "\x1b" not in editor.text and "\u202e" not in editor.text
        screen.save_draft_now()
        stored = app.repos.notes.get(draft.id).text
        assert "Pasted ]0;PWNED\\ line evil" in stored
        assert "\x1b" not in stored and "\u202e" not in stored


async def test_ctrl_t_puts_the_cursor_in_the_section_being_filled_not_on_the_title():
    vault, client, _ = stocked_vault()
    draft = fictional_draft(client, session_date=date(2025, 3, 11))
    app = EditorHost(vault, client, note=draft)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        screen.query_one("#f-plan").focus()
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        editor = screen.query_one("#final-text")
        row, column = editor.cursor_location
        lines = editor.text.splitlines()
        assert column == 0 and lines[row].strip()
        assert [line for line in lines[:row] if line.startswith("## ")][-1] == "## Plan"
