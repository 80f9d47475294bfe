"""Sparklines and measure trends: what the client screen draws from the notes."""

from __future__ import annotations

from datetime import date, time, timedelta

from core.notes.model import (
    Attendance,
    Client,
    GoalEntry,
    GoalProgress,
    Instrument,
    MeasureResult,
    SessionDetails,
    SessionInfo,
    SessionNote,
)
from tui.widgets.trend import (
    GAP,
    band_legend,
    goal_legend,
    goal_progress_series,
    goal_sparkline,
    measure_series,
    measure_trend_line,
    sparkline,
)

CLIENT = Client(name="Sam Fictional", code="SF-0001")
FIRST = date(2026, 9, 1)


def note_on(day: date, *, goals=(), measures=(), attendance=Attendance.ATTENDED) -> SessionNote:
    details = SessionDetails(
        client=CLIENT,
        session=SessionInfo(day, time(9, 0), time(9, 50), attendance=attendance),
        goals=goals,
        measures=measures,
    )
    return SessionNote(client_id=CLIENT.id, details=details)


def test_sparkline_spans_the_lowest_to_the_highest_block_and_draws_gaps():
    assert sparkline([0, 27, None, 13.5], 0, 27) == "▁█" + GAP + "▅"


def test_sparkline_clamps_values_outside_the_range():
    assert sparkline([-5, 99], 0, 10) == "▁█"


def test_goal_series_is_oldest_first_and_skips_missed_sessions():
    notes = [
        note_on(FIRST + timedelta(weeks=2), goals=(GoalEntry("g1", "Sleep", GoalProgress.MET),)),
        note_on(FIRST, goals=(GoalEntry("g1", "Sleep", GoalProgress.REGRESSING),)),
        note_on(FIRST + timedelta(weeks=1), attendance=Attendance.NO_SHOW),
        note_on(
            FIRST + timedelta(weeks=3),
            goals=(GoalEntry("g1", "Sleep", GoalProgress.NOT_ADDRESSED),),
        ),
    ]
    series = goal_progress_series(notes, "g1")
    assert series == [GoalProgress.REGRESSING, GoalProgress.MET, None]
    assert goal_sparkline(series) == "▁█" + GAP


def test_goal_series_keeps_only_the_last_sessions():
    notes = [
        note_on(
            FIRST + timedelta(weeks=week),
            goals=(GoalEntry("g1", "Sleep", GoalProgress.PROGRESSING),),
        )
        for week in range(12)
    ]
    assert len(goal_progress_series(notes, "g1", last=8)) == 8


def test_measure_series_collects_each_instrument_by_date():
    notes = [
        note_on(FIRST + timedelta(weeks=1), measures=(MeasureResult(Instrument.PHQ9, total=12),)),
        note_on(
            FIRST,
            measures=(
                MeasureResult(Instrument.PHQ9, total=18),
                MeasureResult(Instrument.GAD7, total=9),
            ),
        ),
    ]
    assert measure_series(notes) == {
        Instrument.PHQ9: [(FIRST, 18), (FIRST + timedelta(weeks=1), 12)],
        Instrument.GAD7: [(FIRST, 9)],
    }


def test_measure_trend_line_names_the_latest_band_and_the_first_score():
    line = measure_trend_line(Instrument.PHQ9, [(FIRST, 18), (FIRST + timedelta(weeks=4), 8)]).plain
    assert line.startswith("PHQ-9")
    assert "8/27 mild" in line
    assert line.endswith("(from 18)")


def bar_heights_and_colours(line) -> list[tuple[str, str]]:
    """(block, style) of each bar of a trend line, skipping the instrument's name."""
    start = len(line.plain.split(" ")[0]) + 1
    bars = []
    for index in range(start, len(line.plain)):
        char = line.plain[index]
        if char not in "▁▂▃▄▅▆▇█":
            if bars:
                break
            continue
        styles = [str(span.style) for span in line.spans if span.start <= index < span.end]
        bars.append((char, styles[-1] if styles else ""))
    return bars


def test_measure_bars_use_the_whole_scale_and_the_band_colours():
    # A PHQ-9 of 9 (mild) is a low bar, not a full one because it is the client's highest.
    line = measure_trend_line(Instrument.PHQ9, [(FIRST, 9), (FIRST + timedelta(weeks=1), 4)])
    assert bar_heights_and_colours(line) == [("▃", "yellow"), ("▂", "green")]
    assert "4/27 minimal" in line.plain
    # GAD-7 16 (severe) near the top of 0-21; PCL-5 40 at half of 0-80.
    assert bar_heights_and_colours(measure_trend_line(Instrument.GAD7, [(FIRST, 16)])) == [
        ("▆", "bold red")
    ]
    assert bar_heights_and_colours(measure_trend_line(Instrument.PCL5, [(FIRST, 40)]))[0][0] == "▅"


def test_band_legend_names_each_band_with_its_range_in_its_colour():
    legend = band_legend(Instrument.PHQ9)
    assert (
        legend.plain
        == "minimal 0-4  mild 5-9  moderate 10-14  moderately severe 15-19  severe 20-27"
    )
    assert len(legend.plain) <= 78  # one line at 80 columns
    styles = {legend.plain[span.start : span.end]: str(span.style) for span in legend.spans}
    assert styles["mild 5-9"] == "yellow" and styles["severe 20-27"] == "bold red"


def test_pcl5_trend_line_uses_the_cut_off_wording():
    line = measure_trend_line(Instrument.PCL5, [(FIRST, 40)]).plain
    assert "40/80 above the probable-PTSD cut-off" in line


def test_the_help_legend_shows_the_marks_the_plan_draws():
    from tui.screens.help import help_markdown

    legend = help_markdown()
    for progress, word in (
        (GoalProgress.REGRESSING, "regressing"),
        (GoalProgress.MAINTAINING, "maintaining"),
        (GoalProgress.PROGRESSING, "progressing"),
        (GoalProgress.MET, "met"),
    ):
        assert f"{goal_sparkline([progress])} {word}" in legend, word
        assert f"{goal_sparkline([progress])} {word}" in goal_legend().plain, word
    assert f"{GAP} not addressed" in legend
    assert f"{GAP} not addressed" in goal_legend().plain
