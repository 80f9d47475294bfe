"""The note form's building blocks: a question line and fields named by their field path."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Select, Static, TextArea

from core.notes.note_sections import NotePart
from core.text_safety import strip_control
from tui.widgets.form_values import field_widget_id


class Question(Static):
    """The one-line question that opens a section of the form; `part`: what the section fills."""

    def __init__(self, question: str, part: NotePart) -> None:
        super().__init__(question)
        self.part = part


def text_input(field_path: str, value: str, placeholder: str, tooltip: str = "") -> Input:
    # No select-on-focus: a stray key must not replace a whole entry such as the date.
    widget = Input(
        value,
        placeholder=placeholder,
        id=field_widget_id(field_path),
        compact=True,
        select_on_focus=False,
        # The form marks unreadable entries itself (-invalid); Textual's own validation
        # on blur would clear that mark as soon as the field is left.
        validate_on=(),
    )
    widget.tooltip = tooltip or None
    return widget


def labelled_input(field_path: str, value: str, label: str, placeholder: str = "") -> Horizontal:
    """A one-line input with its short label beside it, still readable once the field is filled."""
    field = text_input(field_path, value, placeholder, label)
    return Horizontal(Static(label, classes="field-label", markup=False), field, classes="labelled")


def pick_list(field_path: str, options, value, prompt: str) -> Select:
    """A pick list that always holds a value (enum members are stored by their value)."""
    return Select(
        options,
        value=str(value.value) if hasattr(value, "value") else value,
        allow_blank=False,
        prompt=prompt,
        id=field_widget_id(field_path),
        compact=True,
    )


def long_text(field_path: str, text: str, placeholder: str) -> TextArea:
    return TextArea(
        text,
        placeholder=placeholder,
        id=field_widget_id(field_path),
        soft_wrap=True,
        tab_behavior="focus",
        compact=True,
        classes="long-text",
    )


def field_text(root: Widget, field_path: str) -> str:
    """What the field for `field_path` under `root` holds now, as text ("" for no choice)."""
    widget = root.query_one(f"#{field_widget_id(field_path)}")
    if isinstance(widget, TextArea):
        return strip_control(widget.text)  # pasted text may carry terminal escapes
    if isinstance(widget, Select):
        return "" if widget.value is Select.NULL else str(widget.value)
    assert isinstance(widget, Input)
    return strip_control(widget.value)
