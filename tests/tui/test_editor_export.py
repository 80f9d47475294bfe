"""Copy and export of a note (issue 5, flow 5): clipboard via OSC 52, files 0600."""

from __future__ import annotations

import stat

import pytest

from core.notes.plain_text import note_as_plain_text
from tests.support.pilot import wait_until
from tests.tui.editor_host import EditorHost, editor_ready, preview_text, signed_note, stocked_vault
from tui.export import ExportError, write_note_file
from tui.screens.export import ExportScreen
from tui.screens.note_editor import NoteEditorScreen


def last_notice(app) -> str:
    return str(list(app._notifications)[-1].message)


async def test_f3_copies_plain_text_for_an_ehr_and_f8_the_markdown(monkeypatch):
    monkeypatch.delenv("TMUX", raising=False)
    vault, client, _ = stocked_vault()
    note = signed_note(vault, client)
    app = EditorHost(vault, client, note=note)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        await pilot.press("f3")
        await pilot.pause()
        copied = app.clipboard
        lines = copied.splitlines()
        assert "PROGRESS NOTE" in lines
        assert "DATA" in lines and "ASSESSMENT" in lines and "PLAN" in lines
        assert f"Client: {client.name} ({client.code})" in lines
        assert not any(line.startswith(("#", "- ", "* ")) or "**" in line for line in lines)
        # Each paragraph is one line: the EHR's text box wraps it.
        reported = "Client reported worry about a work review on five of seven days."
        assert any(line.startswith(reported) and line.endswith(".") for line in lines)
        assert "Dana Reyes, LCSW" in copied
        await wait_until(pilot, lambda: ("note_copied", note.id) in vault.events)
        assert "copied as plain text" in last_notice(app)

        await pilot.press("f8")
        await pilot.pause()
        assert app.clipboard == preview_text(screen)
        assert "# Progress note" in app.clipboard


async def test_inside_tmux_without_set_clipboard_it_says_what_to_set_instead_of_copied(
    monkeypatch,
):
    monkeypatch.setenv("TMUX", "/tmp/tmux-1000/default,4242,0")
    vault, client, _ = stocked_vault()
    note = signed_note(vault, client)
    app = EditorHost(vault, client, note=note)
    app.clipboard_probe = lambda: "external"  # tmux's default
    async with app.run_test(size=(80, 24)) as pilot:
        await editor_ready(pilot)
        await pilot.press("f3")
        await pilot.pause()
        message = last_notice(app)
        assert "set-clipboard is external" in message
        assert "set -g set-clipboard on" in message
        assert "copied" not in message.replace("Not copied", "")
        assert app.clipboard == ""
        assert ("note_copied", note.id) not in vault.events

        app.clipboard_probe = lambda: "on"
        await pilot.press("f3")
        await pilot.pause()
        assert "PROGRESS NOTE" in app.clipboard.splitlines()


async def test_export_suggests_the_folder_clinote_was_started_in_not_home(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client, note=signed_note(vault, client))
    async with app.run_test(size=(80, 24)) as pilot:
        await editor_ready(pilot)
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        suggested = app.screen.query_one("#export-path").value
        assert suggested == str(tmp_path / f"{client.code}-2025-03-11.md")


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
    assert "\nPROGRESS NOTE\n" in text


def test_plain_text_drops_markdown_marks_and_unwraps_paragraphs():
    markdown = (
        "# Progress note\n\n- Client: Jordan Avery (JA-0142)\n\n## Data\n\n"
        "**Client** reported *less* worry\nthan last week.\n\nInterventions:\n"
        "- Breathing (CBT): practised\n  for five minutes.\n* Worry log.\n\n---\n\nSigned\n"
    )
    assert note_as_plain_text(markdown) == (
        "PROGRESS NOTE\n\nClient: Jordan Avery (JA-0142)\n\nDATA\n\n"
        "Client reported less worry than last week.\n\nInterventions:\n"
        "Breathing (CBT): practised for five minutes.\nWorry log.\n\nSigned\n"
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
