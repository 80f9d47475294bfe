"""Median and p95 time to check a full note, as the TUI does on every keystroke (budget 20 ms)."""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.checks import check_note  # noqa: E402
from core.composer import compose_note  # noqa: E402
from core.model import NoteContext, NoteFormat  # noqa: E402
from core.session_file import load_session_file  # noqa: E402

RUNS = 500
BUDGET_MS = 20.0


def measure(details, text: str) -> tuple[float, float, float]:
    """(median wall ms, p95 wall ms, median CPU ms): CPU time is steadier on a busy machine."""
    wall, cpu = [], []
    for run in range(RUNS):
        # A different text each run, as while typing: nothing about it is cached.
        typed = f"{text}\nTyped {run}."
        started_wall, started_cpu = time.perf_counter(), time.process_time()
        check_note(details, typed)
        wall.append((time.perf_counter() - started_wall) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    wall.sort()
    return statistics.median(wall), wall[int(len(wall) * 0.95)], statistics.median(cpu)


def main() -> int:
    example = load_session_file(ROOT / "examples/elevated-risk-dbt.json")
    previous = load_session_file(ROOT / "examples/individual-cbt.json")
    details = replace(
        example,
        context=NoteContext(
            previous_note_text=compose_note(previous),  # the cloning check runs too
            plan_date=date(2024, 9, 1),
            plan_review_date=date(2025, 9, 1),
            today=date(2025, 3, 5),
        ),
    )
    cases = [(note_format.value, compose_note(details, note_format)) for note_format in NoteFormat]
    long_note = compose_note(details)
    cases.append(("dap x4", long_note + "\n" + "\n".join([long_note.split("## ", 1)[1]] * 3)))
    print(
        f"{'note':<8}{'median ms':>12}{'p95 ms':>10}{'cpu ms':>9}{'chars':>8}"
        f"  budget {BUDGET_MS:.0f} ms (p95)"
    )
    for name, text in cases:
        median, p95, cpu = measure(details, text)
        verdict = "" if p95 < BUDGET_MS else "  OVER BUDGET"
        print(f"{name:<8}{median:>12.3f}{p95:>10.3f}{cpu:>9.3f}{len(text):>8}{verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
