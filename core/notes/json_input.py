"""Decoding JSON from a file we did not write: every refusal is one line, never a crash.

Python's json module keeps the last of two equal keys (so a second "risk"
silently replaces the first), raises ValueError on a 5,000-digit number and
RecursionError on deep nesting. Here all three are refused with a reason.
"""

from __future__ import annotations

import json
from typing import Any

from core.text_safety import escape_control

MAX_NUMBER_DIGITS = 30  # far past any score, year or count a clinote file holds


class JsonInputError(Exception):
    """The text is not JSON clinote accepts; str() says where and why, never quoting values."""

    def __init__(self, message: str, position: tuple[int, int] | None = None) -> None:
        super().__init__(message)
        self.position = position  # (line, column) of a syntax error


def _refuse_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            shown = escape_control(key)[:40]
            raise JsonInputError(f'the key "{shown}" appears twice in one object; keep one')
        document[key] = value
    return document


def _parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise JsonInputError(f"a number has more than {MAX_NUMBER_DIGITS} digits")
    return int(digits)


def _parse_float(digits: str) -> float:
    if len(digits) > MAX_NUMBER_DIGITS * 2:
        raise JsonInputError(f"a number has more than {MAX_NUMBER_DIGITS * 2} characters")
    return float(digits)


def _parse_constant(name: str) -> Any:
    raise JsonInputError(f"{name} is not a JSON number")


def loads_untrusted(text: str) -> Any:
    """json.loads refusing duplicate keys, huge numbers, NaN and nesting past Python's limit."""
    try:
        return json.loads(
            text,
            object_pairs_hook=_refuse_duplicates,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_parse_constant,
        )
    except json.JSONDecodeError as error:
        # error.msg never contains the document's text, only what was expected.
        raise JsonInputError(
            f"not valid JSON at line {error.lineno} column {error.colno} ({error.msg})",
            (error.lineno, error.colno),
        ) from None
    except RecursionError:
        raise JsonInputError("nested too deeply (lists or objects inside each other)") from None
