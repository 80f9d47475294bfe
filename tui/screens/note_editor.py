"""The note editor: guided form, live preview and findings, autosave.

Each further concern has its own module next to this one: the actions table
(note_editor_actions), findings merging (note_editor_findings), the text's
versions and drafting (note_editor_versions), navigation (note_editor_navigation),
signing and addenda (note_editor_signing), the psychotherapy note
(note_editor_psychotherapy), $EDITOR (note_editor_external), copy and export
(note_editor_sharing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, time
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Footer, Static

from core.checks.findings import Finding, Severity
from core.notes.composer import compose_note
from core.notes.lexicon import INTERVENTIONS
from core.notes.model import (
    Client,
    GoalEntry,
    GoalStatus,
    NoteContext,
    NoteFormat,
    NoteStatus,
    SessionDetails,
    SessionInfo,
    SessionNote,
    TextSource,
)
from core.notes.note_sections import NotePart
from core.notes.records import RULE_FORM_INPUT, render_note_with_addenda
from tui.display_text import plain
from tui.resume import ResumePoint
from tui.screens.note_editor_actions import ACTIONS_BY_NAME, EDITOR_BINDINGS, EditorCommands
from tui.screens.note_editor_external import ExternalEditing
from tui.screens.note_editor_findings import live_findings
from tui.screens.note_editor_navigation import EditorNavigation
from tui.screens.note_editor_psychotherapy import PsychotherapyNoteActions
from tui.screens.note_editor_sharing import NoteSharing
from tui.screens.note_editor_signing import NoteSigning
from tui.screens.note_editor_versions import SOURCE_LABELS, ShownText, TextVersions
from tui.widgets.check_runner import CheckRunner
from tui.widgets.draft_autosave import DraftAutosave
from tui.widgets.draft_runner import DraftRunner
from tui.widgets.findings_list import FindingsList, full_text, summary
from tui.widgets.note_form import NoteForm
from tui.widgets.note_preview import NotePreview

if TYPE_CHECKING:
    from tui.app import ClinoteApp

PREVIEW_DELAY = 0.15  # seconds of typing pause before the preview re-renders


def times_entered(note: SessionNote | None) -> bool:
    """A new note, or a draft saved before its times were typed, starts with them blank."""
    if note is None:
        return False
    session = note.details.session
    return not (session.start == session.end == time(0, 0))


class NoteEditorScreen(
    TextVersions,
    EditorNavigation,
    NoteSigning,
    PsychotherapyNoteActions,
    ExternalEditing,
    NoteSharing,
    EditorCommands,
):
    """One session note: form on the left, the note and its findings on the right."""

    app: ClinoteApp  # typed, so self.app.repos, .config, .vault_path... type-check

    AUTO_FOCUS = "#f-session-start"

    BINDINGS = EDITOR_BINDINGS

    @dataclass
    class NoteSaved(Message):
        """A draft, signature or addendum of this note is now in the vault."""

        note_id: str

    def __init__(
        self, client: Client, note: SessionNote | None = None, *, resume: ResumePoint | None = None
    ) -> None:
        super().__init__()
        self.client = client
        self._resume = resume  # after an unlock: the field and cursor to return to
        self._given_note = note
        # None only until on_mount loads the note; the paths that may run before check for None.
        self._note: SessionNote = None  # type: ignore[assignment]
        self._in_vault = note is not None
        text_source = TextSource(note.text_source) if note else TextSource.COMPOSER
        # The model's or the clinician's version, kept while the composed one is shown
        # (and stored with the draft as its kept_text until signing).
        final_text = note.text if note else ""
        final_source: TextSource | None = (
            text_source if text_source is not TextSource.COMPOSER else None
        )
        if note is not None and text_source is TextSource.COMPOSER and note.kept_text_source:
            final_text = note.kept_text
            final_source = TextSource(note.kept_text_source)
        # What the preview shows; assigning a new value later refreshes it (watch_shown).
        self.set_reactive(NoteEditorScreen.shown, ShownText(text_source, final_text, final_source))
        self._followed_part: NotePart | None = None
        self._edited_early = False  # typed in before the whole form was mounted
        # Every field mounted, context loaded, autosave's baseline taken: what the
        # clinician changes from here on is saved.
        self.ready = False
        self._duplicate: list[Finding] = []  # NOTE-DUPLICATE for the date and service typed
        self._checked: list[Finding] = []  # the latest result of the checks (in a worker)
        self._refresh_timer: Timer | None = None

    # --- setting up -----------------------------------------------------------

    @property
    def repos(self):
        """The app's repositories; each call holds the app's vault lock (TinyDB is not thread-safe)."""
        return self.app.repos

    @property
    def read_only(self) -> bool:
        return self._note is not None and self._note.status is NoteStatus.SIGNED

    @property
    def stored_note_id(self) -> str | None:
        """The note's id once it is in the vault; None for a new note not saved yet."""
        return self._note.id if self._in_vault and self._note is not None else None

    @property
    def note(self) -> SessionNote | None:
        """The note as last stored or opened."""
        return self._note

    def _new_note(self) -> SessionNote:
        settings = self.repos.settings.load()
        details = SessionDetails(
            client=self.client,
            session=SessionInfo(date=date.today(), start=time(0, 0), end=time(0, 0)),
            clinician=settings.clinician,
            format=settings.default_format,
        )
        return SessionNote(client_id=self.client.id, details=details)

    def compose(self) -> ComposeResult:
        note = self._given_note or self._new_note()
        self._note = note
        yield Static("", id="editor-title", markup=False)
        with Horizontal(id="editor-body"):
            if not self.read_only:
                plan = self.repos.plans.get(self.client.id)
                active = tuple(
                    GoalEntry(id=goal.id, description=goal.description, objectives=goal.objectives)
                    for goal in plan.goals
                    if goal.status is GoalStatus.ACTIVE
                )
                session_date = note.details.session.date
                yield NoteForm(
                    replace(note.details, client=self.client),
                    active,
                    INTERVENTIONS,
                    self.repos.notes.last_note(self.client.id, before=session_date),
                    times_entered=times_entered(self._given_note),
                    typed=note.form_input,
                    id="note-form",
                )
            with Vertical(id="editor-side"):
                preview = NotePreview(id="note-preview")
                yield preview
                yield FindingsList(id="findings")
        self._drafts = DraftRunner(
            preview, warm=None if self.read_only else self.repos.settings.load
        )
        yield self._drafts
        self._checks = CheckRunner()
        yield self._checks
        self._autosave = DraftAutosave(lambda: self.repos, self._current_draft)
        yield self._autosave
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._update_title()
        if self.read_only:
            self.add_class("-read-only")
            self._show_signed()
            self.ready = True
            return
        self._fit_header_to_height()
        self._refresh_now()  # the note as given, while the rest of the form is built

    @on(NoteForm.Ready)
    def _on_form_ready(self) -> None:
        self._load_context()
        self._check_duplicate()
        self._refresh_now()
        # Only what the clinician changes from here on is worth a save (and what was typed
        # while the form was being built already is).
        current = self._current_draft()
        if current is not None and not self._edited_early:
            self._autosave.saved_snapshot = current[1]
        self.ready = True
        if self._resume is not None:
            self.call_after_refresh(self._return_to_field, self._resume)

    def _load_context(self) -> None:
        form = self.query_one(NoteForm)
        details = form.details()
        context = self.repos.notes.context_for(
            self.client.id, details.session.date, exclude_note_id=self._note.id
        )
        form.set_context(replace(details, context=context))
        # Carry forward reads the last session before this note's date, as now typed.
        form.set_last_note(self.repos.notes.last_note(self.client.id, before=details.session.date))

    def _check_duplicate(self) -> None:
        """Another signed note on this date for this service: said now, not only at signing."""
        if self._note is not None:
            note = replace(self._note, details=self._current_details())
            self._duplicate = self.repos.notes.duplicate_findings(note)

    def _update_title(self) -> None:
        status = "signed" if self.read_only else "draft"
        # A draft shows the date as typed (its last readable one); a signed note, its own.
        details = self._note.details if self.read_only else self._current_details()
        when = details.session.date.isoformat()
        title = plain(f"{self.client.name} ({self.client.code}) · {when} · {status}")
        if not self.read_only:
            # Always on screen, however far the findings box is scrolled or squeezed.
            title += f" · {summary(self.query_one(FindingsList).findings)}"
        self.query_one("#editor-title", Static).update(title)

    # --- the live preview -----------------------------------------------------

    @on(NoteForm.Changed)
    def _on_form_changed(self, event: NoteForm.Changed) -> None:
        if not event.form.complete:
            self._edited_early = True
        if event.field == "f-format":
            if self._text_source is not TextSource.COMPOSER:
                self._use_composer(  # and the watcher shows it composed in the new format
                    "Format changed: showing the note composed in it; f9 shows your text again."
                )
            else:
                self._refresh_now()
            return
        if event.field in ("f-session-date", "f-session-service"):
            self._check_duplicate()
        if event.field == "f-session-date":
            self._load_context()
            self._update_title()
        self._schedule_refresh()

    @on(NotePreview.TextEdited)
    def _on_text_edited(self, event: NotePreview.TextEdited) -> None:
        if event.text == self._final_text:
            return
        edited = replace(
            self.shown,
            source=TextSource.EDITED,
            final_text=event.text,
            final_source=TextSource.EDITED,
            grounding=(),
        )
        # Typing: the preview refreshes after a pause, as for the form, not at each key.
        self.set_reactive(NoteEditorScreen.shown, edited)
        self._schedule_refresh()

    def _schedule_refresh(self) -> None:
        if self._refresh_timer is not None:
            self._refresh_timer.stop()
        self._refresh_timer = self.set_timer(PREVIEW_DELAY, self._refresh_now)

    def current_text(self) -> str:
        """The note text as it would be stored now."""
        if self._text_source is TextSource.COMPOSER:
            return compose_note(self._current_details())
        return self._final_text

    def _current_details(self) -> SessionDetails:
        return self.query_one(NoteForm).details()

    def _form_findings(self) -> list[Finding]:
        return [
            Finding(RULE_FORM_INPUT, Severity.ERROR, "", problem, field=field)
            for field, problem in self.query_one(NoteForm).problems()
        ]

    def _refresh_now(self) -> None:
        """Compose (or take the final text), check it, show both.

        The `shown` watcher calls it when what is shown changes; the form's changes call
        it directly (after the typing pause, or at once for a format or loaded context).
        """
        if self.read_only or self.shown.drafting or self._drafts.running:
            return
        details = self._current_details()
        composed = self._text_source is TextSource.COMPOSER
        text = compose_note(details) if composed else self._final_text
        # The checks run in a worker; until they answer, the form's own findings are
        # current and the last checks' findings stand.
        self._checks.request(details, text)
        self._show_findings()
        preview = self.query_one(NotePreview)
        source = SOURCE_LABELS[self._text_source]
        # Short, so it fits the preview's 39 columns at 80: help says the rest.
        hint = " · f9: composed" if not composed else (" · f9: yours" if self._final_source else "")
        preview.set_source(f"{details.format.value.upper()} · {source}{hint}")
        if not preview.editing:
            preview.show(text)

    @on(CheckRunner.Checked)
    def _on_checked(self, event: CheckRunner.Checked) -> None:
        self._checked = event.findings
        if not self.read_only:
            self._show_findings()

    def _show_findings(self) -> None:
        grounding = self._grounding if self._text_source is TextSource.MODEL else None
        findings = live_findings(self._form_findings(), self._checked, self._duplicate, grounding)
        self.query_one(FindingsList).set_findings(findings)
        self._update_title()
        self._follow_part()

    @on(FindingsList.Chosen)
    def _on_finding_chosen(self, event: FindingsList.Chosen) -> None:
        if self.read_only:
            return
        finding = event.finding
        said = full_text(finding)  # in full: the list cuts each finding at its width
        if finding.field and self.query_one(NoteForm).focus_field(finding.field):
            self.notify(said, timeout=8, markup=False)
        elif finding.sentence and self._text_source is not TextSource.COMPOSER:
            self.notify(f"{said}\nIn the text: {plain(finding.sentence[:80])}", markup=False)
        else:
            self.notify(
                f"{said}\nThat is set outside this note (client or settings).", markup=False
            )

    # --- saving ---------------------------------------------------------------

    def _current_draft(self) -> tuple[SessionNote, tuple[Any, ...]] | None:
        """The draft as it would be stored now, with a snapshot to compare; None if none."""
        if self.read_only or self._note is None or not self.query_one(NoteForm).complete:
            return None  # nothing changed before the whole form is there
        details = replace(self._current_details(), context=NoteContext())
        # What does not parse yet is kept as typed, so a reopened draft shows it again.
        typed = self.query_one(NoteForm).unread_input()
        # While the composed note is shown, the clinician's or the model's text is kept with it.
        kept = self._final_source if self._text_source is TextSource.COMPOSER else None
        kept_text, kept_source = (self._final_text, kept.value) if kept else ("", "")
        snapshot = (details, self.current_text(), self._text_source, typed, kept_text, kept_source)
        note = replace(
            self._note,
            details=details,
            text=snapshot[1],
            text_source=snapshot[2],
            form_input=typed,
            kept_text=kept_text,
            kept_text_source=kept_source,
        )
        return note, snapshot

    def save_draft_now(self, *, force: bool = False) -> None:
        """Store the draft at once when it changed (safe at SIGHUP, auto-lock and quit)."""
        if self.read_only or self._note is None or not self.is_mounted:
            return
        stored = self._autosave.save_now(force=force and not self._in_vault)
        if stored is not None:
            self._stored(stored)

    def _stored(self, note: SessionNote) -> None:
        self._note = replace(note, details=replace(note.details, context=NoteContext()))
        self._in_vault = True
        self._announce_saved(note)

    def _announce_saved(self, note: SessionNote) -> None:
        self.post_message(self.NoteSaved(note.id))

    @on(DraftAutosave.Saved)
    def _on_autosaved(self, event: DraftAutosave.Saved) -> None:
        if not self.read_only:
            self._stored(event.note)

    def on_screen_suspend(self) -> None:
        self.save_draft_now()

    def action_save(self) -> None:
        self.save_draft_now(force=True)
        if not self.read_only:
            self.notify("Draft saved.", timeout=2)

    def action_back(self) -> None:
        if self._drafts.running:
            self._cancel_draft()
            return
        if self.shown.editing:
            self.shown = replace(self.shown, editing=False)
            return
        self.save_draft_now()
        self.dismiss()

    # --- what the keys may do -------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "addendum":
            return self.read_only
        if action == "move_to_psychotherapy_note":
            return self._process_note_finding() is not None
        entry = ACTIONS_BY_NAME.get(action)
        if entry is not None and entry.editing_only:
            return not self.read_only
        return True

    def action_next_format(self) -> None:
        formats = list(NoteFormat)
        current = self.query_one(NoteForm).details().format
        self.query_one(NoteForm).set_format(formats[(formats.index(current) + 1) % len(formats)])

    def action_carry_forward(self) -> None:
        if self.query_one(NoteForm).pull_carry_forward():
            self.notify("Pulled in last session's homework; choose how it went.")
        else:
            self.notify("No earlier note to carry forward.", timeout=3)

    # --- copy and export (note_editor_sharing) ------------------------------------

    def _text_to_share(self) -> str:
        if self.read_only:
            return render_note_with_addenda(self._note)
        return self.current_text()

    def _share_name(self) -> str:
        # The code is client text: only a safe file-name form of it goes into the name.
        code = re.sub(r"[^A-Za-z0-9._-]+", "_", self.client.code).strip("._") or "note"
        return f"{code}-{self._note.details.session.date.isoformat()}"

    def _share_record(self) -> tuple[bool, bool, str | None]:
        return self.read_only, self._in_vault, self._note.id if self._note else None
