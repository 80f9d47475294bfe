"""`clinote eval`: draft a folder of fictional sessions with each model and count what went wrong.

Needs no vault. The host is OLLAMA_HOST, else http://127.0.0.1:11434, decided
(and refused when not allowed) before anything connects, as for `clinote draft`.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from cli.commands.draft import add_tls_arguments, drafting_settings
from cli.support import CliError

if TYPE_CHECKING:
    from core.drafting.evaluation import CaseMeasure, ModelSummary
    from core.notes.model import SessionDetails

EXIT_OK = 0
EXIT_MODEL_UNUSABLE = 1
EXIT_BAD_INPUT = 2
# The shipped cases, beside the package in a source checkout.
SHIPPED_CASES = Path(__file__).resolve().parents[2] / "examples" / "eval"

LEGEND = (
    "miss: sections the model left out (clinote filled them); rm: risk sentences removed as "
    "contradictions; num, med, quo: unsupported numbers or dates, medications, quotes; "
    "id: client identifiers replaced; cut: stopped at its length limit or the prompt was cut; "
    "prompt, out: tokens; 1st, total: seconds to first token and in all; tok/s: output speed"
)
COLUMNS = ("miss", "rm", "num", "med", "quo", "id", "cut", "prompt", "out", "1st", "total", "tok/s")
WIDTHS = (4, 3, 3, 3, 3, 3, 3, 6, 5, 5, 6, 5)


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    from core.drafting.host import DEFAULT_MODEL

    evaluate = subparsers.add_parser(
        "eval",
        parents=[common],
        help="draft a folder of fictional sessions with each model and compare them",
        description="Draft every session file in a folder (default: the shipped examples/eval) "
        "with each model, and print per model and case what clinote had to repair (sections "
        "missing, contradictions removed, unsupported numbers, medications and quotes, "
        "identifiers replaced, cut-off drafts), the tokens, seconds to first token and in all, "
        "and tokens per second, then a summary line per model. Use only fictional sessions. "
        "Exit 0 when every model drafted, 1 when a model could not draft any case, 2 when "
        "the cases cannot be read.",
    )
    evaluate.add_argument(
        "--model",
        metavar="M",
        action="append",
        dest="models",
        help=f"a model to evaluate; repeat for several (default: {DEFAULT_MODEL})",
    )
    evaluate.add_argument(
        "--cases", metavar="DIR", help="folder of session files (default: examples/eval)"
    )
    evaluate.add_argument("--json", action="store_true", help="print the full table as JSON")
    add_tls_arguments(evaluate)
    evaluate.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow an https:// Ollama host that is not this machine (notes would leave it)",
    )
    evaluate.set_defaults(handler=run_eval)


def printable(text: str) -> str:
    """Text from files or a server, with control characters shown as '?', never sent raw."""
    return "".join("?" if unicodedata.category(c) in ("Cc", "Cf") else c for c in text)


def _load_cases(folder_text: str | None) -> list[tuple[str, SessionDetails]]:
    from core.notes.session_file import SessionFileError, load_session_file

    folder = Path(folder_text).expanduser() if folder_text else SHIPPED_CASES
    if not folder.is_dir():
        raise CliError(
            f"no cases folder at {printable(str(folder))}: pass --cases DIR with session files",
            exit_code=EXIT_BAD_INPUT,
        )
    paths = sorted(folder.glob("*.json"))
    if not paths:
        raise CliError(
            f"{printable(str(folder))} holds no session files (*.json): see examples/eval",
            exit_code=EXIT_BAD_INPUT,
        )
    cases = []
    for path in paths:
        try:
            cases.append((path.stem, load_session_file(path)))
        except SessionFileError as error:
            from cli.commands.session_problems import print_session_problems

            print_session_problems(path, error.problems)
            raise CliError(
                f"case {printable(path.name)} cannot be used; fix it or move it out of the folder",
                exit_code=EXIT_BAD_INPUT,
            ) from None
    return cases


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _count(value: int | None) -> str:
    return "-" if value is None else str(value)


def _row(name: str, values: tuple[str, ...], width: int) -> str:
    cells = " ".join(f"{value:>{w}}" for value, w in zip(values, WIDTHS, strict=True))
    return f"{name:<{width}} {cells}"


def _case_line(measure: CaseMeasure, width: int) -> str:
    name = printable(measure.case)
    if not measure.drafted:
        return f"{name:<{width}} {printable(measure.status)}"
    values = (
        str(measure.sections_missing),
        str(measure.contradictions_removed),
        str(measure.unsupported_numbers),
        str(measure.unsupported_medications),
        str(measure.unsupported_quotes),
        str(measure.identifiers_replaced),
        "yes" if measure.cut else "no",
        _count(measure.prompt_tokens),
        _count(measure.output_tokens),
        _seconds(measure.first_token_seconds),
        _seconds(measure.total_seconds),
        _seconds(measure.tokens_per_second),
    )
    return _row(name, values, width)


def summary_line(summary: ModelSummary) -> str:
    """One line per model: what clinote repaired across the cases, and the speed."""
    speed = (
        f"{summary.tokens_per_second:.1f} tokens/s"
        if summary.tokens_per_second
        else "speed unknown"
    )
    return (
        f"{printable(summary.model)}: {summary.drafted} of {summary.cases} cases drafted"
        + (f", {summary.failed} failed" if summary.failed else "")
        + f"; sections missing {summary.sections_missing}, contradictions removed "
        f"{summary.contradictions_removed}, unsupported {summary.unsupported_numbers} numbers "
        f"/ {summary.unsupported_medications} medications / {summary.unsupported_quotes} quotes, "
        f"identifiers replaced {summary.identifiers_replaced}, cut {summary.cut}; "
        f"tokens {summary.prompt_tokens} prompt / {summary.output_tokens} output; median "
        f"{_seconds(summary.median_first_token_seconds)} s to first token, "
        f"{_seconds(summary.median_total_seconds)} s in all; {speed}"
    )


def run_eval(args: argparse.Namespace) -> int:
    from core.drafting.connection import DEFAULT_MODEL
    from core.drafting.evaluation import as_json, evaluate_case, summarize

    cases = _load_cases(args.cases)
    # No keep_alive of our own: several models in turn should not all stay loaded.
    settings = replace(drafting_settings(args), keep_warm_minutes=0)
    models = args.models or [DEFAULT_MODEL]
    width = max(
        len(printable(name)) for name in [*(n for n, _ in cases), *(f"model {m}" for m in models)]
    )
    results = []
    if not args.json:
        print(textwrap.fill(LEGEND, 78))
    for model in models:
        measures = []
        if not args.json:
            print()
            print(_row(f"model {printable(model)}", COLUMNS, width))
        for name, details in cases:
            measure = evaluate_case(name, details, settings, model, allow_remote=args.allow_remote)
            measures.append(measure)
            if not args.json:
                print(_case_line(measure, width), flush=True)
        summary = summarize(model, measures)
        results.append((summary, measures))
        if not args.json:
            print(f"summary {summary_line(summary)}")
    if args.json:
        json.dump({"models": [as_json(s, m) for s, m in results]}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    unusable = [s for s, _ in results if s.drafted == 0 and s.failed]
    return EXIT_MODEL_UNUSABLE if unusable else EXIT_OK
