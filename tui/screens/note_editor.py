"""The note editor: guided form, live preview and findings, drafts, autosave, signing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, time
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import ComposeResult, SuspendNotSupported, SystemCommand
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Static, TextArea

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
from core.notes.note_sections import NotePart, section_fed_by
from core.notes.psychotherapy_note import append_to_psychotherapy_note, remove_sentence
from core.notes.records import (
    RULE_FORM_INPUT,
    UNVERIFIED_LABEL,
    render_note_with_addenda,
    signing_blockers,
    unverified_signature_count,
)
from tui.display_text import plain
from tui.errors import describe_error
from tui.external_editor import ExternalEditorError, edit_externally
from tui.resume import ResumePoint, place_cursor
from tui.screens.addendum import AddendumScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.note_editor_actions import ACTIONS_BY_NAME, EDITOR_ACTIONS, EDITOR_BINDINGS
from tui.screens.note_editor_findings import live_findings, signing_findings
from tui.screens.note_editor_sharing import NoteSharing
from tui.screens.psychotherapy_note import (
    PsychotherapyNoteScreen,
    remove_from_field,
    sentence_in_field,
)
from tui.screens.sign import SignScreen
from tui.widgets.check_runner import CheckRunner
from tui.widgets.draft_autosave import DraftAutosave
from tui.widgets.draft_runner import DraftRunner
from tui.widgets.findings_list import FindingsList, summary
from tui.widgets.note_form import NoteForm
from tui.widgets.note_preview import NotePreview

if TYPE_CHECKING:
    from tui.app import ClinoteApp

PREVIEW_DELAY = 0.15  # seconds of typing pause before the preview re-renders

SOURCE_LABELS = {
    TextSource.COMPOSER: "composed from the form",
    TextSource.MODEL: "model draft",
    TextSource.EDITED: "edited",
}
SHORT_TERMINAL_ROWS = 32  # below this the note's header shows as one line in the preview


def times_entered(note: SessionNote | None) -> bool:
    """A new note, or a draft saved before its times were typed, starts with them blank."""
    if note is None:
        return False
    session = note.details.session
    return not (session.start == session.end == time(0, 0))


class NoteEditorScreen(NoteSharing):
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
        self._text_source = TextSource(note.text_source) if note else TextSource.COMPOSER
        # The model's or the clinician's version, kept while the composed one is shown
        # (and stored with the draft as its kept_text until signing).
        self._final_text = note.text if note else ""
        self._final_source: TextSource | None = (
            self._text_source if self._text_source is not TextSource.COMPOSER else None
        )
        if note is not None and self._text_source is TextSource.COMPOSER and note.kept_text_source:
            self._final_text = note.kept_text
            self._final_source = TextSource(note.kept_text_source)
        self._followed_part: NotePart | None = None
        self._edited_early = False  # typed in before the whole form was mounted
        # Every field mounted, context loaded, autosave's baseline taken: what the
        # clinician changes from here on is saved.
        self.ready = False
        self._grounding: list[Finding] = []
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

    def _return_to_field(self, point: ResumePoint) -> None:
        """Focus the field that was focused at the lock, with the cursor where it was."""
        if point.focus_id == "final-text" and self._text_source is not TextSource.COMPOSER:
            self.query_one(NotePreview).edit(self._final_text)
        matches = self.query(f"#{point.focus_id}") if point.focus_id else None
        if not matches:
            return
        widget = matches.first()
        if widget.focusable:
            widget.focus()
            place_cursor(widget, point.cursor)

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

    def on_resize(self) -> None:
        self._fit_header_to_height()

    def _fit_header_to_height(self) -> None:
        short = self.app.size.height < SHORT_TERMINAL_ROWS
        self.query_one(NotePreview).set_compact_header(short)

    # --- following the clinician through the form -------------------------------

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if self.read_only:
            return
        part = self.query_one(NoteForm).part_of(event.widget)
        if part is not None and part is not self._followed_part:
            self._followed_part = part
            self._follow_part()

    def _follow_part(self) -> None:
        """Scroll the preview to the section the focused part of the form writes."""
        if self._followed_part is None:
            return
        section = section_fed_by(self._current_details(), self._followed_part)
        self.query_one(NotePreview).follow(section)

    def action_next_section(self) -> None:
        self.query_one(NoteForm).focus_part(1)

    def action_previous_section(self) -> None:
        self.query_one(NoteForm).focus_part(-1)

    def action_next_pane(self) -> None:
        """Form, then the note, then the findings, then the form again."""
        panes = [pane for pane in self._panes() if pane.display and pane.focusable]
        if not panes:
            return
        current = next(
            (index for index, pane in enumerate(panes) if self._holds_focus(pane)), -1
        )
        target = panes[(current + 1) % len(panes)]
        if isinstance(target, NoteForm):
            # Back to the part last worked on, not to the top of the form.
            target.focus_part_named(self._followed_part or NotePart.SESSION)
        else:
            target.focus()

    def _panes(self) -> list[Widget]:
        preview = self.query_one(NotePreview)
        note = preview.query_one("#final-text" if preview.editing else "#preview-scroll")
        return [*self.query(NoteForm), note, self.query_one(FindingsList)]

    def _holds_focus(self, pane: Widget) -> bool:
        focused = self.focused
        return focused is not None and (focused is pane or pane in focused.ancestors)

    def _show_signed(self) -> None:
        note = self._note
        preview = self.query_one(NotePreview)
        signature = note.signature
        signer = f" by {signature.clinician_name}, {signature.credentials}" if signature else ""
        unverified = unverified_signature_count(note)
        if unverified:
            signer += f" ({unverified} {UNVERIFIED_LABEL})"
        preview.set_source(plain(f"Signed{signer}: read-only. a adds an addendum."))
        preview.show(render_note_with_addenda(note))
        self.query_one(FindingsList).display = False
        preview.query_one("#preview-scroll").focus()

    # --- the live preview -----------------------------------------------------

    @on(NoteForm.Changed)
    def _on_form_changed(self, event: NoteForm.Changed) -> None:
        if not event.form.complete:
            self._edited_early = True
        if event.field == "f-format":
            if self._text_source is not TextSource.COMPOSER:
                self._use_composer(
                    "Format changed: showing the note composed in it; f9 shows your text again."
                )
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
        self._final_text = event.text
        self._text_source = self._final_source = TextSource.EDITED
        self._grounding = []
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
        """Compose (or take the final text), check it, show both."""
        if self.read_only or self._drafts.running:
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
        field = event.finding.field
        if self.read_only:
            return
        if field and self.query_one(NoteForm).focus_field(field):
            return
        if event.finding.sentence and self._text_source is not TextSource.COMPOSER:
            self.notify(f"In the text: {event.finding.sentence[:80]}")
            return
        self.notify("That is set outside this note (client or settings).", timeout=4)

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
        preview = self.query_one(NotePreview)
        if preview.editing:
            preview.stop_editing()
            self._refresh_now()
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

    def screen_commands(self) -> Iterable[SystemCommand]:
        """Every editor action allowed now, for the command palette, with its current key."""
        keys = {
            active.binding.action: self.app.get_key_display(active.binding)
            for active in self.active_bindings.values()
            if active.node is self
        }
        for entry in EDITOR_ACTIONS:
            if not entry.in_palette or not self.check_action(entry.action, ()):
                continue
            key = f" ({keys[entry.action]})" if entry.action in keys else ""
            yield SystemCommand(entry.title, entry.help + key, getattr(self, f"action_{entry.action}"))

    def action_next_format(self) -> None:
        formats = list(NoteFormat)
        current = self.query_one(NoteForm).details().format
        self.query_one(NoteForm).set_format(formats[(formats.index(current) + 1) % len(formats)])

    def action_carry_forward(self) -> None:
        if self.query_one(NoteForm).pull_carry_forward():
            self.notify("Pulled in last session's homework; choose how it went.")
        else:
            self.notify("No earlier note to carry forward.", timeout=3)

    def action_edit_text(self) -> None:
        """Edit the version on screen; editing the composed one replaces a kept version."""
        if self._drafts.running or self.query_one(NotePreview).editing:
            return
        if self._text_source is TextSource.COMPOSER and self._final_source is not None:
            self._ask(
                "Edit the composed note instead of your own text?",
                f"Your {SOURCE_LABELS[self._final_source]} text is replaced by the composed "
                "note. Cancel, then f9, to edit your own text.",
                "Edit the composed note",
                self._edit_text,
            )
            return
        self._edit_text()

    def _edit_text(self) -> None:
        self._final_text = self.current_text()
        if self._text_source is TextSource.COMPOSER:
            self._text_source = self._final_source = TextSource.EDITED
        self.query_one(NotePreview).edit(self._final_text)
        self._refresh_now()

    def action_switch_version(self) -> None:
        """Between the composed note and the clinician's (or the model's) text; both are kept."""
        if self._drafts.running:
            return
        if self._text_source is not TextSource.COMPOSER:
            if self._text_source is TextSource.EDITED:
                self._ask(
                    "Show the note composed from the form?",
                    "Your edited text is kept until the note is signed: f9 switches back.",
                    "Show the composed note",
                    self._switch_to_composer,
                )
            else:
                self._switch_to_composer()
            return
        if self._final_source is None:
            self.notify("No edited text or draft yet: ^t edits the note, ^r drafts it.", timeout=4)
            return
        self._text_source = self._final_source
        self._refresh_now()
        self.notify("Showing your text again; f9 shows the composed note.", timeout=4)

    def _switch_to_composer(self) -> None:
        self._use_composer("Showing the composed note; form edits apply. f9: your text again.")
        self._refresh_now()

    def _use_composer(self, message: str) -> None:
        if self._text_source is TextSource.COMPOSER:
            return
        self._text_source = TextSource.COMPOSER
        self.query_one(NotePreview).stop_editing()
        self.notify(message, timeout=4)

    def _ask(self, question: str, detail: str, confirm: str, then: Callable[[], None]) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                then()

        self.app.push_screen(ConfirmScreen(question, detail, confirm, "Cancel"), answered)

    # --- drafting with the model ------------------------------------------------

    def action_draft(self) -> None:
        if self._drafts.running:
            return
        if self._final_source is TextSource.EDITED:
            self._ask(
                "Replace your edited text with a model draft?",
                "The edited text is not kept once the draft arrives.",
                "Draft",
                self._start_draft,
            )
            return
        self._start_draft()

    def _start_draft(self) -> None:
        self._drafts.start(self._current_details(), self.repos.settings.load())

    @on(DraftRunner.Finished)
    def _on_draft_finished(self, event: DraftRunner.Finished) -> None:
        result = event.result
        self._final_text = result.text
        self._text_source = self._final_source = TextSource.MODEL
        self._grounding = list(result.findings)
        self._refresh_now()
        model = result.model or "the model"
        self.notify(
            f"Draft by {model}: ^t edits it, f9 shows the composed note, ^r drafts again.",
            timeout=6,
        )

    @on(DraftRunner.Failed)
    def _on_draft_failed(self, event: DraftRunner.Failed) -> None:
        self._refresh_now()
        self.notify(event.message, severity="warning", timeout=10)

    def _cancel_draft(self) -> None:
        self._drafts.cancel()
        self._refresh_now()
        self.notify("Draft cancelled; the note text is as it was before.", timeout=4)

    # --- signing and addenda ------------------------------------------------------

    def action_sign(self) -> None:
        if self._drafts.running:
            return
        self.save_draft_now(force=True)
        if not self._in_vault:
            return
        settings = self.repos.settings.load()
        findings = self.repos.notes.findings_before_signing(self._note)
        stored_blockers = signing_blockers(self._note, settings, findings)
        blockers = signing_findings(self._form_findings(), stored_blockers)
        others = [finding for finding in findings if finding.severity is not Severity.ERROR]
        dialog = SignScreen(self.repos, self._note, settings, blockers, others)
        self.app.push_screen(dialog, self._on_signed)

    def _on_signed(self, signed: SessionNote | None) -> None:
        if signed is None:
            return
        for form in self.query(NoteForm):
            form.display = False
        self.add_class("-read-only")
        self._show_record(signed, "Signed. The note is now read-only.")

    def action_addendum(self) -> None:
        dialog = AddendumScreen(self.repos, self._note.id, self.repos.settings.load())
        self.app.push_screen(dialog, self._on_amended)

    def _on_amended(self, amended: SessionNote | None) -> None:
        if amended is not None:
            self._show_record(amended, "Addendum signed and added below the note.")
            # The addendum is the last thing in the note: show it, not the note's start.
            view = self.query_one("#preview-scroll")
            self.call_after_refresh(view.scroll_end, animate=False, immediate=True)

    def _show_record(self, note: SessionNote, notice: str) -> None:
        self._note = note
        self._update_title()
        self._show_signed()
        self.refresh_bindings()
        self.post_message(self.NoteSaved(note.id))
        self.notify(notice, timeout=4)

    # --- $EDITOR ---------------------------------------------------------------------

    def action_external_editor(self) -> None:
        """Edit the focused long-text field (or the final text) in $EDITOR."""
        field = self.focused
        if self.read_only or not isinstance(field, TextArea) or field.read_only:
            self.notify("Move to a text box first; f4 opens it in $EDITOR.", timeout=4)
            return
        try:
            with self.app.suspend():
                edited = edit_externally(field.text)
        except SuspendNotSupported:
            self.notify("This terminal cannot hand over to $EDITOR.", severity="warning")
            return
        except ExternalEditorError as error:
            self.notify(f"{error}.", severity="warning", timeout=8)
            return
        field.load_text(edited.rstrip("\n"))
        field.focus()

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

    # --- the psychotherapy note (kept apart: 45 CFR 164.501) ---------------------------

    def action_psychotherapy_note(self) -> None:
        if not self.read_only:
            self.save_draft_now(force=True)  # the process note belongs to a stored note
        self.app.push_screen(
            PsychotherapyNoteScreen(lambda: self.repos, self._note.id, self.client.id)
        )

    @on(FindingsList.OptionHighlighted)
    def _on_finding_highlighted(self) -> None:
        movable = self._process_note_finding() is not None
        self.query_one(FindingsList).border_subtitle = (
            "m: move to psychotherapy note" if movable else ""
        )

    def _process_note_finding(self) -> Finding | None:
        """The highlighted PROCESS-NOTE-CONTENT finding, when the findings list has focus."""
        if self.read_only or not self.is_mounted:
            return None
        findings = self.query(FindingsList)
        if not findings or not findings.first().has_focus:
            return None
        listed = findings.first()
        index = listed.highlighted
        if index is None or not 0 <= index < len(listed.findings):
            return None
        finding = listed.findings[index]
        return finding if finding.rule_id == "PROCESS-NOTE-CONTENT" and finding.sentence else None

    def action_move_to_psychotherapy_note(self) -> None:
        finding = self._process_note_finding()
        if finding is None:
            return
        sentence = finding.sentence.strip()
        if self._text_source == "composer":
            form = self.query_one(NoteForm)
            source_has_it = sentence_in_field(form, finding.field, sentence)
        else:
            source_has_it = remove_sentence(self._final_text, sentence) is not None
        if not source_has_it:
            self.notify("That sentence could not be found to move; edit it by hand.", timeout=6)
            return
        self.save_draft_now(force=True)
        repos = self.repos
        try:
            stored = repos.psychotherapy_notes.get(self._note.id)
            text = append_to_psychotherapy_note(stored.text if stored else "", sentence)
            repos.psychotherapy_notes.save(self._note.id, self.client.id, text)
        except Exception as error:  # noqa: BLE001 - the sentence stays where it was
            self.notify(describe_error(error), severity="error", timeout=10)
            return
        # Taken out of the progress note only once the psychotherapy note holds it.
        if self._text_source == "composer":
            remove_from_field(self.query_one(NoteForm), finding.field, sentence)
        else:
            self._final_text = remove_sentence(self._final_text, sentence) or ""
            preview = self.query_one(NotePreview)
            if preview.editing:
                preview.edit(self._final_text)
        self._refresh_now()
        self.query_one(FindingsList).focus()
        self.notify("Moved to the psychotherapy note (f6 opens it).", timeout=4)
