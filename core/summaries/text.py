"""A treatment summary as plain text or Markdown: the same blocks, two renderings.

Every line is either a heading clinote names, a value the clinician entered in
a signed note (or entered now, for a discharge), or a count, score, band or
change computed from them. Control characters in entered text are dropped, so
the report is safe to print to a terminal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from core.notes.measures import SPECS
from core.notes.model import Attendance, GoalProgress
from core.summaries.summary import MEANINGFUL_CHANGE, MeasureCourse, TreatmentSummary
from core.text_safety import BIDI_CONTROLS

_CONTROL = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
SPARK = "▁▂▃▄▅▆▇█"

ATTENDANCE_WORDS = {
    Attendance.ATTENDED: "attended",
    Attendance.LATE_ARRIVAL: "attended (late arrival)",
    Attendance.NO_SHOW: "no-show",
    Attendance.LATE_CANCEL: "late cancel",
}


def clean(text: str) -> str:
    """Entered text with control characters (terminal escapes) removed and spaces folded."""
    return " ".join(_CONTROL.sub("", text).split())


def _markdown_cell(text: str) -> str:
    return clean(text).replace("|", "\\|")


@dataclass(frozen=True)
class _Heading:
    level: int
    text: str


@dataclass(frozen=True)
class _Paragraph:
    text: str


@dataclass(frozen=True)
class _Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class _Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


_Block = _Heading | _Paragraph | _Bullets | _Table


def sparkline(scores: list[int], maximum: int) -> str:
    """One block character per score, scaled to the instrument's range."""
    if maximum <= 0:
        return ""
    return "".join(
        SPARK[min(len(SPARK) - 1, score * len(SPARK) // (maximum + 1))] for score in scores
    )


def trend_line(course: MeasureCourse) -> str:
    """`▆▅▃ first 16 (2025-01-10), last 8 (2025-03-04), change -8; ...` for one instrument."""
    spec = SPECS[course.instrument]
    spark = sparkline([point.score for point in course.points], spec.total_max)
    first, last = course.first, course.last
    if len(course.points) == 1:
        return f"{spark} one score: {first.score} ({first.date.isoformat()}); no change to report"
    threshold, source = MEANINGFUL_CHANGE[course.instrument]
    verdict = (
        f"a change of {abs(course.change)} reaches"
        if course.reached_meaningful_change
        else f"a change of {abs(course.change)} does not reach"
    )
    return (
        f"{spark} first {first.score} ({first.date.isoformat()}), last {last.score} "
        f"({last.date.isoformat()}), change {course.change:+d}; {verdict} the "
        f"{threshold}-point threshold ({source})"
    )


def _period(summary: TreatmentSummary) -> str:
    if summary.period_from is None or summary.period_to is None:
        return "no signed notes"
    return f"{summary.period_from.isoformat()} to {summary.period_to.isoformat()}"


def _blocks(
    summary: TreatmentSummary, prepared_on: date | None, narrative: str, narrative_model: str
) -> list[_Block]:
    client = summary.client
    blocks: list[_Block] = [_Heading(1, summary.title)]
    identity = f"Client: {clean(client.name)} ({clean(client.code)})"
    if client.dob is not None:
        identity += f", date of birth {client.dob.isoformat()}"
    signed = len(summary.sessions)
    lines = [identity, f"Period: {_period(summary)}"]
    source = f"Source: {signed} signed note(s) in this period"
    if summary.drafts_excluded:
        source += (
            f"; {summary.drafts_excluded} draft(s) in this period are not included (not signed)"
        )
    lines.append(source)
    if prepared_on is not None:
        lines.append(f"Prepared: {prepared_on.isoformat()}")
    blocks.append(_Bullets(tuple(lines)))

    if narrative.strip():
        blocks.append(_Heading(2, "Narrative"))
        blocks.append(_Paragraph(clean(narrative)))
        blocks.append(
            _Paragraph(
                f"(Drafted by the local model {clean(narrative_model)} from the facts below "
                "and checked against them; review before use.)"
            )
        )

    blocks.append(_Heading(2, "Diagnoses"))
    blocks.append(
        _Bullets(tuple(f"{clean(d.code)} {clean(d.label)}" for d in summary.diagnoses))
        if summary.diagnoses
        else _Paragraph("No diagnosis is recorded in the signed notes of this period.")
    )

    counts = summary.counts
    blocks.append(_Heading(2, "Dates of service"))
    blocks.append(
        _Paragraph(
            f"Attended {counts.get('attended', 0)} · no-show {counts.get('no_show', 0)} · "
            f"late cancel {counts.get('late_cancel', 0)}"
        )
    )
    if summary.sessions:
        blocks.append(
            _Table(
                ("date", "service", "attendance", "minutes", "CPT"),
                tuple(
                    (
                        line.date.isoformat(),
                        line.service,
                        ATTENDANCE_WORDS[line.attendance],
                        str(line.minutes) if line.minutes else "",
                        line.cpt,
                    )
                    for line in summary.sessions
                ),
            )
        )

    blocks.append(_Heading(2, "Treatment goals"))
    if not summary.goals:
        blocks.append(
            _Paragraph("No goal progress is recorded in the signed notes of this period.")
        )
    for goal in summary.goals:
        blocks.append(_Heading(3, clean(goal.description)))
        blocks.append(
            _Bullets(
                tuple(
                    f"{update.date.isoformat()}: {update.progress.value.replace('_', ' ')}"
                    + (f" — {clean(update.evidence)}" if update.evidence.strip() else "")
                    for update in goal.updates
                )
            )
        )
        latest = goal.latest
        blocks.append(
            _Paragraph(
                f"Now: {latest.progress.value.replace('_', ' ')} (as of {latest.date.isoformat()})"
                if latest is not None
                else f"Now: {GoalProgress.NOT_ADDRESSED.value.replace('_', ' ')} in every session"
            )
        )

    blocks.append(_Heading(2, "Measures"))
    if not summary.measures:
        blocks.append(
            _Paragraph("No measure scores are recorded in the signed notes of this period.")
        )
    for course in summary.measures:
        spec = SPECS[course.instrument]
        blocks.append(_Heading(3, f"{course.instrument.value} (0-{spec.total_max})"))
        blocks.append(
            _Table(
                ("date", "score", "band"),
                tuple((p.date.isoformat(), str(p.score), p.band) for p in course.points),
            )
        )
        blocks.append(_Paragraph(f"Trend: {trend_line(course)}"))

    blocks.append(_Heading(2, "Interventions by frequency"))
    blocks.append(
        _Bullets(
            tuple(
                f"{clean(item.technique)}"
                + (f" ({clean(item.modality)})" if item.modality else "")
                + f": {item.sessions} session(s)"
                for item in summary.interventions
            )
        )
        if summary.interventions
        else _Paragraph("No interventions are recorded in the signed notes of this period.")
    )

    blocks.append(_Heading(2, "Risk history"))
    if not summary.risk_events:
        blocks.append(
            _Paragraph("No elevated risk is recorded in the signed notes of this period.")
        )
    else:
        items = []
        for event in summary.risk_events:
            parts = list(event.reported)
            if event.level is not None:
                parts.append(f"risk level {event.level.value}")
            for label, value in (
                ("details", event.details),
                ("safety plan", event.safety_plan),
                ("actions", event.actions),
            ):
                if value.strip():
                    parts.append(f"{label}: {clean(value)}")
            items.append(f"{event.date.isoformat()}: " + "; ".join(parts))
        blocks.append(_Bullets(tuple(items)))

    if summary.discharge is not None:
        blocks.append(_Heading(2, "Discharge"))
        blocks.append(
            _Bullets(
                (
                    f"Reason for discharge: {clean(summary.discharge.reason)}",
                    f"Aftercare plan: {clean(summary.discharge.aftercare)}",
                )
            )
        )

    amended = [line for line in summary.sessions if line.addenda]
    if amended:
        # Signed corrections stand beside the note they amend; the figures above are as signed.
        blocks.append(_Heading(2, "Addenda to these notes"))
        blocks.append(
            _Bullets(
                tuple(
                    f"{line.date.isoformat()} note {line.note_id[:8]}, addendum of "
                    f"{addendum.written_at:%Y-%m-%d}: {clean(addendum.reason)} — "
                    f"{clean(addendum.text)}"
                    for line in amended
                    for addendum in line.addenda
                )
            )
        )

    blocks.append(_Heading(2, "Signed notes this summary is drawn from"))
    blocks.append(
        _Bullets(
            tuple(
                f"{line.date.isoformat()} note {line.note_id[:8]}"
                + (f", signed by {clean(line.signed_by)}" if line.signed_by else "")
                + (f" on {line.signed_at:%Y-%m-%d %H:%M}" if line.signed_at else "")
                for line in summary.sessions
            )
        )
        if summary.sessions
        else _Paragraph("None.")
    )
    return blocks


def _markdown(blocks: list[_Block]) -> str:
    out: list[str] = []
    for block in blocks:
        match block:
            case _Heading(level, text):
                out.append(f"{'#' * level} {text}")
            case _Paragraph(text):
                out.append(text)
            case _Bullets(items):
                out.append("\n".join(f"- {item}" for item in items))
            case _Table(headers, rows):
                lines = [
                    "| " + " | ".join(headers) + " |",
                    "|" + "|".join("---" for _ in headers) + "|",
                ]
                lines += ["| " + " | ".join(_markdown_cell(c) for c in row) + " |" for row in rows]
                out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def _plain(blocks: list[_Block]) -> str:
    out: list[str] = []
    for block in blocks:
        match block:
            case _Heading(1, text):
                out.append(f"{text.upper()}\n{'=' * len(text)}")
            case _Heading(2, text):
                out.append(f"{text}\n{'-' * len(text)}")
            case _Heading(_, text):
                out.append(f"{text}:")
            case _Paragraph(text):
                out.append(text)
            case _Bullets(items):
                out.append("\n".join(f"  * {item}" for item in items))
            case _Table(headers, rows):
                widths = [
                    max(len(headers[index]), *(len(row[index]) for row in rows))
                    for index in range(len(headers))
                ]
                lines = [
                    "  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r)).rstrip()
                    for r in (headers, *rows)
                ]
                lines.insert(1, "  " + "  ".join("-" * width for width in widths))
                out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def render_summary(
    summary: TreatmentSummary,
    *,
    markdown: bool = False,
    prepared_on: date | None = None,
    narrative: str = "",
    narrative_model: str = "",
) -> str:
    """The summary as plain text (default) or Markdown, with the model's narrative if given."""
    blocks = _blocks(summary, prepared_on, narrative, narrative_model)
    return _markdown(blocks) if markdown else _plain(blocks)
