"""What is wrong with a session file, then what to do about it, on stderr."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

FIELDS_HELP = "docs/session-file.md describes every field, examples/ has two complete files"
# Problems about the file itself (not its fields): the path is what to check.
PATH_PROBLEMS = ("no such file", "is a folder")


def print_session_problems(session_path: Path, problems: Sequence[str]) -> None:
    """One line per problem, each naming its field (never free text), and what to do."""
    lines = []
    for problem in problems:
        location = "" if problem.startswith(str(session_path)) else f"{session_path}: "
        lines.append(f"clinote: {location}{problem}")
    if len(lines) == 1:
        hint = "check the session file's path" if _about_the_path(problems[0]) else FIELDS_HELP
        lines[0] += f"; {hint}"
    elif lines:
        lines.append(f"clinote: fix these {len(lines)} problems in the session file; {FIELDS_HELP}")
    for line in lines:
        print(line, file=sys.stderr)


def _about_the_path(problem: str) -> bool:
    return any(marker in problem for marker in PATH_PROBLEMS)
