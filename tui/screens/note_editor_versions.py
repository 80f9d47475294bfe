"""The note editor's versions of the text: composed from the form, drafted by the model, edited.

The composed note follows the form; a model draft or the clinician's edited
text is kept beside it until signing, and f9 switches between the two. Nothing
the clinician wrote is replaced without a question first.

What the preview shows is one reactive value, `shown`: assigning a new one is
enough, its watcher brings the preview in line (which text, the text box for
hand edits, a draft streaming) and re-checks the note.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from textual import on
from textual.reactive import var
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


@dataclass(frozen=True)
class ShownText:
    """Which version the preview shows, the kept non-composed one, and how it is shown."""

    source: TextSource
    final_text: str  # the model's or the clinician's text, kept while the composed one shows
    final_source: TextSource | None  # whose final_text is (None: there is none yet)
    grounding: tuple[Finding, ...] = ()  # a model draft's own findings
    editing: bool = False  # the final text is open in the preview's text box
    drafting: bool = False  # a model draft streams into the preview


class TextVersions(Screen[None]):
    """Editing, switching and drafting the note text (mixed into NoteEditorScreen)."""

    # Set in __init__ without its watcher (nothing is mounted yet); on_mount shows it first.
    shown: var[ShownText] = var(ShownText(TextSource.COMPOSER, "", None), init=False)

    if TYPE_CHECKING:  # what the editor screen provides
        _drafts: DraftRunner

        @property
        def repos(self) -> Any: ...

        def current_text(self) -> str: ...

        def _current_details(self) -> SessionDetails: ...

        def _refresh_now(self) -> None: ...

    @property
    def _text_source(self) -> TextSource:
        return self.shown.source

    @property
    def _final_text(self) -> str:
        return self.shown.final_text

    @property
    def _final_source(self) -> TextSource | None:
        return self.shown.final_source

    @property
    def _grounding(self) -> list[Finding]:
        return list(self.shown.grounding)

    def watch_shown(self, shown: ShownText) -> None:
        """Bring the preview in line with what is to be shown, then compose and check it."""
        preview = self.query_one(NotePreview)
        if shown.editing:
            if not preview.editing or preview.shown_text != shown.final_text:
                preview.edit(shown.final_text)
        elif preview.editing:
            preview.stop_editing()
        self._refresh_now()

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
        text = self.current_text()
        if self._text_source is TextSource.COMPOSER:
            self.shown = replace(
                self.shown,
                source=TextSource.EDITED,
                final_text=text,
                final_source=TextSource.EDITED,
                editing=True,
            )
        else:
            self.shown = replace(self.shown, final_text=text, editing=True)

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
        self.shown = replace(self.shown, source=self._final_source)
        self.notify("Showing your text again; f9 shows the composed note.", timeout=4)

    def _switch_to_composer(self) -> None:
        self._use_composer("Showing the composed note; form edits apply. f9: your text again.")

    def _use_composer(self, message: str) -> None:
        if self._text_source is TextSource.COMPOSER:
            return
        self.shown = replace(self.shown, source=TextSource.COMPOSER, editing=False)
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
        self.shown = replace(self.shown, editing=False, drafting=True)
        self._drafts.start(self._current_details(), self.repos.settings.load())

    @on(DraftRunner.Finished)
    def _on_draft_finished(self, event: DraftRunner.Finished) -> None:
        result = event.result
        self.shown = ShownText(
            TextSource.MODEL, result.text, TextSource.MODEL, grounding=tuple(result.findings)
        )
        model = result.model or "the model"
        self.notify(
            f"Draft by {model}: ^t edits it, f9 shows the composed note, ^r drafts again.",
            timeout=6,
        )

    @on(DraftRunner.Failed)
    def _on_draft_failed(self, event: DraftRunner.Failed) -> None:
        self.shown = replace(self.shown, drafting=False)
        self.notify(event.message, severity="warning", timeout=10)

    def _cancel_draft(self) -> None:
        self._drafts.cancel()
        self.shown = replace(self.shown, drafting=False)
        self.notify("Draft cancelled; the note text is as it was before.", timeout=4)
