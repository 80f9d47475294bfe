"""The note editor's versions of the text: composed from the form, drafted by the model, edited.

The composed note follows the form; a model draft or the clinician's edited
text is kept beside it until signing, and f9 switches between the two. Nothing
the clinician wrote is replaced without a question first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on
from textual.screen import Screen

from core.checks.findings import Finding
from core.notes.model import SessionDetails, TextSource
from tui.screens.confirm import ConfirmScreen
from tui.widgets.draft_runner import DraftRunner
from tui.widgets.note_preview import NotePreview

SOURCE_LABELS = {
    TextSource.COMPOSER: "composed from the form",
    TextSource.MODEL: "model draft",
    TextSource.EDITED: "edited",
}


class TextVersions(Screen[None]):
    """Editing, switching and drafting the note text (mixed into NoteEditorScreen)."""

    if TYPE_CHECKING:  # what the editor screen provides
        _text_source: TextSource
        _final_text: str
        _final_source: TextSource | None
        _grounding: list[Finding]
        _drafts: DraftRunner

        @property
        def repos(self) -> Any: ...

        def current_text(self) -> str: ...

        def _current_details(self) -> SessionDetails: ...

        def _refresh_now(self) -> None: ...

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
