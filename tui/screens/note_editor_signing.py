"""The note editor's signing: sign a draft, show a signed note read-only, add signed addenda.

A signed note is never changed (Medicare PIM ch. 3): from then on the editor
shows it with its addenda, and only a new, dated addendum can be added below it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from core.checks.findings import Finding, Severity
from core.notes.model import SessionNote
from core.notes.records import (
    UNVERIFIED_LABEL,
    render_note_with_addenda,
    signing_blockers,
    unverified_signature_count,
)
from tui.display_text import plain
from tui.screens.addendum import AddendumScreen
from tui.screens.note_editor_findings import signing_findings
from tui.screens.sign import SignScreen
from tui.widgets.findings_list import FindingsList
from tui.widgets.note_form import NoteForm
from tui.widgets.note_preview import NotePreview

if TYPE_CHECKING:
    from tui.app import ClinoteApp
    from tui.widgets.draft_runner import DraftRunner


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
