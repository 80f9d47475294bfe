"""`clinote summary --client CODE [--from DATE] [--to DATE] [--kind K] [-o FILE]`.

A treatment summary from the client's signed notes in the period (drafts left
out and counted): plain text by default, Markdown with --markdown; to stdout,
or to a new file (0600, never replacing one) with -o.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from cli.support import CliError, open_vault

if TYPE_CHECKING:
    from core.drafting.summary_narrative import Narrative
    from core.summaries.summary import TreatmentSummary

PHI_WARNING = (
    "clinote: warning: a treatment summary is plaintext PHI; keep it on encrypted storage "
    "and delete it when done"
)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("use a date as YYYY-MM-DD") from None


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    from core.summaries.summary import SummaryKind

    summary = subparsers.add_parser(
        "summary",
        parents=[common],
        help="a treatment summary (progress, transfer, discharge) from the signed notes",
        description="Write a treatment summary for one client from the signed notes in the "
        "period: diagnoses, dates of service and attendance, goals with progress session by "
        "session, measure scores and trends, interventions by frequency, risk history and, "
        "for a discharge, the reason and aftercare plan you give. Drafts are left out and "
        "counted. Plain text on stdout unless --markdown or -o FILE (written 0600, never "
        "replacing a file).",
    )
    summary.add_argument("--client", metavar="CODE", required=True, help="the client's code")
    summary.add_argument("--from", dest="period_from", metavar="DATE", type=_date)
    summary.add_argument("--to", dest="period_to", metavar="DATE", type=_date)
    summary.add_argument(
        "--kind",
        choices=[kind.value for kind in SummaryKind],
        default=SummaryKind.PROGRESS.value,
        help="progress (default), transfer or discharge",
    )
    summary.add_argument("--reason", metavar="TEXT", help="discharge: the reason for discharge")
    summary.add_argument("--aftercare", metavar="TEXT", help="discharge: the aftercare plan")
    summary.add_argument("--markdown", action="store_true", help="Markdown instead of plain text")
    summary.add_argument("-o", "--output", metavar="FILE", help="write to a new file FILE")
    summary.add_argument(
        "--narrative",
        action="store_true",
        help="add a narrative paragraph drafted by the local model from the summary's facts",
    )
    summary.add_argument("--model", metavar="M", help="Ollama model for --narrative")
    summary.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow an Ollama host that is not this machine (the facts would leave it)",
    )
    summary.set_defaults(handler=run_summary)


def _ask(prompt: str) -> str:
    """A line typed at the terminal; '' when there is no terminal to ask at."""
    if not sys.stdin.isatty():
        return ""
    # The question goes to stderr: stdout may be the summary's file.
    print(prompt, end="", file=sys.stderr, flush=True)
    try:
        return input()
    except EOFError:
        return ""


def _narrative(summary: TreatmentSummary, args: argparse.Namespace) -> Narrative | None:
    """The model's grounded paragraph, or None (with a warning) when the model cannot help."""
    from core.drafting.connection import DEFAULT_MODEL, DraftingError, OllamaConnection
    from core.drafting.summary_narrative import draft_narrative
    from core.notes.model import Settings

    model = args.model or DEFAULT_MODEL
    try:
        with OllamaConnection.from_settings(
            Settings(), allow_remote=args.allow_remote
        ) as connection:
            return draft_narrative(summary, connection, model)
    except DraftingError as error:
        print(
            f"warning SUMMARY-NARRATIVE-UNAVAILABLE: {error.message}; the summary has no narrative",
            file=sys.stderr,
        )
        return None


def run_summary(args: argparse.Namespace) -> int:
    from core.summaries.summary import (
        Discharge,
        SummaryKind,
        SummaryRefused,
        build_treatment_summary,
    )
    from core.summaries.text import render_summary
    from storage.records.repositories import Repositories
    from tui.export import ExportError, write_note_file

    kind = SummaryKind(args.kind)
    discharge = None
    if kind is SummaryKind.DISCHARGE:
        reason = args.reason or _ask("Reason for discharge: ")
        aftercare = args.aftercare or _ask("Aftercare plan: ")
        discharge = Discharge(reason.strip(), aftercare.strip())
    output = Path(args.output).expanduser() if args.output else None
    if output is not None and output.exists():
        raise CliError(f"{output} already exists; choose another file name")
    with open_vault(args.vault) as vault:
        repos = Repositories.from_vault(vault)
        client = repos.clients.find_by_code(args.client)
        if client is None:
            raise CliError(f"no client has the code {args.client.strip()}; check the code")
        try:
            summary = build_treatment_summary(
                client,
                repos.plans.get(client.id),
                repos.notes.list_for_client(client.id),
                kind,
                args.period_from,
                args.period_to,
                discharge,
            )
        except SummaryRefused as error:
            raise CliError(f"{error}{_flags_for(error)}") from None
        repos.record_event(f"summary_{kind.value}", client.id)
    # The model is asked once the vault is closed: a slow draft holds nothing open.
    narrative = _narrative(summary, args) if args.narrative else None
    text = render_summary(
        summary,
        markdown=args.markdown,
        prepared_on=date.today(),
        narrative=narrative.text if narrative else "",
        narrative_model=narrative.model if narrative else "",
    )
    print(PHI_WARNING, file=sys.stderr)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        try:
            written = write_note_file(output, text, as_markdown=True)  # written as rendered
        except ExportError as error:
            raise CliError(str(error), exit_code=1) from None
        print(f"clinote: wrote the summary to {written}", file=sys.stderr)
    for finding in narrative.findings if narrative else ():
        print(finding.as_line(), file=sys.stderr)
    if summary.drafts_excluded:
        print(
            f"clinote: {summary.drafts_excluded} draft(s) in the period are not in the summary; "
            "sign them to include them",
            file=sys.stderr,
        )
    return 0


def _flags_for(refusal: Exception) -> str:
    """Where the command line takes what the refusal asks for (core names no flags)."""
    said = str(refusal)
    if "aftercare plan" in said:
        return "; give both (--reason and --aftercare)"
    if "swap the two dates" in said:
        return " (--from and --to)"
    return ""
