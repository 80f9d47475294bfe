"""`clinote draft` and `clinote check` on a group session file: one note per member.

Every member's note goes to stdout, separated by a line of `---` (or only the
one chosen with --member); findings go to stderr, each naming the member's code.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.checks.findings import Finding
    from core.notes.group_session import GroupMember, GroupSession

from cli.support import CliError

EXIT_OK = 0
EXIT_ERROR_FINDINGS = 1
EXIT_BAD_INPUT = 2


def _printable(line: str) -> str:
    from cli.commands.check import _printable as printable

    return printable(line)


def summary_line(findings: list[Finding]) -> str:
    from cli.commands.check import summary_line as line

    return line(findings)


def load_group_session(path: Path, data: object) -> GroupSession | None:
    """The parsed group session, or None after printing its problems."""
    from core.notes.group_session import parse_group_session
    from core.notes.session_file import SessionFileError

    try:
        return parse_group_session(data)
    except SessionFileError as error:
        from cli.commands.session_problems import print_session_problems

        print_session_problems(path, error.problems)
        return None


def _members(group_session: GroupSession, member_code: str | None) -> tuple[GroupMember, ...]:
    if member_code is None:
        return group_session.noted_members()
    member = group_session.member(member_code)
    if member is None:
        raise CliError(
            f"no member of this group session has the code {member_code.strip()}; "
            "check --member against the members' client codes"
        )
    return (member,)


def run_group_draft(args: argparse.Namespace, path: Path, data: object) -> int:
    from cli.commands.draft import drafting_settings
    from core.checks.findings import Finding, Severity
    from core.drafting.draft import compose_without_model, draft_note
    from core.notes.group_session import join_member_notes, other_member_findings, with_group_header
    from core.notes.model import NoteFormat

    group_session = load_group_session(path, data)
    if group_session is None:
        return EXIT_BAD_INPUT
    notes = []
    lines = []
    for member in _members(group_session, getattr(args, "member", None)):
        details = member.details
        note_format = NoteFormat(args.format) if args.format else details.format
        if args.no_llm:
            result = compose_without_model(details, note_format)
            notice = Finding(
                "DRAFT-COMPOSER", Severity.INFO, "", "written by clinote's composer (--no-llm)"
            )
            findings = [notice, *result.findings]
        else:
            result = draft_note(
                details,
                note_format,
                drafting_settings(args),
                model=args.model,
                allow_remote=args.allow_remote,
            )
            findings = list(result.findings)
        text = with_group_header(result.text, group_session)
        findings += other_member_findings(member, group_session.members, text)
        notes.append(text)
        lines += [
            _printable(f"{finding.as_line()} (member {member.client.code})") for finding in findings
        ]
    sys.stdout.write(join_member_notes(notes))
    sys.stdout.flush()
    for line in lines:
        print(line, file=sys.stderr)
    return EXIT_OK


def run_group_check(args: argparse.Namespace, path: Path, data: object) -> int:
    from core.checks.findings import has_errors
    from core.checks.review import check_note
    from core.notes.composer import compose_note
    from core.notes.group_session import other_member_findings, with_group_header

    group_session = load_group_session(path, data)
    if group_session is None:
        return EXIT_BAD_INPUT
    if getattr(args, "text", None):
        raise CliError("--text checks one note; for a group session check the composed notes")
    everything = []
    for member in _members(group_session, getattr(args, "member", None)):
        text = with_group_header(compose_note(member.details), group_session)
        findings = [
            *check_note(member.details, text),
            *other_member_findings(member, group_session.members, text),
        ]
        everything += findings
        for finding in findings:
            line = f"{finding.as_line()} (member {member.client.code})"
            print(_printable(line), file=sys.stderr)
    print(summary_line(everything))
    return EXIT_ERROR_FINDINGS if has_errors(everything) else EXIT_OK


def group_session_data(path_text: str) -> tuple[Path, object] | None:
    """(path, decoded JSON) when the file is a group session file; None otherwise.

    A file that cannot be read or decoded is left to the individual path, which says why.
    """
    from core.notes.group_session import is_group_session
    from core.notes.session_file import SessionFileError, read_session_json

    path = Path(path_text).expanduser()
    try:
        data = read_session_json(path)
    except SessionFileError:
        return None
    return (path, data) if is_group_session(data) else None
