"""The append-only audit trail inside the vault: when, which OS user, what happened, to which record."""

from __future__ import annotations

import getpass
import os
from datetime import datetime
from typing import Any

from storage.vault.tables import AUDIT_TABLE

CREATED = "created"
UNLOCKED = "unlocked"
UNLOCK_FAILED = "unlock_failed"
REKEYED = "rekeyed"
KEY_ROTATED = "key_rotated"
ROLLBACK_SEEN = "rollback_seen"  # opened older than this computer last saw it
BACKED_UP = "backed_up"


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container user without a passwd entry
        return f"uid {os.getuid()}"


def audit_entry(
    event: str, record_id: str | None = None, *, time: str | None = None
) -> dict[str, Any]:
    """One audit row; never any note text, only the event name and a record id."""
    return {
        "time": time or datetime.now().astimezone().isoformat(timespec="seconds"),
        "user": os_user(),
        "event": event,
        "record_id": record_id,
    }


def record_events(db: Any, entries: list[dict[str, Any]]) -> None:
    """Append audit rows in one commit."""
    db.table(AUDIT_TABLE).insert_multiple(entries)
