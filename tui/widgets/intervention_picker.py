"""Interventions: modality, technique (any text; the lexicon completes it), what it was for."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, OptionList, Select
from textual.widgets.option_list import Option

from core.notes.lexicon import all_techniques, canonical_technique
from core.notes.model import Intervention

MODALITY_ID = "f-interventions"  # where a finding about `interventions` sends the focus
DETAIL_FIELD = "intervention.detail"  # the form's field path for the detail typed, not added
DETAIL_ID = "f-intervention-detail"
TECHNIQUE_ID = "f-technique"
NO_MODALITY = ""  # a technique used across modalities, or one the clinician names alone


class InterventionList(OptionList):
    """The interventions chosen so far; Delete removes the highlighted one."""

    BINDINGS = [
        Binding("delete,backspace", "remove", "Remove", id="editor.remove_intervention"),
    ]

    @dataclass
    class Removed(Message):
        index: int

    def action_remove(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Removed(self.highlighted))


class InterventionPicker(Vertical):
    """Pick a modality, type the technique (completed from the lexicon, never limited to it),
    say what it was for; Enter adds it."""

    @dataclass
    class Changed(Message):
        """An intervention was added or removed."""

        picker: InterventionPicker

    def __init__(
        self,
        modalities: dict[str, tuple[str, ...]],
        chosen: tuple[Intervention, ...] = (),
        detail: str = "",
    ) -> None:
        super().__init__(id="intervention-picker")
        self._modalities = modalities
        self._chosen: list[Intervention] = list(chosen)
        self._detail = detail

    @property
    def interventions(self) -> tuple[Intervention, ...]:
        return tuple(self._chosen)

    @property
    def pending_detail(self) -> str:
        """The detail typed for an intervention not added yet ("" when none)."""
        return self.query_one(f"#{DETAIL_ID}", Input).value

    def compose(self) -> ComposeResult:
        names = list(self._modalities)
        first = names[0] if names else NO_MODALITY
        yield Select(
            [(name, name) for name in names] + [("no modality", NO_MODALITY)],
            value=first,
            allow_blank=False,
            id=MODALITY_ID,
            compact=True,
        )
        yield Input(
            placeholder="technique: type, Right arrow completes",
            id=TECHNIQUE_ID,
            compact=True,
            select_on_focus=False,
            suggester=self._suggester(first),
        )
        yield Input(
            self._detail,
            placeholder="what for? Enter adds it",
            id=DETAIL_ID,
            compact=True,
            select_on_focus=False,
        )
        yield Button("Add intervention", id="add-intervention", compact=True)
        yield InterventionList(id="f-intervention-list", compact=True)

    def on_mount(self) -> None:
        self._show_chosen()

    def _show_chosen(self) -> None:
        listing = self.query_one(InterventionList)
        listing.clear_options()
        listing.add_options(
            Option(
                (f"{item.modality}: " if item.modality else "")
                + item.technique
                + (f" — {item.detail}" if item.detail else "")
            )
            for item in self._chosen
        )
        listing.display = bool(self._chosen)
        if self._chosen:
            listing.highlighted = len(self._chosen) - 1

    def _add(self) -> None:
        modality = self.query_one(f"#{MODALITY_ID}", Select).value
        technique = self.query_one(f"#{TECHNIQUE_ID}", Input)
        detail = self.query_one(f"#{DETAIL_ID}", Input)
        if not technique.value.strip():
            self.app.notify("Type the technique first.", severity="warning")
            technique.focus()
            return
        named = canonical_technique(technique.value)
        self._chosen.append(Intervention(str(modality), named, detail.value.strip()))
        detail.value = ""
        technique.value = ""
        self._show_chosen()
        technique.focus()
        self.post_message(self.Changed(self))

    def _suggester(self, modality: str) -> SuggestFromList:
        """The chosen modality's techniques first, then every other lexicon technique."""
        first = self._modalities.get(modality, ())
        rest = [name for name in all_techniques() if name not in first]
        return SuggestFromList([*first, *rest], case_sensitive=False)

    @on(Input.Submitted, f"#{TECHNIQUE_ID}")
    def _on_technique_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(f"#{DETAIL_ID}", Input).focus()

    @on(Button.Pressed, "#add-intervention")
    @on(Input.Submitted, f"#{DETAIL_ID}")
    def _on_add(self, event: Button.Pressed | Input.Submitted) -> None:
        event.stop()
        self._add()

    @on(InterventionList.Removed)
    def _on_removed(self, event: InterventionList.Removed) -> None:
        event.stop()
        if 0 <= event.index < len(self._chosen):
            del self._chosen[event.index]
            self._show_chosen()
            self.post_message(self.Changed(self))

    @on(Select.Changed)
    def _on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.id == MODALITY_ID:
            self.query_one(f"#{TECHNIQUE_ID}", Input).suggester = self._suggester(str(event.value))
