"""The note form reads measure entries with the ranges core.notes.measures defines."""

from __future__ import annotations

import pytest

from core.notes.measures import SPECS
from core.notes.model import Instrument, MeasureResult
from tui.widgets.form_values import parse_measure


@pytest.mark.parametrize("instrument", list(Instrument))
def test_a_total_is_read_up_to_the_instruments_maximum(instrument: Instrument) -> None:
    spec = SPECS[instrument]
    assert parse_measure(instrument, str(spec.total_max)) == MeasureResult(
        instrument, total=spec.total_max
    )
    assert parse_measure(instrument, str(spec.total_max + 1)) == (
        f"{instrument.value}: total must be 0-{spec.total_max}"
    )


@pytest.mark.parametrize("instrument", list(Instrument))
def test_item_scores_are_read_with_the_instruments_count_and_range(instrument: Instrument) -> None:
    spec = SPECS[instrument]
    items = [spec.item_max] * spec.item_count
    assert parse_measure(instrument, " ".join(map(str, items))) == MeasureResult(
        instrument, items=tuple(items)
    )
    too_high = [spec.item_max + 1] + items[1:]
    assert parse_measure(instrument, " ".join(map(str, too_high))) == (
        f"{instrument.value}: each item is 0-{spec.item_max}"
    )
    assert parse_measure(instrument, "1 1") == (
        f"{instrument.value}: give the total or all {spec.item_count} item scores"
    )
