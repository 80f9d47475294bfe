"""A tiny host App for the note editor tests: real repositories, no other screens.

Every person here is invented.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date

from textual.app import App
from textual.pilot import Pilot

from core.notes.composer import compose_note
from core.notes.model import Client, SessionNote, Settings, TreatmentPlan
from storage.records.form_drafts import FormDraftRepository
from storage.records.repositories import Repositories
from tests.support.fictional_notes import (
    SIGNER,
    fictional_client,
    fictional_draft,
    fictional_plan,
)
from tests.support.memory_vault import MemoryVault
from tests.support.pilot import wait_until
from tui.screens.note_editor import NoteEditorScreen
from tui.serialized import Serialized
from tui.styles import STYLESHEETS
from tui.widgets.findings_list import FindingsList
from tui.widgets.note_preview import NotePreview


class EditorHost(App[None]):
    """Holds `repos` and `vault` as ClinoteApp does, and opens one editor."""

    CSS_PATH = STYLESHEETS

    def __init__(self, vault, client: Client, note=None) -> None:
        super().__init__()
        self.vault = vault
        # As ClinoteApp does: every repository call holds one lock (workers write, the UI reads).
        lock = threading.RLock()
        self.repos = Serialized(Repositories.from_vault(vault), lock)
        self.form_drafts = Serialized(FormDraftRepository(vault.db), lock)
        self._client = client
        self._note = note
        self.saved_note_ids: list[str] = []

    def on_mount(self) -> None:
        self.push_screen(NoteEditorScreen(client=self._client, note=self._note))

    def on_note_editor_screen_note_saved(self, message: NoteEditorScreen.NoteSaved) -> None:
        self.saved_note_ids.append(message.note_id)


def stocked_vault(
    settings: Settings = SIGNER, with_last_note: bool = True
) -> tuple[MemoryVault, Client, TreatmentPlan]:
    """A vault with one fictional client, a plan with one goal, and one earlier signed note."""
    vault = MemoryVault()
    repos = Repositories.from_vault(vault)
    client = fictional_client()
    plan = fictional_plan(client)
    repos.clients.save(client)
    repos.plans.save(plan)
    repos.settings.save(settings)
    if with_last_note:
        earlier = fictional_draft(client, session_date=date(2025, 3, 4))
        details = replace(earlier.details, plan="Begin worry exposure; weekly CBT.")
        earlier = replace(earlier, details=details, text=compose_note(details))
        repos.notes.save_draft(earlier)
        repos.notes.sign(earlier.id, SIGNER)
    return vault, client, plan


def signed_note(vault, client: Client, session_date: date = date(2025, 3, 11)) -> SessionNote:
    """A complete fictional note, composed and signed, stored in the vault."""
    repos = Repositories.from_vault(vault)
    draft = fictional_draft(client, session_date=session_date)
    draft = replace(draft, text=compose_note(draft.details))
    repos.notes.save_draft(draft)
    return repos.notes.sign(draft.id, SIGNER)


async def editor_ready(pilot: Pilot) -> NoteEditorScreen:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, NoteEditorScreen))
    screen = pilot.app.screen
    await wait_until(pilot, lambda: preview_text(screen) != "")
    # The form below the first screen is mounted just after the first paint.
    await wait_until(pilot, lambda: screen.ready)
    await checks_done(pilot)
    return screen


async def checks_done(pilot: Pilot) -> None:
    """Let the checks (a worker thread) finish and their findings reach the list."""
    await pilot.pause(0.2)  # past the preview's typing pause, so the last change is checked
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def preview_text(screen) -> str:
    """The Markdown on screen in the preview (or in its editor while editing)."""
    return screen.query_one(NotePreview).shown_text


def findings_lines(screen) -> list[str]:
    findings = screen.query_one(FindingsList)
    return [str(findings.get_option_at_index(i).prompt) for i in range(findings.option_count)]


def rule_ids(screen) -> set[str]:
    return {finding.rule_id for finding in screen.query_one(FindingsList).findings}
