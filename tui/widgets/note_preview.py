"""The note as it will be signed: rendered Markdown, a streamed draft, or the final text being edited.

The note is rendered with Rich's Markdown into lines drawn by a scroll view:
about 10 ms for a full note and no screen layout, where rebuilding Textual's
Markdown widget takes about 200 ms, too slow to follow typing
(benchmarks/bench_editor.py).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from rich.markdown import Markdown as RichMarkdown
from rich.segment import Segment
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static, TextArea

from core.notes.note_text import HEADER_SECTION, section_named, split_sections
from core.text_safety import strip_control
from tui.display_text import plain_multiline

STREAM_REDRAW_EVERY = 0.05  # seconds: at most 20 redraws a second while a draft streams


class NoteView(ScrollView, can_focus=True):
    """Markdown pre-rendered to lines and drawn line by line, like a log.

    Changing the text never triggers a screen layout (the scrollbar is always
    there), which costs tens of ms with the whole form on screen.
    """

    COMPONENT_CLASSES = {"note-view--section"}

    DEFAULT_CSS = """
    NoteView {
        overflow-y: scroll;
        overflow-x: hidden;
    }
    NoteView > .note-view--section {
        background: $primary 20%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._markdown = ""
        self._strips: list[Strip] = []
        self._rendered_width = 0
        self._followed: str | None = None  # the section being filled, highlighted
        self._section_lines: dict[str, tuple[int, int]] = {}
        self._compact_header = False

    def set_markdown(self, text: str) -> None:
        # A signed note is kept byte for byte (its hash), even one imported with an ESC
        # in it: Rich would pass that to the terminal, so controls are shown escaped.
        self._markdown = plain_multiline(text)
        self._render_strips()

    def follow(self, section: str | None) -> None:
        """Highlight `section` (a heading, or HEADER_SECTION) and scroll it into view."""
        self._followed = section
        self._render_strips()

    @property
    def followed(self) -> str | None:
        return self._followed

    def set_compact_header(self, compact: bool) -> None:
        """Show the note's header as one line (a short terminal), unless it is being filled."""
        if compact != self._compact_header:
            self._compact_header = compact
            self._render_strips()

    def _render_strips(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            return  # not laid out yet: on_resize renders it
        console = self.app.console
        options = console.options.update_width(width)
        header, body = self._markdown, ""
        if self._compact_header and self._followed != HEADER_SECTION:
            header, body = _split_header(self._markdown)
        lines = []
        if body:
            summary = Text(one_line_header(header), style="dim", no_wrap=True, overflow="ellipsis")
            lines = console.render_lines(summary, options, pad=False)[:1]
            header = body
        lines += console.render_lines(RichMarkdown(header), options, pad=False)
        self._strips = [Strip(line) for line in lines]
        self._rendered_width = width
        self._section_lines = _heading_lines(self._markdown, self._strips)
        # As Widget._size_updated(layout=False) does: a new height for the scrollbar
        # without a layout pass of the whole screen.
        self.set_reactive(Widget.virtual_size, Size(width, len(self._strips)))
        self._scroll_update(self.virtual_size)
        span = self._section_lines.get(self._followed or "")
        if span is not None:
            self.scroll_to(y=span[0], animate=False, immediate=True)
        self.refresh()

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._rendered_width:
            self._render_strips()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        base = self.rich_style
        width = self.scrollable_content_region.width
        if index >= len(self._strips):
            return Strip.blank(width, base)
        post = None
        span = self._section_lines.get(self._followed or "")
        if span is not None and span[0] <= index < span[1] and self._followed != HEADER_SECTION:
            post = self.get_component_rich_style("note-view--section")
        strip = Strip(Segment.apply_style(self._strips[index], base, post))
        return strip.crop_extend(scroll_x, scroll_x + width, base).apply_offsets(scroll_x, index)


def _section_start(text: str, name: str | None) -> tuple[int, int]:
    """(row, column) of the first text in the section headed `name`; (0, 0) if none."""
    section = section_named(text, name) if name and name != HEADER_SECTION else None
    if section is None:
        return 0, 0
    offset = section.start + len(section.body) - len(section.body.lstrip())
    row = text.count("\n", 0, offset)
    return row, offset - (text.rfind("\n", 0, offset) + 1)


def _split_header(markdown: str) -> tuple[str, str]:
    """(the header before the first `## ` heading, the rest); the rest is "" without one.

    Also "" when the header holds anything but its title and `- label: value` items
    (hand edits, a late-entry line): one line of values would hide that text.
    """
    match = re.search(r"^## ", markdown, re.MULTILINE)
    if match is None:
        return markdown, ""
    header = markdown[: match.start()]
    if any(line.strip() and not _HEADER_LINE.match(line) for line in header.splitlines()):
        return markdown, ""
    return header, markdown[match.start() :]


# What clinote's own header is made of: the note's title, list items, continued items.
_HEADER_LINE = re.compile(r"^(?:# \S.*|\s*[-*]\s+\S.*|\s{2,}\S.*)$")


def one_line_header(header: str) -> str:
    """The header's list items on one line, without their labels: `Name (code) · date · …`."""
    values = []
    for line in header.splitlines():
        item = re.match(r"^\s*[-*]\s+(?:[^:]{1,30}:\s*)?(.*)$", line)
        if item and item.group(1).strip():
            values.append(item.group(1).strip())
    return " · ".join(values)


def _heading_lines(markdown: str, strips: list[Strip]) -> dict[str, tuple[int, int]]:
    """Each section's first and past-last rendered line, found by its heading's text."""
    names = [section.name for section in split_sections(markdown)[1:]]
    starts: dict[str, int] = {}
    line = 0
    for name in names:
        while line < len(strips) and strips[line].text.strip() != name:
            line += 1
        if line == len(strips):
            break
        starts[name] = line
    ordered = sorted(starts.items(), key=lambda item: item[1])
    spans = {HEADER_SECTION: (0, ordered[0][1] if ordered else len(strips))}
    for index, (name, start) in enumerate(ordered):
        end = ordered[index + 1][1] if index + 1 < len(ordered) else len(strips)
        spans[name] = (start, end)
    return spans


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
        self._source = ""
        self._streamed: list[str] = []
        self._last_stream_redraw = 0.0
        self._stream_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="preview-source", markup=False)
        yield NoteView(id="preview-scroll")
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
        if label != self._source:
            self._source = label
            self.query_one("#preview-source", Static).update(label, layout=False)

    def show(self, text: str) -> None:
        """Render the text, unless it is already on screen."""
        if text == self._shown:
            return
        self._shown = text
        self.query_one(NoteView).set_markdown(text)

    def follow(self, section: str | None) -> None:
        """Scroll to and highlight the section being filled (HEADER_SECTION: the header)."""
        self.query_one(NoteView).follow(section)

    def set_compact_header(self, compact: bool) -> None:
        self.query_one(NoteView).set_compact_header(compact)

    def forget_shown(self) -> None:
        """The next show() renders even the same text (after a stream replaced it)."""
        self._shown = None

    # --- streaming a draft ------------------------------------------------------

    def begin_stream(self) -> None:
        """Clear the preview; fragments passed to stream() are appended as they come."""
        self.stop_editing()
        self._streamed = []
        self._last_stream_redraw = 0.0
        self.show("")

    def stream(self, fragment: str) -> None:
        self._streamed.append(fragment)
        if time.monotonic() - self._last_stream_redraw >= STREAM_REDRAW_EVERY:
            self._redraw_stream()
        elif self._stream_timer is None:
            self._stream_timer = self.set_timer(STREAM_REDRAW_EVERY, self._redraw_stream)

    def _redraw_stream(self) -> None:
        self._stream_timer = None
        self._last_stream_redraw = time.monotonic()
        self.show("".join(self._streamed))
        self.query_one(NoteView).scroll_end(animate=False)

    def end_stream(self) -> None:
        if self._stream_timer is not None:
            self._stream_timer.stop()
            self._stream_timer = None
        self._streamed = []
        self.forget_shown()

    # --- editing the final text -------------------------------------------------

    def edit(self, text: str) -> None:
        """Swap the rendered view for an editor holding the final text."""
        editor = self.query_one("#final-text", TextArea)
        text = strip_control(text)  # a draft from an older clinote may hold some
        editor.load_text(text)
        # Where the clinician was: the followed section's first words, not the title.
        editor.move_cursor(_section_start(text, self.query_one(NoteView).followed))
        editor.display = True
        self.query_one("#preview-scroll").display = False
        editor.focus()

    def stop_editing(self) -> None:
        self.query_one("#final-text").display = False
        self.query_one("#preview-scroll").display = True

    @on(TextArea.Changed, "#final-text")
    def _on_final_text_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if not self.editing:
            return
        area = event.text_area
        clean = strip_control(area.text)
        if clean != area.text:
            # Pasted terminal escapes or bidi controls: drawn raw by the text box, and
            # signed for good. Taken out here; this Changed comes back with the clean text.
            cursor = area.cursor_location
            area.load_text(clean)
            area.move_cursor(cursor)
            return
        self.post_message(self.TextEdited(self, clean))
