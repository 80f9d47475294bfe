"""An optional narrative paragraph for a treatment summary, written by the local model.

The model sees only the summary's facts (no name, code or date of birth) and
its paragraph is grounded before anyone reads it: a sentence with a number or
date that is not in the facts, or a risk denial (the signed notes recorded no
such denial for the summary to repeat), is removed and reported; the client's
identifiers are replaced. The rest of the summary never comes from the model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.checks.findings import Finding, Severity
from core.drafting.connection import OllamaConnection
from core.drafting.deidentify import scrub_identifiers
from core.summaries.summary import TreatmentSummary
from core.summaries.text import clean, trend_line

RULE_NARRATIVE_UNSUPPORTED = "SUMMARY-NARRATIVE-UNSUPPORTED"
RULE_NARRATIVE_IDENTIFIER = "SUMMARY-NARRATIVE-IDENTIFIER"
NARRATIVE_TEMPERATURE = 0.2
NARRATIVE_SEED = 42

SYSTEM_PROMPT = """\
You write one short narrative paragraph for a psychotherapy treatment summary, \
for a licensed clinician who reviews it before use. Use only the facts given. \
Call the person "the client". Do not add diagnoses, numbers, dates, symptoms, \
risk statements, denials, prognosis or recommendations that are not in the facts. \
No headings, no lists, at most 120 words."""

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?%?")
_DATE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b",
    re.IGNORECASE,
)
_DENIAL = re.compile(
    r"\bden(?:y|ies|ied|ying)\b|\bno\s+(?:suicidal|homicidal|self-harm|risk)\b|"
    r"\bnegative\s+for\b",
    re.IGNORECASE,
)


_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
_MONTHS = (
    "january february march april may june july august september october november december"
).split()


def _known_dates(facts: str) -> set[str]:
    """The facts' ISO dates, and the same dates as `March 4` / `Mar 4`."""
    known: set[str] = set()
    for match in re.findall(r"\b(\d{4})-(\d{2})-(\d{2})\b", facts):
        year, month, day = match
        month_name = _MONTHS[int(month) - 1]
        known |= {
            f"{year}-{month}-{day}",
            f"{month_name} {int(day)}",
            f"{month_name[:3]} {int(day)}",
        }
    return known


@dataclass(frozen=True)
class Narrative:
    text: str
    findings: tuple[Finding, ...] = ()
    model: str = ""


def narrative_facts(summary: TreatmentSummary) -> str:
    """The summary's facts as lines for the prompt: no name, code or date of birth."""
    lines = [f"Summary: {summary.title.lower()}"]
    if summary.period_from and summary.period_to:
        lines.append(
            f"Period: {summary.period_from.isoformat()} to {summary.period_to.isoformat()}"
        )
    counts = summary.counts
    lines.append(
        f"Sessions: {counts.get('attended', 0)} attended, {counts.get('no_show', 0)} no-show, "
        f"{counts.get('late_cancel', 0)} late cancel"
    )
    lines += [f"Diagnosis: {clean(d.code)} {clean(d.label)}" for d in summary.diagnoses]
    for goal in summary.goals:
        course = ", ".join(
            f"{u.progress.value.replace('_', ' ')} on {u.date.isoformat()}" for u in goal.updates
        )
        lines.append(f"Goal: {clean(goal.description)}: {course}")
    for measure in summary.measures:
        lines.append(f"{measure.instrument.value}: {trend_line(measure).lstrip('▁▂▃▄▅▆▇█ ')}")
    if summary.interventions:
        lines.append(
            "Interventions: "
            + ", ".join(
                f"{clean(i.technique)} ({i.sessions} sessions)" for i in summary.interventions
            )
        )
    for event in summary.risk_events:
        parts = list(event.reported)
        if event.level is not None:
            parts.append(f"risk level {event.level.value}")
        parts += [clean(text) for text in (event.safety_plan, event.actions) if text.strip()]
        lines.append(f"Elevated risk on {event.date.isoformat()}: " + "; ".join(parts))
    if summary.discharge is not None:
        lines.append(f"Reason for discharge: {clean(summary.discharge.reason)}")
        lines.append(f"Aftercare plan: {clean(summary.discharge.aftercare)}")
    return scrub_identifiers("\n".join(lines), summary.client).text


def narrative_messages(summary: TreatmentSummary) -> tuple[dict[str, str], ...]:
    return (
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": "Facts:\n" + narrative_facts(summary)},
    )


def _finding(rule: str, message: str, sentence: str) -> Finding:
    return Finding(rule, Severity.WARNING, "Narrative", message, sentence=sentence)


def ground_narrative(text: str, summary: TreatmentSummary) -> Narrative:
    """Keep the sentences the facts support; report each one removed or changed."""
    facts = narrative_facts(summary)
    known_dates = _known_dates(facts)
    # Numbers inside dates and times are not counts or scores the model may repeat.
    known_numbers = set(_NUMBER.findall(_TIME.sub(" ", _DATE.sub(" ", facts))))
    kept: list[str] = []
    findings: list[Finding] = []
    for sentence in _SENTENCE_END.split(" ".join(clean(text).split())):
        if not sentence.strip():
            continue
        unknown_number = next(
            (n for n in _NUMBER.findall(sentence) if n not in known_numbers), None
        )
        unknown_date = next(
            (d for d in _DATE.findall(sentence) if d.lower() not in known_dates), None
        )
        if _DENIAL.search(sentence):
            findings.append(
                _finding(
                    RULE_NARRATIVE_UNSUPPORTED,
                    "removed a sentence stating a denial the summary does not record",
                    sentence,
                )
            )
            continue
        if unknown_number is not None or unknown_date is not None:
            findings.append(
                _finding(
                    RULE_NARRATIVE_UNSUPPORTED,
                    "removed a sentence with a number or date that is not in the signed notes",
                    sentence,
                )
            )
            continue
        scrubbed = scrub_identifiers(sentence, summary.client)
        if scrubbed.found:
            findings.append(
                _finding(
                    RULE_NARRATIVE_IDENTIFIER,
                    f"replaced the client's {', '.join(scrubbed.found)} in the narrative",
                    scrubbed.text,
                )
            )
        kept.append(scrubbed.text)
    return Narrative(" ".join(kept), tuple(findings))


def draft_narrative(
    summary: TreatmentSummary, connection: OllamaConnection, model: str
) -> Narrative:
    """Ask the model for the paragraph and ground it; DraftingError when the model cannot."""
    options = {"temperature": NARRATIVE_TEMPERATURE, "seed": NARRATIVE_SEED}
    parts = connection.stream_chat(model, list(narrative_messages(summary)), options)
    text = "".join(part.message.content or "" for part in parts)
    grounded = ground_narrative(text, summary)
    return Narrative(grounded.text, grounded.findings, model)
