"""Import as one commit, and sealing an older vault's signatures at its first open.

Prints a table; asserts nothing about time. Fictional notes only.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage import Vault  # noqa: E402
from storage.records.codec import note_to_doc  # noqa: E402
from storage.records.repositories import Repositories  # noqa: E402
from storage.records.signature_seals import seal_existing_signatures  # noqa: E402
from storage.records.transfer import export_data, import_data  # noqa: E402
from tests.storage.fast_kdf import FAST_KDF, PASSPHRASE, TEST_LIMITS  # noqa: E402
from tests.support.fictional_notes import SIGNER, fictional_client, fictional_draft  # noqa: E402
from tests.support.memory_vault import MemoryVault  # noqa: E402


def export_of(count: int) -> dict:
    memory = MemoryVault()
    repos = Repositories(memory.db, memory.record_event, check_note=lambda details, text: [])
    client = fictional_client()
    repos.clients.save(client)
    first = repos.notes.save_draft(fictional_draft(client, date(2020, 1, 6)))
    signed = repos.notes.sign(first.id, SIGNER, now=datetime(2020, 1, 6, 12, 0).astimezone())
    docs = []
    for number in range(count):
        when = date(2020, 1, 6) + timedelta(days=number)
        note = replace(
            signed,
            id=uuid.uuid4().hex,
            details=replace(signed.details, session=replace(signed.details.session, date=when)),
        )
        docs.append(note_to_doc(note))
    memory.db.table("notes").truncate()
    memory.db.table("notes").insert_multiple(docs)
    return json.loads(json.dumps(export_data(repos)))


def legacy(vault: Vault) -> None:
    """Strip the seals, as a vault from before seals stored its signatures."""
    notes = vault.db.table("notes")

    def unseal(documents) -> None:
        for doc_id in list(documents):
            documents[doc_id]["signature"].pop("seal", None)

    notes._update_table(unseal)
    vault.db.drop_table("signature_seals")


def main() -> int:
    print(
        f"{'notes':>7}  {'import (1 commit)':>18}  {'first-open sealing':>19}  {'later opens':>12}"
    )
    for count in (1_000, 10_000):
        document = export_of(count)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bench.vault"
            with Vault.create(path, PASSPHRASE, kdf=FAST_KDF, kdf_limits=TEST_LIMITS) as vault:
                repos = Repositories.from_vault(vault)
                started = time.perf_counter()
                import_data(repos, document)
                imported = time.perf_counter() - started
                legacy(vault)
                started = time.perf_counter()
                sealed = seal_existing_signatures(vault.db, vault.seal_key(), vault.record_event)
                sealing = time.perf_counter() - started
                started = time.perf_counter()
                seal_existing_signatures(vault.db, vault.seal_key(), vault.record_event)
                again = time.perf_counter() - started
            assert sealed == count
        print(f"{count:>7}  {imported:>16.2f} s  {sealing:>17.2f} s  {again * 1000:>9.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
