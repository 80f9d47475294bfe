"""Measure how faithfully, and how fast, a model drafts a set of sessions.

Each case is drafted as `clinote draft` drafts it; the counts come from the
grounding report the draft already carries (what clinote had to fill in,
remove, replace or flag), the timings and token counts from the stream and
Ollama's final chunk. Nothing here judges prose: it counts what the checks
found, so two models are compared on the same evidence.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from core.drafting.draft import DraftingError, DraftResult, stream_draft
from core.drafting.grounding import (
    RULE_DATE,
    RULE_FINDING,
    RULE_IDENTIFIER,
    RULE_MEDICATION,
    RULE_NUMBER,
    RULE_QUOTE,
    RULE_RISK,
)
from core.notes.model import NoteFormat, SessionDetails, Settings

STATUS_DRAFTED = "drafted"
STATUS_NO_SESSION = "no session held: nothing for a model to draft"


@dataclass(frozen=True)
class CaseMeasure:
    """One model's draft of one case, in counts and seconds."""

    case: str
    note_format: str
    status: str  # STATUS_DRAFTED, STATUS_NO_SESSION, or why the model could not draft
    sections_missing: int = 0  # left out by the model, filled from the composer
    contradictions_removed: int = 0  # risk sentences that contradicted the entries
    unsupported_numbers: int = 0  # numbers and dates not in the entries
    unsupported_medications: int = 0
    unsupported_quotes: int = 0
    unsupported_findings: int = 0  # mental-status findings not in the entries
    identifiers_replaced: int = 0
    cut: bool = False  # stopped at the length limit, or the prompt did not fit
    prompt_tokens: int | None = None
    output_tokens: int | None = None
    first_token_seconds: float | None = None
    total_seconds: float | None = None
    tokens_per_second: float | None = None

    @property
    def drafted(self) -> bool:
        return self.status == STATUS_DRAFTED

    @property
    def unsupported(self) -> int:
        return self.unsupported_numbers + self.unsupported_medications + self.unsupported_quotes


def measure_draft(case: str, note_format: NoteFormat, result: DraftResult) -> CaseMeasure:
    """The counts of a finished draft, from the findings grounding produced."""
    rules = Counter(finding.rule_id for finding in result.findings)
    return CaseMeasure(
        case=case,
        note_format=note_format.value,
        status=STATUS_DRAFTED,
        sections_missing=len(result.filled_sections),
        contradictions_removed=rules[RULE_RISK],
        unsupported_numbers=rules[RULE_NUMBER] + rules[RULE_DATE],
        unsupported_medications=rules[RULE_MEDICATION],
        unsupported_quotes=rules[RULE_QUOTE],
        unsupported_findings=rules[RULE_FINDING],
        identifiers_replaced=rules[RULE_IDENTIFIER],
        cut=result.truncated,
        prompt_tokens=result.prompt_tokens,
        output_tokens=result.output_tokens,
        first_token_seconds=result.first_token_seconds,
        total_seconds=result.seconds,
        tokens_per_second=result.tokens_per_second,
    )


def evaluate_case(
    case: str,
    details: SessionDetails,
    settings: Settings,
    model: str,
    *,
    allow_remote: bool = False,
) -> CaseMeasure:
    """Draft one case with one model and measure it; a failure is a row, not an exception."""
    note_format = details.format
    if not details.session.attendance.session_held:
        return CaseMeasure(case, note_format.value, STATUS_NO_SESSION)
    stream = stream_draft(details, note_format, settings, model=model, allow_remote=allow_remote)
    started = time.monotonic()
    try:
        result = stream.result()
    except DraftingError as error:
        return CaseMeasure(
            case, note_format.value, error.message, total_seconds=time.monotonic() - started
        )
    return measure_draft(case, note_format, result)


@dataclass(frozen=True)
class ModelSummary:
    model: str
    cases: int
    drafted: int
    failed: int
    sections_missing: int
    contradictions_removed: int
    unsupported_numbers: int
    unsupported_medications: int
    unsupported_quotes: int
    unsupported_findings: int
    identifiers_replaced: int
    cut: int
    prompt_tokens: int
    output_tokens: int
    median_first_token_seconds: float | None
    median_total_seconds: float | None
    tokens_per_second: float | None  # all output tokens over all generation time


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def summarize(model: str, measures: list[CaseMeasure]) -> ModelSummary:
    drafted = [m for m in measures if m.drafted]
    output_tokens = sum(m.output_tokens or 0 for m in drafted)
    generation_seconds = sum(
        (m.output_tokens or 0) / m.tokens_per_second for m in drafted if m.tokens_per_second
    )
    return ModelSummary(
        model=model,
        cases=len(measures),
        drafted=len(drafted),
        failed=sum(1 for m in measures if m.status not in (STATUS_DRAFTED, STATUS_NO_SESSION)),
        sections_missing=sum(m.sections_missing for m in drafted),
        contradictions_removed=sum(m.contradictions_removed for m in drafted),
        unsupported_numbers=sum(m.unsupported_numbers for m in drafted),
        unsupported_medications=sum(m.unsupported_medications for m in drafted),
        unsupported_quotes=sum(m.unsupported_quotes for m in drafted),
        unsupported_findings=sum(m.unsupported_findings for m in drafted),
        identifiers_replaced=sum(m.identifiers_replaced for m in drafted),
        cut=sum(1 for m in drafted if m.cut),
        prompt_tokens=sum(m.prompt_tokens or 0 for m in drafted),
        output_tokens=output_tokens,
        median_first_token_seconds=_median(
            [m.first_token_seconds for m in drafted if m.first_token_seconds is not None]
        ),
        median_total_seconds=_median(
            [m.total_seconds for m in drafted if m.total_seconds is not None]
        ),
        tokens_per_second=output_tokens / generation_seconds if generation_seconds else None,
    )


def as_json(summary: ModelSummary, measures: list[CaseMeasure]) -> dict[str, Any]:
    """One model's full table, as `clinote eval --json` prints it."""
    return {
        "model": summary.model,
        "summary": asdict(summary),
        "cases": [asdict(m) for m in measures],
    }
