"""Standard outcome measures: item ranges, scoring, severity bands and score changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.notes.model import Instrument, MeasureResult, PreviousScore


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    label: str


@dataclass(frozen=True)
class InstrumentSpec:
    instrument: Instrument
    item_count: int
    item_max: int  # every item is scored 0..item_max
    bands: tuple[Band, ...]

    @property
    def total_max(self) -> int:
        return self.item_count * self.item_max


SPECS: dict[Instrument, InstrumentSpec] = {
    Instrument.PHQ9: InstrumentSpec(
        Instrument.PHQ9,
        item_count=9,
        item_max=3,
        bands=(
            Band(0, 4, "minimal"),
            Band(5, 9, "mild"),
            Band(10, 14, "moderate"),
            Band(15, 19, "moderately severe"),
            Band(20, 27, "severe"),
        ),
    ),
    Instrument.GAD7: InstrumentSpec(
        Instrument.GAD7,
        item_count=7,
        item_max=3,
        bands=(
            Band(0, 4, "minimal"),
            Band(5, 9, "mild"),
            Band(10, 14, "moderate"),
            Band(15, 21, "severe"),
        ),
    ),
    # PCL-5 has no severity bands, only a provisional cut-off range of 31-33.
    Instrument.PCL5: InstrumentSpec(
        Instrument.PCL5,
        item_count=20,
        item_max=4,
        bands=(
            Band(0, 30, "below the probable-PTSD cut-off of 31-33"),
            Band(31, 33, "within the probable-PTSD cut-off range of 31-33"),
            Band(34, 80, "above the probable-PTSD cut-off of 31-33"),
        ),
    ),
}

PHQ9_SUICIDE_ITEM = 9  # 1-based, as clinicians name it: "item 9"
PHQ9_REMISSION_BELOW = 5
PHQ9_RESPONSE_BASELINE = 10
PCL5_RESPONSE_DROP = 5
PCL5_MEANINGFUL_DROP = 10


def severity_band(instrument: Instrument, total: int) -> str:
    """The severity label for a total, e.g. "moderately severe"."""
    for band in SPECS[instrument].bands:
        if band.low <= total <= band.high:
            return band.label
    raise ValueError(
        f"{instrument.value} total {total} is out of range 0-{SPECS[instrument].total_max}"
    )


def phq9_item9(result: MeasureResult) -> int | None:
    """The PHQ-9 item 9 score (thoughts of death or self-harm), when items were recorded."""
    if result.instrument is not Instrument.PHQ9 or result.items is None:
        return None
    return result.items[PHQ9_SUICIDE_ITEM - 1]


def latest_previous(
    instrument: Instrument, previous: tuple[PreviousScore, ...], before: date
) -> PreviousScore | None:
    """The most recent earlier score for the same instrument, if any."""
    earlier = [p for p in previous if p.instrument is instrument and p.date < before]
    return max(earlier, key=lambda p: p.date, default=None)


@dataclass(frozen=True)
class ScoreChange:
    instrument: Instrument
    previous: PreviousScore
    current: int

    @property
    def delta(self) -> int:
        return self.current - self.previous.score

    def describe(self) -> str:
        """E.g. "down 10 from 18 on 2024-02-20; response (50% drop or more)"."""
        if self.delta < 0:
            direction = f"down {-self.delta}"
        elif self.delta > 0:
            direction = f"up {self.delta}"
        else:
            direction = "unchanged"
        text = f"{direction} from {self.previous.score} on {self.previous.date.isoformat()}"
        interpretation = self.interpretation()
        return f"{text}; {interpretation}" if interpretation else text

    def interpretation(self) -> str:
        """Response and remission wording, only where domain.md defines it."""
        drop = -self.delta
        if self.instrument is Instrument.PHQ9:
            # Remission is the stronger finding and says it alone; response is judged
            # from a clinically elevated score (10 or more).
            if self.current < PHQ9_REMISSION_BELOW <= self.previous.score:
                return f"remission (under {PHQ9_REMISSION_BELOW})"
            if self.previous.score >= PHQ9_RESPONSE_BASELINE and drop * 2 >= self.previous.score:
                return "response (50% drop or more)"
            return ""
        if self.instrument is Instrument.PCL5:
            if drop >= PCL5_MEANINGFUL_DROP:
                return f"clinically meaningful change ({PCL5_MEANINGFUL_DROP} points or more)"
            if drop >= PCL5_RESPONSE_DROP:
                return f"response ({PCL5_RESPONSE_DROP} points or more)"
        return ""


def score_change(
    result: MeasureResult, previous: tuple[PreviousScore, ...], session_date: date
) -> ScoreChange | None:
    """The change from the latest earlier score of the same instrument, if there is one.

    The vault's history comes first; a previous total given in the session file
    (`measures[].previous`) stands in when the vault has none before this session.
    """
    earlier = latest_previous(result.instrument, previous, session_date)
    if earlier is None and result.previous is not None and result.previous.date < session_date:
        earlier = PreviousScore(result.instrument, result.previous.date, result.previous.total)
    if earlier is None:
        return None
    return ScoreChange(result.instrument, earlier, result.score)


def describe_measure(
    result: MeasureResult,
    previous: tuple[PreviousScore, ...] = (),
    session_date: date | None = None,
) -> str:
    """One sentence of computed facts: score, band, change from the last score, PHQ-9 item 9.

    Never screening advice: a client in treatment is reported by band and change.
    """
    total = result.score
    text = f"{result.instrument.value} {total} ({severity_band(result.instrument, total)})"
    if session_date is not None:
        change = score_change(result, previous, session_date)
        if change is not None:
            text += f", {change.describe()}"
    text += "."
    item9 = phq9_item9(result)
    if item9 is not None and item9 > 0:
        text += f" Item 9 (thoughts of death or self-harm) scored {item9}."
    return text
