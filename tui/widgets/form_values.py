"""What the form's fields hold: pick-list labels, widget ids, and parsing typed values."""

from __future__ import annotations

import re
from datetime import date, time

from core.notes.billing import SERVICE_NAMES
from core.notes.measures import SPECS
from core.notes.model import (
    HomicidalIdeation,
    Instrument,
    MeasureResult,
    SelfHarm,
    SuicidalIdeation,
)
from tui.widgets.form_entries import parse_impairments, parse_participants

# How each enum value reads in a pick list; anything not listed reads as its value.
LABELS: dict[str, str] = {
    **{str(service.value): names.choice for service, names in SERVICE_NAMES.items()},
    "in_person": "in person",
    "telehealth_video": "telehealth (video)",
    "telehealth_audio": "telehealth (audio only)",
    "late_arrival": "attended, arrived late",
    "no_show": "no-show",
    "late_cancel": "late cancellation",
    "not_addressed": "not addressed",
    "not_assessed": "not assessed",
    "active_no_plan": "active, no plan",
    "active_with_plan": "active, with plan",
    "recent": "recent self-harm",
    "partial": "partly completed",
    "not_completed": "not completed",
    "not_reviewed": "not reviewed",
}

ITEM_COUNTS = {instrument: spec.item_count for instrument, spec in SPECS.items()}
ITEM_MAXIMA = {instrument: spec.item_max for instrument, spec in SPECS.items()}

# Not assessed comes first: it is the default, and a denial must be chosen.
SI_ORDER = (
    SuicidalIdeation.NOT_ASSESSED,
    SuicidalIdeation.DENIED,
    SuicidalIdeation.PASSIVE,
    SuicidalIdeation.ACTIVE_NO_PLAN,
    SuicidalIdeation.ACTIVE_WITH_PLAN,
)
HI_ORDER = (HomicidalIdeation.NOT_ASSESSED, HomicidalIdeation.DENIED, HomicidalIdeation.PRESENT)
SELF_HARM_ORDER = (SelfHarm.NOT_ASSESSED, SelfHarm.DENIED, SelfHarm.RECENT)


def label_for(value: str) -> str:
    return LABELS.get(value, value.replace("_", " "))


def choices(values, prefix: str = "") -> list[tuple[str, str]]:
    """Pick-list options; the prefix names the item when several lists look alike."""
    return [(prefix + label_for(str(value.value)), str(value.value)) for value in values]


def field_widget_id(field_path: str) -> str:
    """The widget id of a session-file field path such as `risk.safety_plan`."""
    return "f-" + re.sub(r"[^a-z0-9]+", "-", field_path.lower()).strip("-")


def parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def parse_time(text: str) -> time | None:
    match = re.fullmatch(r"\s*(\d{1,2}):?(\d{2})\s*", text)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def parse_measure(instrument: Instrument, text: str) -> MeasureResult | str | None:
    """A total or every item score; a one-line problem when it is neither; None when empty."""
    numbers = re.findall(r"-?\d+", text)
    if not text.strip():
        return None
    if len(re.findall(r"\S+", text.replace(",", " "))) != len(numbers):
        return f"{instrument.value}: use numbers only"
    count, item_max = ITEM_COUNTS[instrument], ITEM_MAXIMA[instrument]
    values = [int(number) for number in numbers]
    if len(values) == 1:
        if not 0 <= values[0] <= count * item_max:
            return f"{instrument.value}: total must be 0-{count * item_max}"
        return MeasureResult(instrument, total=values[0])
    if len(values) != count:
        return f"{instrument.value}: give the total or all {count} item scores"
    if any(not 0 <= value <= item_max for value in values):
        return f"{instrument.value}: each item is 0-{item_max}"
    return MeasureResult(instrument, items=tuple(values))


def measure_field(instrument: Instrument) -> str:
    """The form's field path for an instrument's entry, such as `measures.phq9`."""
    return f"measures.{instrument.name.lower()}"


MEASURE_FIELDS = {measure_field(instrument): instrument for instrument in Instrument}

# Typed entries that must parse before the session can hold them.
READ_FIELDS = (
    "session.date",
    "session.start",
    "session.end",
    "next_session",
    *MEASURE_FIELDS,
    "participants",
    "assessment.impairments",
)


def entry_problem(field_path: str, text: str) -> str | None:
    """What to correct in a typed date, time or measure that cannot be read; None when it reads."""
    if field_path == "session.date":
        return None if parse_date(text) is not None else "Date of service: enter it as YYYY-MM-DD."
    if field_path == "next_session":
        if not text.strip() or parse_date(text) is not None:
            return None
        return "Next session: enter it as YYYY-MM-DD."
    if field_path in ("session.start", "session.end"):
        label = "Start time" if field_path == "session.start" else "End time"
        return None if parse_time(text) is not None else f"{label}: enter it as HH:MM."
    if field_path in MEASURE_FIELDS:
        result = parse_measure(MEASURE_FIELDS[field_path], text)
        return result + "." if isinstance(result, str) else None
    if field_path == "participants":
        people = parse_participants(text)
        return people if isinstance(people, str) else None
    if field_path == "assessment.impairments":
        impairments = parse_impairments(text)
        return impairments if isinstance(impairments, str) else None
    return None


def measure_text(result: MeasureResult) -> str:
    if result.items is not None:
        return " ".join(str(item) for item in result.items)
    return "" if result.total is None else str(result.total)


def time_text(value: time | None) -> str:
    return "" if value is None else value.strftime("%H:%M")
