"""Writes clinote-export-v1.json: a saved export of format version 1 (fictional people only).

Kept so that every later clinote is tested against a file the first version wrote.
Run from the project root: `.venv/bin/python -m tests.storage.data.make_export_v1`.
"""

import json
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from tinydb import TinyDB
from tinydb.storages import MemoryStorage

from storage.records.repositories import Repositories
from storage.records.transfer import export_data
from tests.support.fictional_notes import (
    SIGNER,
    fictional_client,
    fictional_draft,
    fictional_plan,
)

OFFSET = timezone(timedelta(hours=-5))


def main() -> None:
    repos = Repositories(TinyDB(storage=MemoryStorage), lambda event, record_id=None: None)
    client = fictional_client(id="0c9f3d6a2b7e4f01a8d5c3b2e1f0a9d8")
    repos.clients.save(client)
    repos.plans.save(fictional_plan(client))
    first = fictional_draft(client, date(2025, 3, 4))
    first = repos.notes.save_draft(
        replace(first, id="5e2d8c1b9a7f4e3d2c1b0a9f8e7d6c5b"),
        now=datetime(2025, 3, 4, 11, 5, tzinfo=OFFSET),
    )
    repos.notes.sign(first.id, SIGNER, now=datetime(2025, 3, 4, 11, 30, tzinfo=OFFSET))
    repos.notes.add_addendum(
        first.id,
        "The GAD-7 total was 11, not 12.",
        "Scoring error found on review",
        SIGNER,
        now=datetime(2025, 3, 6, 9, 15, tzinfo=OFFSET),
    )
    second = fictional_draft(client, date(2025, 3, 11))
    repos.notes.save_draft(
        replace(second, id="a1b2c3d4e5f60718293a4b5c6d7e8f90"),
        now=datetime(2025, 3, 11, 11, 0, tzinfo=OFFSET),
    )
    document = export_data(repos, now=datetime(2025, 3, 12, 8, 0, tzinfo=OFFSET))
    path = Path(__file__).with_name("clinote-export-v1.json")
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
