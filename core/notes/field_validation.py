"""Reading typed fields out of decoded JSON, collecting one problem per bad field.

Every problem names its field path. Messages quote enum, number, date and time
values but never free-text values, which may hold client details.

Two ways to use it, one set of rules and messages: FieldReader reads a session
file field by field into values; the checks at the end (`object_check`,
`text_check`, ...) describe a whole shape declaratively (the export document)
and report into a FieldReader too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, time
from enum import StrEnum
from typing import Any, TypeVar, overload

from core.text_safety import escape_control, strip_control

# Matched with fullmatch: `$` would also accept a value ending in a newline.
_DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME_PATTERN = re.compile(r"\d{2}:\d{2}")
# Only short token-like values are quoted back: anything longer may be free text.
_QUOTABLE = re.compile(r"[A-Za-z0-9_.:+\-]{1,24}")

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


def _quote(value: object) -> str:
    """A value safe to show in an error message, or a description of its type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str) and _QUOTABLE.fullmatch(value):
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


def _expected(kind: str, value: object) -> str:
    return f"expected {kind}, got {_type_name(value)}"


def join_path(path: str, key: str) -> str:
    """`client.name` from `client` and `name`; a key at the top has no prefix."""
    return f"{path}.{key}" if path else key


def shown_key(key: str) -> str:
    """A field name from the file as a message may show it: escaped and at most 40 characters."""
    shown = escape_control(key)
    return shown if len(shown) <= 40 else shown[:40] + "..."


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
            self.problem(path, _expected("an object", value))
            return None
        for key in value:
            if key not in required and key not in optional:
                self.problem(join_path(path, shown_key(key)), "unknown field")
        for key in sorted(required - value.keys()):
            self.problem(join_path(path, key), "required field missing")
        return value

    def text(self, parent: dict[str, Any], key: str, path: str, *, required: bool = False) -> str:
        if key not in parent:
            return ""
        value = parent[key]
        if not isinstance(value, str):
            self.problem(join_path(path, key), _expected("text", value))
            return ""
        value = strip_control(value)
        if required and not value.strip():
            self.problem(join_path(path, key), "must not be empty")
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
        self.problem(join_path(path, key), f"{_quote(value)} is not one of {allowed}")
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
        if isinstance(value, str) and pattern.fullmatch(value):
            try:
                return parse(value)
            except ValueError:
                self.problem(join_path(path, key), f"{value} {unreal}")
                return None
        self.problem(join_path(path, key), f"{_quote(value)} is not {form}")
        return None

    def items(self, parent: dict[str, Any], key: str, path: str) -> list[Any]:
        if key not in parent:
            return []
        value = parent[key]
        if not isinstance(value, list):
            self.problem(join_path(path, key), _expected("a list", value))
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


# --- declarative checks over a whole shape ------------------------------------------------

Check = Callable[[FieldReader, object, str], None]


def text_check(*, nonempty: bool = False) -> Check:
    def check(reader: FieldReader, value: object, path: str) -> None:
        if not isinstance(value, str):
            reader.problem(path, _expected("text", value))
        elif nonempty and not value.strip():
            reader.problem(path, "must not be empty")

    return check


def optional(check: Check) -> Check:
    """`check`, or null."""

    def check_optional(reader: FieldReader, value: object, path: str) -> None:
        if value is not None:
            check(reader, value, path)

    return check_optional


def iso_check(parse: Callable[[str], object], kind: str) -> Check:
    """Text that `parse` (a fromisoformat) accepts."""

    def check(reader: FieldReader, value: object, path: str) -> None:
        if not isinstance(value, str):
            reader.problem(path, _expected(kind, value))
            return
        try:
            parse(value)
        except ValueError:
            reader.problem(path, f"not a valid {kind} (use ISO 8601)")

    return check


def exact_enum_check(kind: type[StrEnum]) -> Check:
    """One of the enum's values exactly as written (stored data, not typed input)."""
    allowed = [member.value for member in kind]

    def check(reader: FieldReader, value: object, path: str) -> None:
        if value not in allowed:
            reader.problem(path, f"{_quote(value)} is not one of {', '.join(allowed)}")

    return check


def boolean_check(reader: FieldReader, value: object, path: str) -> None:
    if not isinstance(value, bool):
        reader.problem(path, _expected("true or false", value))


def list_check(check: Check) -> Check:
    def check_list(reader: FieldReader, value: object, path: str) -> None:
        if not isinstance(value, list):
            reader.problem(path, _expected("a list", value))
            return
        for index, item in enumerate(value):
            check(reader, item, f"{path}[{index}]")

    return check_list


def object_check(spec: dict[str, tuple[bool, Check]]) -> Check:
    """An object whose keys follow `spec` (key -> (required, check)), read as FieldReader.obj."""
    required = {key for key, (needed, _check) in spec.items() if needed}
    optional_keys = set(spec) - required

    def check(reader: FieldReader, value: object, path: str) -> None:
        fields = reader.obj(value, path, required, optional_keys)
        if fields is None:
            return
        for key, (_needed, check_value) in spec.items():
            if key in fields:
                check_value(reader, fields[key], join_path(path, key))

    return check


def any_value(reader: FieldReader, value: object, path: str) -> None:
    """Accepted here; checked by whoever reads it next."""
