"""The callable and vault shapes every record repository is built from, in one place.

Repositories import these types from here rather than from each other, so no
repository module depends on another just for a type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from tinydb import TinyDB

from core.checks.findings import Finding
from core.notes.model import SessionDetails

__all__ = ["CheckNote", "RecordEvent", "VaultLike"]

# (event, record_id=None), as Vault.record_event: the audit trail, never note text.
RecordEvent = Callable[..., None]
# The checks run on a note before it is saved or signed.
CheckNote = Callable[[SessionDetails, str], list[Finding]]


class VaultLike(Protocol):
    """An open vault as the repositories need it: its database and its audit trail."""

    db: TinyDB

    def record_event(self, event: str, record_id: str | None = None) -> None: ...
