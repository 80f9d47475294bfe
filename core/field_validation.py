"""Reading typed fields out of decoded JSON, collecting one problem per bad field.

Every problem names its field path. Messages quote enum, number, date and time
values but never free-text values, which may hold client details.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, time
from enum import StrEnum
from typing import Any, TypeVar, overload

_DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_PATTERN = re.compile(r"^\d{2}:\d{2}$")
# Only short token-like values are quoted back: anything longer may be free text.
_QUOTABLE = re.compile(r"^[A-Za-z0-9_.:+\-]{1,24}$")

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


def _quote(value: object) -> str:
    """A value safe to show in an error message, or a description of its type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str) and _QUOTABLE.match(value):
        return value
    return f"the {_type_name(value)} given"


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false value"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class FieldReader:
    """Reads fields out of decoded JSON, recording problems instead of raising."""

    def __init__(self, document: str) -> None:
        self.document = document  # names the problem when it is the whole document
        self.problems: list[str] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path or self.document}: {message}")

    def obj(
        self, value: object, path: str, required: set[str], optional: set[str]
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.problem(path, f"expected an object, got {_type_name(value)}")
            return None
        for key in value:
            if key not in required and key not in optional:
                self.problem(_join(path, key), "unknown field")
        for key in sorted(required - value.keys()):
            self.problem(_join(path, key), "required field missing")
        return value

    def text(self, parent: dict[str, Any], key: str, path: str, *, required: bool = False) -> str:
        if key not in parent:
            return ""
        value = parent[key]
        if not isinstance(value, str):
            self.problem(_join(path, key), f"expected text, got {_type_name(value)}")
            return ""
        if required and not value.strip():
            self.problem(_join(path, key), "must not be empty")
        return value

    @overload
    def enum(self, parent: dict[str, Any], key: str, path: str, kind: type[E], default: E) -> E: ...

    @overload
    def enum(
        self, parent: dict[str, Any], key: str, path: str, kind: type[E], default: None
    ) -> E | None: ...

    def enum(
        self, parent: dict[str, Any], key: str, path: str, kind: type[E], default: E | None
    ) -> E | None:
        if key not in parent:
            return default
        value = parent[key]
        if isinstance(value, str):
            for member in kind:
                if member.value.lower() == value.lower():
                    return member
        allowed = ", ".join(member.value for member in kind)
        self.problem(_join(path, key), f"{_quote(value)} is not one of {allowed}")
        return default

    def date_field(self, parent: dict[str, Any], key: str, path: str) -> date | None:
        return self._iso_field(
            parent,
            key,
            path,
            _DATE_PATTERN,
            date.fromisoformat,
            unreal="is not a real date",
            form="a date in the form YYYY-MM-DD",
        )

    def time_field(self, parent: dict[str, Any], key: str, path: str) -> time | None:
        return self._iso_field(
            parent,
            key,
            path,
            _TIME_PATTERN,
            time.fromisoformat,
            unreal="is not a real time of day (00:00-23:59)",
            form="a time in the form HH:MM",
        )

    def _iso_field(
        self,
        parent: dict[str, Any],
        key: str,
        path: str,
        pattern: re.Pattern[str],
        parse: Callable[[str], T],
        *,
        unreal: str,
        form: str,
    ) -> T | None:
        """A value in `pattern`'s form that `parse` accepts; `unreal` when it has the form only."""
        if key not in parent:
            return None
        value = parent[key]
        if isinstance(value, str) and pattern.match(value):
            try:
                return parse(value)
            except ValueError:
                self.problem(_join(path, key), f"{value} {unreal}")
                return None
        self.problem(_join(path, key), f"{_quote(value)} is not {form}")
        return None

    def items(self, parent: dict[str, Any], key: str, path: str) -> list[Any]:
        if key not in parent:
            return []
        value = parent[key]
        if not isinstance(value, list):
            self.problem(_join(path, key), f"expected a list, got {_type_name(value)}")
            return []
        return value

    def whole_number(self, value: object, path: str, high: int) -> int | None:
        """An int in 0..high (true/false is not a number here)."""
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(path, f"expected a whole number, got {_quote(value)}")
            return None
        if not 0 <= value <= high:
            self.problem(path, f"{value} is out of range 0-{high}")
            return None
        return value
