"""`clinote check SESSION.json [--text NOTE.md] [--body-only] [--previous PREVIOUS.md]`.

The checks' findings go to stderr, one per line; stdout gets one summary line
("no findings", or the counts by severity) so a silent pass is never ambiguous.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import replace
from pathlib import Path

from cli.support import CliError
from core.checks.findings import Finding, Severity
from core.text_safety import BIDI_CONTROLS

EXIT_CLEAN = 0
EXIT_ERROR_FINDINGS = 1
EXIT_BAD_INPUT = 2


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    check = subparsers.add_parser(
        "check",
        parents=[common],
        help="check a note for what a payer's reviewer would reject (needs no vault)",
        description="Check the note composed from SESSION.json, or the note in --text, and "
        "print each finding on stderr as '<severity> <RULE-ID>: <message>', then one summary "
        "line on stdout. Exit 1 when any finding is an error (errors block signing), 2 when a "
        "file cannot be used, else 0.",
    )
    check.add_argument("session_file", metavar="SESSION.json", help="the session details")
    check.add_argument(
        "--text",
        metavar="NOTE.md",
        help="check this note text instead of the note composed from the session file",
    )
    check.add_argument(
        "--body-only",
        action="store_true",
        help="the note carries another system's header (pasted from an EHR): leave out the "
        "rules that read clinote's header",
    )
    check.add_argument(
        "--previous",
        metavar="PREVIOUS.md",
        help="the client's previous note: flag this note if it mostly repeats it (CLONED-NOTE)",
    )
    check.add_argument("--member", metavar="CODE", help="group session: only this member's note")
    check.set_defaults(handler=run_check)


def _read_note_text(path: Path, option: str = "--text") -> str:
    from core.checks.review import MAX_NOTE_CHARS

    try:
        if (
            path.is_file() and path.stat().st_size > 4 * MAX_NOTE_CHARS
        ):  # 4 bytes a character at most
            raise CliError(
                f"{path}: too large for a note (a note holds at most {MAX_NOTE_CHARS:,} "
                f"characters); check the {option} path"
            )
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CliError(f"{path}: no such file; check the {option} path") from None
    except IsADirectoryError:
        raise CliError(f"{path}: is a folder; give {option} a note file") from None
    except UnicodeDecodeError:
        raise CliError(f"{path}: is not UTF-8 text; save the note as UTF-8") from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise CliError(f"{path}: cannot be read ({reason}); check its permissions") from None


def run_check(args: argparse.Namespace) -> int:
    from cli.commands.group import group_session_data, run_group_check
    from core.checks.findings import has_errors
    from core.checks.review import check_note
    from core.notes.composer import compose_note
    from core.notes.session_file import SessionFileError, load_session_file

    group = group_session_data(args.session_file)
    if group is not None:
        return run_group_check(args, *group)
    session_path = Path(args.session_file).expanduser()
    try:
        details = load_session_file(session_path)
    except SessionFileError as error:
        from cli.commands.session_problems import print_session_problems

        print_session_problems(session_path, error.problems)
        return EXIT_BAD_INPUT
    if args.text:
        text = _read_note_text(Path(args.text).expanduser())
    else:
        text = compose_note(details)
    if args.previous:
        previous = _read_note_text(Path(args.previous).expanduser(), "--previous")
        details = replace(details, context=replace(details.context, previous_note_text=previous))
    findings = check_note(details, text, body_only=args.body_only)
    for finding in findings:
        print(_printable(finding.as_line()), file=sys.stderr)
    print(summary_line(findings))
    return EXIT_ERROR_FINDINGS if has_errors(findings) else EXIT_CLEAN


_CONTROL = re.compile(rf"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}]")


def _printable(line: str) -> str:
    # Messages may quote a few words of the note: never let them drive the terminal.
    return _CONTROL.sub(" ", line)


def summary_line(findings: list[Finding]) -> str:
    """The one line on stdout: no findings, or the counts by severity (1 error, 2 warnings)."""

    if not findings:
        return "no findings"
    counts = []
    for severity, one, many in (
        (Severity.ERROR, "error", "errors"),
        (Severity.WARNING, "warning", "warnings"),
        (Severity.INFO, "info", "info"),
    ):
        count = sum(1 for finding in findings if finding.severity is severity)
        if count:
            counts.append(f"{count} {one if count == 1 else many}")
    return ", ".join(counts)
