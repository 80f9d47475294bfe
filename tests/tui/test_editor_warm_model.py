"""A warm model: the editor loads it in the background once, and says what a draft cost."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from core.drafting.warm_model import EXPIRY_MARGIN_SECONDS, WarmModels
from core.notes.model import NoteStatus
from storage.records.repositories import Repositories
from tests.support.fictional_notes import SIGNER
from tests.support.ollama_standin import Script
from tests.support.pilot import wait_until
from tests.tui.editor_host import (
    EditorHost,
    editor_ready,
    findings_lines,
    preview_text,
    stocked_vault,
)
from tui.screens.note_editor import NoteEditorScreen
from tui.widgets import draft_runner
from tui.widgets.note_form import field_widget_id

DRAFT_CHUNKS = ["## Data\n\nThe client described worry.\n\n", "## Plan\n\nWeekly sessions.\n"]


@pytest.fixture
def fresh_warmth(monkeypatch):
    """A process record of warm models that starts empty for this test."""
    warmth = WarmModels()
    monkeypatch.setattr(draft_runner, "WARM_MODELS", warmth)
    return warmth


async def test_the_editor_loads_the_model_once_and_not_again_while_warm(
    ollama_standin, fresh_warmth
):
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        await editor_ready(pilot)
        await wait_until(pilot, lambda: len(ollama_standin.load_requests) == 1)
        (load,) = ollama_standin.load_requests
        assert load.body["model"] == "gemma3:4b" and load.body["keep_alive"] == "30m"
        assert load.body["messages"] == []
        await app.workers.wait_for_complete()
    # The note is opened again (the same process, as after leaving it): still warm.
    again = EditorHost(vault, client)
    async with again.run_test(size=(80, 24)) as pilot:
        await editor_ready(pilot)
        await again.workers.wait_for_complete()
        await pilot.pause()
    assert len(ollama_standin.load_requests) == 1
    assert ollama_standin.chat_requests == []  # loading never drafts


async def test_no_preload_when_keep_warm_is_off(ollama_standin, fresh_warmth):
    vault, client, _ = stocked_vault(settings=replace(SIGNER, keep_warm_minutes=0))
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        await editor_ready(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert ollama_standin.requests == []


async def test_a_failed_preload_is_silent_and_the_draft_still_explains(
    ollama_standin, fresh_warmth
):
    vault, client, _ = stocked_vault(settings=replace(SIGNER, model="absent:1b"))
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        await wait_until(pilot, lambda: len(ollama_standin.load_requests) == 1)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app._notifications  # nothing said until a draft is asked for
        screen.query_one(f"#{field_widget_id('session.start')}").value = "09:00"
        screen.query_one(f"#{field_widget_id('session.end')}").value = "09:55"
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: bool(app._notifications))
        assert any("absent:1b is not installed" in n.message for n in app._notifications)


async def test_after_a_draft_the_editor_shows_tokens_and_speed(ollama_standin, fresh_warmth):
    ollama_standin.script = Script(
        chunks=DRAFT_CHUNKS, prompt_eval_count=640, eval_duration_ns=1_000_000_000
    )
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        screen.query_one(f"#{field_widget_id('session.start')}").value = "09:00"
        screen.query_one(f"#{field_widget_id('session.end')}").value = "09:55"
        await wait_until(pilot, lambda: "09:00-09:55" in preview_text(screen))
        await pilot.press("ctrl+r")
        wanted = "prompt 640 tokens, output 2 tokens, 2.0 tokens/s"
        # The draft's info line, listed under the preview with the other findings.
        await wait_until(pilot, lambda: any(wanted in line for line in findings_lines(screen)))


def test_a_load_in_flight_or_a_warm_model_is_not_loaded_again():
    now = [1000.0]
    warmth = WarmModels(clock=lambda: now[0])
    key = ("http://127.0.0.1:11434", "gemma3:4b")
    assert warmth.begin_load(key)
    assert not warmth.begin_load(key)  # in flight
    warmth.loaded(key, 30)
    assert warmth.is_warm(key) and not warmth.begin_load(key)
    now[0] += 30 * 60 - EXPIRY_MARGIN_SECONDS  # Ollama is about to unload it
    assert not warmth.is_warm(key) and warmth.begin_load(key)
    warmth.load_failed(key)
    assert warmth.begin_load(key)  # a failure never counts as warm


async def test_a_signed_note_opens_without_loading_the_model(ollama_standin, fresh_warmth):
    vault, client, _ = stocked_vault()
    signed = Repositories.from_vault(vault).notes.last_note(client.id, before=date(2030, 1, 1))
    assert signed is not None and signed.status is NoteStatus.SIGNED
    app = EditorHost(vault, client, note=signed)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert ollama_standin.requests == []
