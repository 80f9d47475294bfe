"""The note editor's signing: sign a draft, show a signed note read-only, add signed addenda.

A signed note is never changed (Medicare PIM ch. 3): from then on the editor
shows it with its addenda, and only a new, dated addendum can be added below it.

The checks before signing read the client's history and run every rule: they
run in a worker, so a long note never freezes the screen, and their result is
used only if the note is still the one that was checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.message import Message
from textual.screen import Screen

from core.checks.findings import Finding, Severity
from core.notes.model import SessionNote, Settings
from core.notes.records import (
    UNVERIFIED_LABEL,
    render_note_with_addenda,
    signing_blockers,
    unverified_signature_count,
)
from tui.display_text import plain
from tui.errors import describe_error
from tui.screens.addendum import AddendumScreen
from tui.screens.note_editor_findings import signing_findings
from tui.screens.sign import SignScreen
from tui.widgets.findings_list import FindingsList
from tui.widgets.note_form import NoteForm
from tui.widgets.note_preview import NotePreview

if TYPE_CHECKING:
    from tui.app import ClinoteApp
    from tui.widgets.draft_runner import DraftRunner

SIGN_CHECK_GROUP = "sign-check"
NOTE_CHANGED = "The note changed while it was being checked; ^g again signs it as it is now."


class NoteSigning(Screen[None]):
    """Signing and addenda for the note editor (mixed into NoteEditorScreen)."""

    app: ClinoteApp  # typed, so self.app.repos type-checks

    if TYPE_CHECKING:  # what the editor screen provides
        _note: SessionNote
        _in_vault: bool
        _drafts: DraftRunner

        @property
        def repos(self) -> Any: ...

        def save_draft_now(self, *, force: bool = False) -> None: ...

        def _form_findings(self) -> list[Finding]: ...

        def _update_title(self) -> None: ...

        def _announce_saved(self, note: SessionNote) -> None: ...

        def _current_draft(self) -> tuple[SessionNote, tuple[Any, ...]] | None: ...

    @dataclass
    class _SigningChecked(Message):
        """The checks before signing, for the stored note as it was when ^g was pressed."""

        request: int
        note: SessionNote
        settings: Settings
        findings: list[Finding]

    @dataclass
    class _SigningCheckFailed(Message):
        request: int
        message: str

    _sign_requests = 0  # bumped at each ^g: only the latest check may open the dialog
    _checked_draft: tuple[Any, ...] | None = None  # the form and text as they were checked

    def action_sign(self) -> None:
        if self._drafts.running:
            return
        self.save_draft_now(force=True)
        if not self._in_vault:
            return
        self._sign_requests += 1
        current = self._current_draft()
        self._checked_draft = current[1] if current is not None else None
        self._check_before_signing(self._sign_requests, self.repos, self._note)

    @work(thread=True, exclusive=True, group=SIGN_CHECK_GROUP, exit_on_error=False)
    def _check_before_signing(self, request: int, repos: Any, note: SessionNote) -> None:
        # A worker never touches widgets: it posts what it found.
        try:
            settings = repos.settings.load()
            findings = repos.notes.findings_before_signing(note)
        except Exception as error:  # noqa: BLE001 - one line; no traceback may carry note text
            self.post_message(
                self._SigningCheckFailed(request, f"Not signed: {describe_error(error)}")
            )
            return
        self.post_message(self._SigningChecked(request, note, settings, findings))

    def _still_as_checked(self, note: SessionNote) -> bool:
        """Whether the note, stored and on screen, is unchanged since it was checked."""
        current = self._current_draft()
        now = current[1] if current is not None else None
        return self._note == note and now == self._checked_draft

    @on(_SigningCheckFailed)
    def _on_signing_check_failed(self, event: _SigningCheckFailed) -> None:
        if event.request == self._sign_requests:
            self.notify(event.message, severity="error", timeout=8, markup=False)

    @on(_SigningChecked)
    def _on_signing_checked(self, event: _SigningChecked) -> None:
        if event.request != self._sign_requests:
            return  # a later ^g asked again
        if self.app.screen is not self:
            self.notify("Not signed: another screen opened while the note was checked.")
            return
        if not self._still_as_checked(event.note):
            self.notify(NOTE_CHANGED, severity="warning", timeout=6)
            return
        note, settings, findings = event.note, event.settings, event.findings
        stored_blockers = signing_blockers(note, settings, findings)
        blockers = signing_findings(self._form_findings(), stored_blockers)
        others = [finding for finding in findings if finding.severity is not Severity.ERROR]
        dialog = SignScreen(self.repos, note, settings, blockers, others)
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
        self._announce_saved(note)
        self.notify(notice, timeout=4)

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
