"""Median and p95 time to compose a full note (header, every section, signature)."""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.notes.composer import compose_note  # noqa: E402
from core.notes.model import Instrument, NoteContext, NoteFormat, PreviousScore, Signature  # noqa: E402
from core.notes.session_file import load_session_file  # noqa: E402

RUNS = 2000


def main() -> int:
    details = replace(
        load_session_file(ROOT / "examples/elevated-risk-dbt.json"),
        context=NoteContext(
            previous_scores=(PreviousScore(Instrument.PHQ9, date(2025, 2, 26), 16),)
        ),
    )
    signature = Signature("Dana Reyes", "LCSW", datetime(2025, 3, 5, 16, 2), "0" * 64)
    print(f"{'format':<8}{'median ms':>12}{'p95 ms':>10}{'chars':>8}")
    for note_format in NoteFormat:
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            text = compose_note(details, note_format, signature)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95)]
        print(
            f"{note_format.value:<8}{statistics.median(timings):>12.3f}{p95:>10.3f}{len(text):>8}"
        )
    # The examples with the newer fields: telehealth, participants, assessment, trends.
    for name in ("telehealth-audio-act", "couples-soap", "family-without-client"):
        details = load_session_file(ROOT / f"examples/{name}.json")
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            text = compose_note(details, None, signature)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95)]
        label = name.split("-")[0]
        print(f"{label:<8}{statistics.median(timings):>12.3f}{p95:>10.3f}{len(text):>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
