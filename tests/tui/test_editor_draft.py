"""Drafting with the model from the editor, against the Ollama stand-in on 127.0.0.1."""

from __future__ import annotations

import threading

from core.notes.model import Settings
from tests.support.fictional_notes import SIGNER
from tests.support.pilot import wait_until
from tests.tui.editor_host import EditorHost, editor_ready, preview_text, rule_ids, stocked_vault
from tui.widgets.findings_list import FindingsList
from tui.widgets.note_form import field_widget_id
from tui.widgets.note_preview import NotePreview

DRAFT_CHUNKS = [
    "## Data\n\nThe client described worry about a family visit",
    " on four days this week.\n\n",
    "## Assessment\n\nWorry remains frequent.\n\n",
    "## Plan\n\nContinue weekly sessions focused on worry.\n",
]


def source_line(screen) -> str:
    return str(screen.query_one("#preview-source").render())


def draft_finished(screen) -> bool:
    return "DAP · model draft" in source_line(screen)


async def editor_with_session(pilot):
    """The editor, once a 09:00-09:55 session and its concern are in the form and preview."""
    screen = await editor_ready(pilot)
    screen.query_one(f"#{field_widget_id('session.start')}").value = "09:00"
    screen.query_one(f"#{field_widget_id('session.end')}").value = "09:55"
    screen.query_one(f"#{field_widget_id('presenting_concerns')}").load_text(
        "Worry about a family visit on four days."
    )
    await wait_until(pilot, lambda: "09:00-09:55" in preview_text(screen))
    return screen


async def test_a_draft_streams_into_the_preview_and_ends_with_its_findings(ollama_standin):
    ollama_standin.script.chunks = DRAFT_CHUNKS
    last_chunk = ollama_standin.script.hold_last_chunk = threading.Event()
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_with_session(pilot)
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: "writing" in source_line(screen))
        await wait_until(pilot, lambda: "Worry remains frequent" in preview_text(screen))
        assert "Continue weekly sessions" not in preview_text(screen)  # still arriving
        assert "writing" in source_line(screen)
        last_chunk.set()
        await wait_until(pilot, lambda: draft_finished(screen))
        final = preview_text(screen)
        assert "Continue weekly sessions focused on worry." in final
        assert "Jordan Avery (JA-0142)" in final  # the header is clinote's own
        assert "DRAFT-MODEL" in rule_ids(screen)
        shown = screen.query_one(FindingsList).findings
        assert len(shown) == len(set(shown))  # the draft's own checks are not listed twice
    sent = ollama_standin.chat_requests[0].body
    assert "Jordan Avery" not in str(sent) and "JA-0142" not in str(sent)


async def test_escape_cancels_a_streaming_draft_and_the_composed_note_stays(ollama_standin):
    ollama_standin.script.chunks = ["## Data\n\nThe client described worry. "]
    ollama_standin.script.until_disconnect = True
    ollama_standin.script.chunk_delay = 0.05
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_with_session(pilot)
        composed = preview_text(screen)
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: "The client described worry" in preview_text(screen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: preview_text(screen) == composed)
        assert ollama_standin.client_disconnected.wait(5)  # the server stopped generating
        assert "composed from the form" in source_line(screen)
        assert any("cancelled" in str(n.message) for n in app._notifications)
        await pilot.press("escape")  # with no draft running, Esc leaves the editor
        await wait_until(pilot, lambda: not app.screen.query(NotePreview))


async def test_without_the_model_a_notification_says_why_and_the_note_stays(ollama_standin):
    vault, client, _ = stocked_vault(
        settings=Settings(SIGNER.clinician_name, SIGNER.credentials, model="absent:1b")
    )
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_with_session(pilot)
        composed = preview_text(screen)
        await pilot.press("ctrl+r")
        await wait_until(
            pilot, lambda: any("absent:1b" in str(n.message) for n in app._notifications)
        )
        assert preview_text(screen) == composed
        assert "composed from the form" in source_line(screen)


async def test_the_draft_can_be_edited_by_hand_or_dropped_for_the_composed_note(ollama_standin):
    ollama_standin.script.chunks = DRAFT_CHUNKS
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_with_session(pilot)
        composed = preview_text(screen)
        await pilot.press("ctrl+r")
        await wait_until(
            pilot,
            lambda: (
                "model draft" in source_line(screen)
                and "writing" not in source_line(screen)
                and "starting" not in source_line(screen)
            ),
        )
        await pilot.press("ctrl+t")
        await pilot.pause()
        editor = screen.query_one("#final-text")
        assert editor.display and screen.focused is editor
        editor.move_cursor(editor.document.end)
        await pilot.press(*" Reviewed with the client.")
        await wait_until(pilot, lambda: "edited" in source_line(screen))
        screen.save_draft_now()
        stored = app.repos.notes.list_for_client(client.id)[0]
        assert stored.text_source == "edited"
        assert stored.text.rstrip().endswith("Reviewed with the client.")
        await pilot.press("f9")  # hand edits: it asks before showing the composed note
        await wait_until(pilot, lambda: app.screen.query("#confirm"))
        await pilot.click("#confirm")
        await wait_until(pilot, lambda: preview_text(screen) == composed)
        assert "composed from the form" in source_line(screen)
