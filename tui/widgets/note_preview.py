"""The note as it will be signed: rendered Markdown, a streamed draft, or the final text being edited."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Markdown, Static, TextArea
from textual.widgets.markdown import MarkdownStream


class NotePreview(Vertical):
    """Shows one note text; can stream a draft into itself or turn into an editor."""

    @dataclass
    class TextEdited(Message):
        """The clinician changed the final text by hand."""

        preview: NotePreview
        text: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="preview-source", markup=False)
        with VerticalScroll(id="preview-scroll"):
            yield Markdown(id="preview-markdown")
        yield TextArea(id="final-text", soft_wrap=True, tab_behavior="focus", compact=True)

    def on_mount(self) -> None:
        self.query_one("#final-text").display = False

    @property
    def shown_text(self) -> str:
        """The Markdown currently on screen (the editor's text while editing)."""
        if self.editing:
            return self.query_one("#final-text", TextArea).text
        return self._shown or ""

    @property
    def editing(self) -> bool:
        return bool(self.query_one("#final-text").display)

    def set_source(self, label: str) -> None:
        self.query_one("#preview-source", Static).update(label)

    def show(self, text: str) -> AwaitComplete:
        """Render the text, unless it is already on screen."""
        if text == self._shown:
            return AwaitComplete.nothing()
        self._shown = text
        return self.query_one("#preview-markdown", Markdown).update(text)

    def forget_shown(self) -> None:
        """The next show() renders even the same text (after a stream replaced it)."""
        self._shown = None

    def begin_stream(self) -> MarkdownStream:
        """Clear the preview and return a stream that appends fragments as they arrive."""
        self.stop_editing()
        markdown = self.query_one("#preview-markdown", Markdown)
        markdown.update("")
        self._shown = None
        return Markdown.get_stream(markdown)

    def edit(self, text: str) -> None:
        """Swap the rendered view for an editor holding the final text."""
        editor = self.query_one("#final-text", TextArea)
        editor.load_text(text)
        editor.display = True
        self.query_one("#preview-scroll").display = False
        editor.focus()

    def stop_editing(self) -> None:
        self.query_one("#final-text").display = False
        self.query_one("#preview-scroll").display = True

    @on(TextArea.Changed, "#final-text")
    def _on_final_text_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self.editing:
            self.post_message(self.TextEdited(self, event.text_area.text))
