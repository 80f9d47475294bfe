"""The psychotherapy note in the editor: one key away, its own autosave, never in the note."""

from __future__ import annotations

from textual.widgets import TextArea

from core.notes.psychotherapy_note import TITLE
from storage.records.repositories import Repositories
from tests.tui.editor_host import (
    EditorHost,
    editor_ready,
    preview_text,
    rule_ids,
    signed_note,
    stocked_vault,
    wait_until,
)
from tui.screens.note_editor import NoteEditorScreen
from tui.screens.psychotherapy_note import PsychotherapyNoteScreen
from tui.widgets.findings_list import FindingsList
from tui.widgets.note_form import field_widget_id

SENTINEL = "Quillon-harbor countertransference sentinel"
FLAGGED = "I felt protective of the client when she described the review."


def stored_process_note(vault, note_id: str) -> str | None:
    found = Repositories.from_vault(vault).psychotherapy_notes.get(note_id)
    return found.text if found is not None else None


async def test_f6_opens_the_marked_psychotherapy_note_which_saves_apart_from_the_note():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await editor_ready(pilot)
        await pilot.press("f6")
        await wait_until(pilot, lambda: isinstance(app.screen, PsychotherapyNoteScreen))
        dialog = app.screen
        assert str(dialog.query_one("#psychotherapy-note-title").render()) == TITLE
        assert TITLE == "Psychotherapy note — not part of the record"
        dialog.query_one("#psychotherapy-note-text", TextArea).insert(SENTINEL)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        note_id = editor.note.id
        assert stored_process_note(vault, note_id) == SENTINEL
        # The progress note, as previewed, copied or stored, never holds it.
        await pilot.pause(0.3)
        assert SENTINEL not in preview_text(editor)
        assert SENTINEL not in editor.current_text()
        stored = app.repos.notes.get(note_id)
        assert SENTINEL not in stored.text
        await pilot.press("f3")  # copy the note: the clipboard gets the progress note only
        await wait_until(pilot, lambda: "PROGRESS NOTE" in app.clipboard)
        assert SENTINEL not in app.clipboard
        await pilot.press("f8")  # and as Markdown
        await wait_until(pilot, lambda: "# Progress note" in app.clipboard)
        assert SENTINEL not in app.clipboard
        events = [event for event, record in vault.events if record == note_id]
        assert "psychotherapy_note_read" in events and "psychotherapy_note_saved" in events

        # Opened again, it shows what was saved.
        await pilot.press("f6")
        await wait_until(pilot, lambda: isinstance(app.screen, PsychotherapyNoteScreen))
        assert app.screen.query_one("#psychotherapy-note-text", TextArea).text == SENTINEL


async def test_it_autosaves_while_open():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await editor_ready(pilot)
        await pilot.press("f6")
        await wait_until(pilot, lambda: isinstance(app.screen, PsychotherapyNoteScreen))
        app.screen.query_one("#psychotherapy-note-text", TextArea).insert(SENTINEL)
        await wait_until(
            pilot, lambda: stored_process_note(vault, editor.note.id) == SENTINEL, timeout=8
        )


async def test_a_signed_note_keeps_its_psychotherapy_note_editable():
    vault, client, _ = stocked_vault()
    note = signed_note(vault, client)
    app = EditorHost(vault, client, note)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        await pilot.press("f6")
        await wait_until(pilot, lambda: isinstance(app.screen, PsychotherapyNoteScreen))
        app.screen.query_one("#psychotherapy-note-text", TextArea).insert(SENTINEL)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        assert stored_process_note(vault, note.id) == SENTINEL
        assert app.repos.notes.get(note.id).text == note.text  # the signed note is unchanged


async def test_m_moves_a_flagged_sentence_into_the_psychotherapy_note():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await editor_ready(pilot)
        observations = editor.query_one(f"#{field_widget_id('observations')}", TextArea)
        observations.load_text(f"Affect anxious, brighter by the end. {FLAGGED}")
        await wait_until(pilot, lambda: "PROCESS-NOTE-CONTENT" in rule_ids(editor))
        findings = editor.query_one(FindingsList)
        findings.focus()
        findings.highlighted = next(
            index
            for index, finding in enumerate(findings.findings)
            if finding.rule_id == "PROCESS-NOTE-CONTENT"
        )
        await pilot.pause()
        await pilot.press("m")
        await wait_until(pilot, lambda: "PROCESS-NOTE-CONTENT" not in rule_ids(editor))
        assert observations.text == "Affect anxious, brighter by the end."
        await wait_until(pilot, lambda: FLAGGED not in preview_text(editor))
        assert stored_process_note(vault, editor.note.id) == FLAGGED


async def test_m_does_nothing_on_other_findings():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        editor = await editor_ready(pilot)
        findings = editor.query_one(FindingsList)
        await wait_until(pilot, lambda: bool(findings.findings))
        findings.focus()
        findings.highlighted = 0
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert stored_process_note(vault, editor.note.id) is None


async def test_the_findings_box_names_the_move_key_and_the_footer_fits_80_columns(
    make_app, caseload_vault
):
    from tests.tui.conftest import unlock
    from tests.tui.test_app_client import open_client
    from tests.tui.test_app_layout import footer_problems

    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await open_client(pilot, "AL-1001")
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        editor = app.screen
        await wait_until(pilot, lambda: preview_text(editor) != "")
        editor.query_one(f"#{field_widget_id('observations')}", TextArea).load_text(FLAGGED)
        await wait_until(pilot, lambda: "PROCESS-NOTE-CONTENT" in rule_ids(editor))
        findings = editor.query_one(FindingsList)
        findings.focus()
        findings.highlighted = next(
            index
            for index, finding in enumerate(findings.findings)
            if finding.rule_id == "PROCESS-NOTE-CONTENT"
        )
        await pilot.pause()
        assert findings.border_subtitle == "m: move to psychotherapy note"
        assert footer_problems(app) == []
        findings.highlighted = next(
            index
            for index, finding in enumerate(findings.findings)
            if finding.rule_id != "PROCESS-NOTE-CONTENT"
        )
        await pilot.pause()
        assert findings.border_subtitle == ""
