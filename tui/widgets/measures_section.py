"""The note form's measures section: PHQ-9, GAD-7 and PCL-5 as a total or item scores."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from core.notes.model import Instrument, MeasureResult
from core.notes.note_sections import NotePart
from tui.widgets.form_fields import Question, field_text, labelled_input
from tui.widgets.form_values import ITEM_COUNTS, measure_field, measure_text, parse_measure


class MeasuresSection(Vertical):
    """One entry per instrument; an entry that does not parse shows as typed (`typed`)."""

    def __init__(self, given: tuple[MeasureResult, ...], typed: dict[str, str]) -> None:
        super().__init__(id="measures-section", classes="form-section")
        self._given = {result.instrument: result for result in given}
        self._typed = typed

    def compose(self) -> ComposeResult:
        yield Question("Measures given today (total or item scores)?", NotePart.MEASURES)
        for instrument in Instrument:
            field_path = measure_field(instrument)
            result = self._given.get(instrument)
            shown = measure_text(result) if result else ""
            yield labelled_input(
                field_path,
                self._typed.get(field_path, shown),
                instrument.value,
                f"total or {ITEM_COUNTS[instrument]} items",
            )

    def results(self, last_good: tuple[MeasureResult, ...]) -> tuple[MeasureResult, ...]:
        """The scores entered; an entry that does not parse keeps its `last_good` result."""
        results: list[MeasureResult] = []
        for instrument in Instrument:
            entry = parse_measure(instrument, field_text(self, measure_field(instrument)))
            if isinstance(entry, MeasureResult):
                results.append(entry)
            elif isinstance(entry, str):
                results.extend(m for m in last_good if m.instrument is instrument)
        return tuple(results)
