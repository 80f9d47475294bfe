"""Time to run every check on a note: a 3,000-character note (budget 5 ms median) and a
100 KB one (budget 100 ms median), plus adversarial inputs that were quadratic once.

Wall time on a shared machine swings with load; CPU time (process_time) is the
steadier measure of the checks' own work, so both are printed. Measures and prints
only: nothing here asserts a time.
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.checks.review import check_note  # noqa: E402
from core.notes.composer import compose_note  # noqa: E402
from core.notes.model import NoteContext, NoteFormat  # noqa: E402
from core.notes.session_file import load_session_file  # noqa: E402

BUDGET_3K_MS = 5.0
BUDGET_100K_MS = 100.0


def measure(details, text: str, runs: int) -> tuple[float, float, float]:
    """(median wall ms, p95 wall ms, median CPU ms) over `runs` checks."""
    wall, cpu = [], []
    for run in range(runs):
        # A different text each run, as while typing: nothing about it is cached.
        typed = f"{text}\nTyped {run}."
        started_wall, started_cpu = time.perf_counter(), time.process_time()
        check_note(details, typed)
        wall.append((time.perf_counter() - started_wall) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    wall.sort()
    return statistics.median(wall), wall[int(len(wall) * 0.95)], statistics.median(cpu)


def _repeated_to(text: str, size: int) -> str:
    header, body = text.split("## ", 1)
    parts = [header]
    while sum(map(len, parts)) < size:
        parts.append("## " + body)
    return "".join(parts)


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
    cases: list[tuple[str, str, int, float | None]] = [
        (note_format.value, compose_note(details, note_format), 300, BUDGET_3K_MS)
        for note_format in NoteFormat
    ]
    cases.append(("100 KB", _repeated_to(compose_note(details), 100_000), 15, BUDGET_100K_MS))
    # Adversarial (no budget: they must finish, linearly; 'a x30k took ~50 s before).
    cases.append(("'a x30k", "'a " * 30_000, 5, None))
    cases.append(('"a x30k', '"a ' * 30_000, 5, None))
    print(
        f"{'note':<9}{'chars':>8}{'median ms':>11}{'p95 ms':>9}{'cpu ms':>9}{'budget':>8}"
        "  (budget: median CPU ms)"
    )
    for name, text, runs, budget in cases:
        median, p95, cpu = measure(details, text, runs)
        verdict = "" if budget is None or cpu < budget else "  OVER BUDGET"
        shown = "-" if budget is None else f"{budget:.0f}"
        print(f"{name:<9}{len(text):>8}{median:>11.2f}{p95:>9.2f}{cpu:>9.2f}{shown:>8}{verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
