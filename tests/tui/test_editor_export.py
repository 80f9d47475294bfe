"""Copy and export of a note (issue 5, flow 5): clipboard via OSC 52, files 0600."""

from __future__ import annotations

import stat

import pytest

from tests.support.pilot import wait_until
from tests.tui.editor_host import EditorHost, editor_ready, preview_text, signed_note, stocked_vault
from tui.export import ExportError, markdown_to_text, write_note_file
from tui.screens.export import ExportScreen
from tui.screens.note_editor import NoteEditorScreen


async def test_copy_puts_the_signed_note_with_its_addenda_on_the_clipboard():
    vault, client, _ = stocked_vault()
    note = signed_note(vault, client)
    app = EditorHost(vault, client, note=note)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        await pilot.press("f3")
        await pilot.pause()
        assert app.clipboard == preview_text(screen)
        assert "Dana Reyes, LCSW" in app.clipboard
        await wait_until(pilot, lambda: ("note_copied", note.id) in vault.events)


async def test_export_asks_for_a_path_and_writes_an_owner_only_markdown_file(tmp_path):
    vault, client, _ = stocked_vault()
    note = signed_note(vault, client)
    app = EditorHost(vault, client, note=note)
    target = tmp_path / "note.md"
    async with app.run_test(size=(80, 24)) as pilot:
        await editor_ready(pilot)
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        path_input = app.screen.query_one("#export-path")
        assert path_input.value.endswith(f"{client.code}-2025-03-11.md")
        path_input.value = str(target)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        await wait_until(pilot, lambda: ("note_exported", note.id) in vault.events)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8") == note.text


async def test_export_never_replaces_a_file_and_says_so_in_the_dialog(tmp_path):
    vault, client, _ = stocked_vault()
    note = signed_note(vault, client)
    existing = tmp_path / "note.md"
    existing.write_text("kept", encoding="utf-8")
    app = EditorHost(vault, client, note=note)
    async with app.run_test(size=(80, 24)) as pilot:
        await editor_ready(pilot)
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        app.screen.query_one("#export-path").value = str(existing)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert "already exists" in str(app.screen.query_one("#export-error").render())
    assert existing.read_text(encoding="utf-8") == "kept"


async def test_plain_text_export_drops_markdown_marks(tmp_path):
    vault, client, _ = stocked_vault()
    note = signed_note(vault, client)
    app = EditorHost(vault, client, note=note)
    async with app.run_test(size=(80, 24)) as pilot:
        await editor_ready(pilot)
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        app.screen.query_one("#export-kind").value = "txt"
        await pilot.pause()
        path_input = app.screen.query_one("#export-path")
        assert path_input.value.endswith(".txt")
        path_input.value = str(tmp_path / "note.txt")
        path_input.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
    text = (tmp_path / "note.txt").read_text(encoding="utf-8")
    assert "## " not in text and "**" not in text
    assert "Progress note\n=============" in text


def test_markdown_to_text_keeps_the_words_and_underlines_headings():
    markdown = "# Progress note\n\n## Data\n\n**Client** reported *less* worry.\n* item\n"
    assert markdown_to_text(markdown) == (
        "Progress note\n=============\n\nData\n----\n\nClient reported less worry.\n- item\n"
    )


def test_write_note_file_refuses_a_missing_folder(tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        write_note_file(tmp_path / "absent" / "note.md", "text", as_markdown=True)


async def test_exporting_a_draft_says_it_is_not_signed():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        await editor_ready(pilot)
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        assert "not signed" in str(app.screen.query_one("#export-draft").render())
