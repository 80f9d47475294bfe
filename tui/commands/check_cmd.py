"""`clinote check SESSION.json [--text NOTE.md]`: the checks' findings, one per line on stderr."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.cli_support import CliError

EXIT_CLEAN = 0
EXIT_ERROR_FINDINGS = 1
EXIT_BAD_INPUT = 2


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    check = subparsers.add_parser(
        "check",
        parents=[common],
        help="check a note for what a payer's reviewer would reject (needs no vault)",
        description="Check the note composed from SESSION.json, or the note in --text, and "
        "print each finding on stderr as '<severity> <RULE-ID>: <message>'. Exit 1 when any "
        "finding is an error (errors block signing), 2 when a file cannot be used, else 0.",
    )
    check.add_argument("session_file", metavar="SESSION.json", help="the session details")
    check.add_argument(
        "--text",
        metavar="NOTE.md",
        help="check this note text instead of the note composed from the session file",
    )
    check.add_argument("--member", metavar="CODE", help="group session: only this member's note")
    check.set_defaults(handler=run_check)


def _read_note_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CliError(f"{path}: no such file; check the --text path") from None
    except IsADirectoryError:
        raise CliError(f"{path}: is a folder; give --text a note file") from None
    except UnicodeDecodeError:
        raise CliError(f"{path}: is not UTF-8 text; save the note as UTF-8") from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise CliError(f"{path}: cannot be read ({reason}); check its permissions") from None


def run_check(args: argparse.Namespace) -> int:
    from core.checks import check_note
    from core.composer import compose_note
    from core.findings import has_errors
    from core.session_file import SessionFileError, load_session_file
    from tui.commands.group_cmd import group_session_data, run_group_check

    group = group_session_data(args.session_file)
    if group is not None:
        return run_group_check(args, *group)
    session_path = Path(args.session_file).expanduser()
    try:
        details = load_session_file(session_path)
    except SessionFileError as error:
        from tui.commands.session_problems import print_session_problems

        print_session_problems(session_path, error.problems)
        return EXIT_BAD_INPUT
    if args.text:
        text = _read_note_text(Path(args.text).expanduser())
    else:
        text = compose_note(details)
    findings = check_note(details, text)
    for finding in findings:
        print(finding.as_line(), file=sys.stderr)
    return EXIT_ERROR_FINDINGS if has_errors(findings) else EXIT_CLEAN
