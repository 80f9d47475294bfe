"""The note editor's psychotherapy note: kept apart from the record (45 CFR 164.501).

f6 opens the private process note of this session; `m` on a PROCESS-NOTE-CONTENT
finding moves the flagged sentence out of the progress note into it, and only
once the psychotherapy note holds it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import on
from textual.screen import Screen

from core.checks.findings import Finding
from core.notes.model import Client, SessionNote, TextSource
from core.notes.psychotherapy_note import append_to_psychotherapy_note, remove_sentence
from tui.errors import describe_error
from tui.screens.psychotherapy_note import (
    PsychotherapyNoteScreen,
    remove_from_field,
    sentence_in_field,
)
from tui.widgets.findings_list import FindingsList
from tui.widgets.note_form import NoteForm

if TYPE_CHECKING:
    from tui.screens.note_editor_versions import ShownText

PROCESS_NOTE_RULE = "PROCESS-NOTE-CONTENT"


class PsychotherapyNoteActions(Screen[None]):
    """The psychotherapy note for the note editor (mixed into NoteEditorScreen)."""

    if TYPE_CHECKING:  # what the editor screen provides
        client: Client
        _note: SessionNote
        shown: ShownText

        @property
        def _text_source(self) -> TextSource: ...

        @property
        def _final_text(self) -> str: ...

        @property
        def repos(self) -> Any: ...

        @property
        def read_only(self) -> bool: ...

        def save_draft_now(self, *, force: bool = False) -> None: ...

        def _refresh_now(self) -> None: ...

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
        return finding if finding.rule_id == PROCESS_NOTE_RULE and finding.sentence else None

    def action_move_to_psychotherapy_note(self) -> None:
        finding = self._process_note_finding()
        if finding is None:
            return
        sentence = finding.sentence.strip()
        if self._text_source is TextSource.COMPOSER:
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
        if self._text_source is TextSource.COMPOSER:
            remove_from_field(self.query_one(NoteForm), finding.field, sentence)
            self._refresh_now()  # the form changed: at once, not after the typing pause
        else:
            remaining = remove_sentence(self._final_text, sentence) or ""
            self.shown = replace(self.shown, final_text=remaining)
        self.query_one(FindingsList).focus()
        self.notify("Moved to the psychotherapy note (f6 opens it).", timeout=4)
