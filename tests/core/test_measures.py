"""Measure scoring: severity bands at every boundary, item 9, score changes."""

from datetime import date

import pytest

from core.notes.measures import SPECS, describe_measure, phq9_item9, score_change, severity_band
from core.notes.model import Instrument, MeasureResult, PreviousScore, PriorTotal

SESSION_DAY = date(2025, 3, 4)


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "moderately severe"),
        (19, "moderately severe"),
        (20, "severe"),
        (27, "severe"),
    ],
)
def test_phq9_bands(total, band):
    assert severity_band(Instrument.PHQ9, total) == band


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),
        (9, "mild"),
        (10, "moderate"),
        (14, "moderate"),
        (15, "severe"),
        (21, "severe"),
    ],
)
def test_gad7_bands(total, band):
    assert severity_band(Instrument.GAD7, total) == band


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "below the probable-PTSD cut-off of 31-33"),
        (30, "below the probable-PTSD cut-off of 31-33"),
        (31, "within the probable-PTSD cut-off range of 31-33"),
        (33, "within the probable-PTSD cut-off range of 31-33"),
        (34, "above the probable-PTSD cut-off of 31-33"),
        (80, "above the probable-PTSD cut-off of 31-33"),
    ],
)
def test_pcl5_cut_off(total, band):
    assert severity_band(Instrument.PCL5, total) == band


@pytest.mark.parametrize("instrument", list(Instrument))
def test_bands_cover_every_possible_total_without_gaps(instrument):
    spec = SPECS[instrument]
    for total in range(spec.total_max + 1):
        severity_band(instrument, total)
    with pytest.raises(ValueError):
        severity_band(instrument, spec.total_max + 1)


def test_item_counts_and_ranges():
    assert (SPECS[Instrument.PHQ9].item_count, SPECS[Instrument.PHQ9].total_max) == (9, 27)
    assert (SPECS[Instrument.GAD7].item_count, SPECS[Instrument.GAD7].total_max) == (7, 21)
    assert (SPECS[Instrument.PCL5].item_count, SPECS[Instrument.PCL5].total_max) == (20, 80)


def test_phq9_item9_is_read_only_from_items():
    assert phq9_item9(MeasureResult(Instrument.PHQ9, items=(0,) * 8 + (2,))) == 2
    assert phq9_item9(MeasureResult(Instrument.PHQ9, total=12)) is None
    assert phq9_item9(MeasureResult(Instrument.GAD7, items=(1,) * 7)) is None


def test_item9_above_zero_is_called_out_whatever_the_total():
    text = describe_measure(MeasureResult(Instrument.PHQ9, items=(0,) * 8 + (1,)))
    assert text == "PHQ-9 1 (minimal). Item 9 (thoughts of death or self-harm) scored 1."
    quiet = describe_measure(MeasureResult(Instrument.PHQ9, items=(1,) * 8 + (0,)))
    assert "Item 9" not in quiet


def test_a_gad7_is_reported_by_band_never_with_screening_advice():
    # The 10-point cut-off screens people not yet diagnosed; a client in treatment
    # gets band and change only (domain.md).
    for total in range(22):
        text = describe_measure(MeasureResult(Instrument.GAD7, total=total))
        assert text == f"GAD-7 {total} ({severity_band(Instrument.GAD7, total)})."


def test_a_previous_total_from_the_session_file_gives_the_trend_without_vault_history():
    result = MeasureResult(Instrument.GAD7, total=12, previous=PriorTotal(date(2026, 11, 2), 15))
    text = describe_measure(result, (), date(2026, 11, 23))
    assert text == "GAD-7 12 (moderate), down 3 from 15 on 2026-11-02."
    vault = (PreviousScore(Instrument.GAD7, date(2026, 11, 16), 13),)
    assert "down 1 from 13 on 2026-11-16" in describe_measure(result, vault, date(2026, 11, 23))


def previous(instrument, score, day=date(2025, 2, 18)):
    return (PreviousScore(instrument, day, score),)


def change_text(instrument, before, now):
    result = MeasureResult(instrument, total=now)
    return score_change(result, previous(instrument, before), SESSION_DAY).describe()


def test_change_uses_the_latest_earlier_score_of_the_same_instrument():
    scores = (
        PreviousScore(Instrument.PHQ9, date(2025, 1, 7), 22),
        PreviousScore(Instrument.PHQ9, date(2025, 2, 18), 18),
        PreviousScore(Instrument.PHQ9, date(2025, 3, 11), 5),  # later than this session
        PreviousScore(Instrument.GAD7, date(2025, 3, 1), 3),
    )
    change = score_change(MeasureResult(Instrument.PHQ9, total=14), scores, SESSION_DAY)
    assert change.previous.score == 18
    assert change.delta == -4
    assert score_change(MeasureResult(Instrument.PCL5, total=14), scores, SESSION_DAY) is None


def test_phq9_response_at_exactly_half():
    assert change_text(Instrument.PHQ9, 20, 10) == (
        "down 10 from 20 on 2025-02-18; response (50% drop or more)"
    )
    assert change_text(Instrument.PHQ9, 20, 11) == "down 9 from 20 on 2025-02-18"


def test_phq9_remission_under_5_from_an_elevated_score():
    assert "remission (under 5)" in change_text(Instrument.PHQ9, 8, 4)
    assert "remission" not in change_text(Instrument.PHQ9, 8, 5)
    assert "remission" not in change_text(Instrument.PHQ9, 4, 3)


def test_pcl5_response_and_meaningful_change():
    assert change_text(Instrument.PCL5, 50, 46) == "down 4 from 50 on 2025-02-18"
    assert change_text(Instrument.PCL5, 50, 45).endswith("; response (5 points or more)")
    assert change_text(Instrument.PCL5, 50, 41).endswith("; response (5 points or more)")
    assert change_text(Instrument.PCL5, 50, 40).endswith(
        "; clinically meaningful change (10 points or more)"
    )


def test_increase_and_no_change():
    assert change_text(Instrument.GAD7, 8, 12) == "up 4 from 8 on 2025-02-18"
    assert change_text(Instrument.GAD7, 8, 8) == "unchanged from 8 on 2025-02-18"
