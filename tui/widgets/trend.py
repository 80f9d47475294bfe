"""Trends at a glance: text sparklines for goal progress and measure scores."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from rich.text import Text

from core.notes.measures import SPECS, severity_band
from core.notes.model import GoalProgress, Instrument, SessionNote

BLOCKS = "▁▂▃▄▅▆▇█"
GAP = "·"
# How high each progress rating draws; not addressed leaves a gap.
PROGRESS_HEIGHT = {
    GoalProgress.REGRESSING: 0.0,
    GoalProgress.MAINTAINING: 0.4,
    GoalProgress.PROGRESSING: 0.75,
    GoalProgress.MET: 1.0,
}
BAND_STYLES = ("green", "yellow", "dark_orange", "red", "bold red")
PROGRESS_STYLES = {
    GoalProgress.REGRESSING: "red",
    GoalProgress.MAINTAINING: "yellow",
    GoalProgress.PROGRESSING: "green",
    GoalProgress.MET: "bold green",
}
PROGRESS_ORDER = (
    GoalProgress.MET,
    GoalProgress.PROGRESSING,
    GoalProgress.MAINTAINING,
    GoalProgress.REGRESSING,
)


def sparkline(values: Sequence[float | None], low: float, high: float) -> str:
    """One block character per value between low and high; None draws a gap."""
    span = (high - low) or 1.0
    marks = []
    for value in values:
        if value is None:
            marks.append(GAP)
            continue
        fraction = min(max((value - low) / span, 0.0), 1.0)
        marks.append(BLOCKS[round(fraction * (len(BLOCKS) - 1))])
    return "".join(marks)


def fit_words(text: str, width: int) -> str:
    """`text` cut to `width` columns at a word boundary, with … when cut."""
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0] if " " in text[: width - 1] else text[: width - 1]
    return cut.rstrip(" ,;:-") + "…"


def chronological(notes: Iterable[SessionNote]) -> list[SessionNote]:
    return sorted(notes, key=lambda note: (note.details.session.date, note.details.session.start))


def goal_progress_series(
    notes: Sequence[SessionNote], goal_id: str, last: int = 8
) -> list[GoalProgress | None]:
    """The goal's rating in each of the last sessions held, oldest first (None: not rated)."""
    held = [n for n in chronological(notes) if n.details.session.attendance.session_held]
    series: list[GoalProgress | None] = []
    for note in held[-last:]:
        entry = next((g for g in note.details.goals if g.id == goal_id), None)
        rated = entry is not None and entry.progress is not GoalProgress.NOT_ADDRESSED
        series.append(entry.progress if entry is not None and rated else None)
    return series


def goal_sparkline(series: Sequence[GoalProgress | None]) -> str:
    return sparkline([PROGRESS_HEIGHT.get(p) if p else None for p in series], 0.0, 1.0)


def goal_trend(series: Sequence[GoalProgress | None]) -> Text:
    """The goal's sparkline, each mark coloured by its rating."""
    line = Text()
    for progress, mark in zip(series, goal_sparkline(series), strict=True):
        line.append(mark, style=PROGRESS_STYLES.get(progress, "dim") if progress else "dim")
    return line


def goal_legend() -> Text:
    """What each goal mark means, as drawn: met, progressing, maintaining, regressing, gap."""
    legend = Text()
    for progress in PROGRESS_ORDER:
        legend.append(goal_sparkline([progress]), style=PROGRESS_STYLES[progress])
        legend.append(f" {progress.value}  ")
    legend.append(f"{GAP} not addressed", style="dim")
    return legend


def measure_series(notes: Iterable[SessionNote]) -> dict[Instrument, list[tuple[date, int]]]:
    """Every recorded score per instrument, oldest first."""
    series: dict[Instrument, list[tuple[date, int]]] = {}
    for note in chronological(notes):
        for measure in note.details.measures:
            series.setdefault(measure.instrument, []).append(
                (note.details.session.date, measure.score)
            )
    return series


def band_style(instrument: Instrument, score: int) -> str:
    bands = SPECS[instrument].bands
    label = severity_band(instrument, score)
    index = next(i for i, band in enumerate(bands) if band.label == label)
    position = index * (len(BAND_STYLES) - 1) // max(len(bands) - 1, 1)
    return BAND_STYLES[position]


def band_legend(instrument: Instrument) -> Text:
    """The instrument's bands with their ranges, each in the colour its bars are drawn in."""
    legend = Text()
    for index, band in enumerate(SPECS[instrument].bands):
        if index:
            legend.append("  ")  # PHQ-9's five bands fit 78 columns this way
        label = band.label
        if instrument is Instrument.PCL5:  # its labels are sentences; the range says enough
            label = ("below cut-off", "cut-off range", "above cut-off")[index]
        legend.append(f"{label} {band.low}-{band.high}", style=band_style(instrument, band.low))
    return legend


def measure_trend_line(
    instrument: Instrument, points: Sequence[tuple[date, int]], last: int = 12
) -> Text:
    """ "PHQ-9  ▇▆▅▃▂  8 mild  (from 18)", the score coloured by its band."""
    recent = list(points)[-last:]
    latest = recent[-1][1]
    line = Text(f"{instrument.value:<6} ")
    # On the instrument's whole scale (PHQ-9 0-27...): a mild score draws a low bar, whatever
    # the client's own highest was; each bar coloured by its severity band.
    top = SPECS[instrument].total_max
    for _day, score in recent:
        line.append(sparkline([score], 0, top), style=band_style(instrument, score))
    line.append(f"  {latest}/{top} ", style="bold")
    line.append(severity_band(instrument, latest), style=band_style(instrument, latest))
    if len(points) > 1:
        line.append(f"  (from {points[0][1]})", style="dim")  # dates are in the table below
    return line
