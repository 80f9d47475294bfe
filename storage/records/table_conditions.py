"""Search conditions for TinyDB tables that are cheaper than tinydb.Query on large tables."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


class VisitEach:
    """A search condition that only reads each stored document (no copy) and matches none.

    Listing a whole table through TinyDB copies every document; the caseload
    summary needs four small fields of each note, so it looks without copying.
    """

    def __init__(self, visit: Callable[[Mapping[str, Any]], None]) -> None:
        self._visit = visit

    def __call__(self, value: Mapping[str, Any]) -> bool:
        self._visit(value)
        return False

    def is_cacheable(self) -> bool:
        return False


class FieldEquals:
    """`doc[key] == value` as a search condition, far cheaper per document than a tinydb Query.

    Hashable, so TinyDB's per-table query cache (cleared on every write) still applies.
    """

    def __init__(self, key: str, value: str) -> None:
        self._key = key
        self._value = value

    def __call__(self, value: Mapping[str, Any]) -> bool:
        return value.get(self._key) == self._value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldEquals) and (self._key, self._value) == (
            other._key,
            other._value,
        )

    def __hash__(self) -> int:
        return hash((self._key, self._value))
