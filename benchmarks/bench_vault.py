"""Saving one ~3 KB note in the encrypted vault vs. plain TinyDB JSONStorage, and unlock time.

Prints median and p95 per save (insert of a new note, update of an existing one)
at 100, 1,000, 10,000 and 50,000 notes. Vault saves include the fsync; TinyDB's
JSONStorage does not fsync at all, which only flatters it. Unlock includes the
real Argon2id key derivation. All data is generated and fictional.
"""

from __future__ import annotations

import gc
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tinydb import TinyDB  # noqa: E402

from storage import Vault  # noqa: E402

SIZES = (100, 1_000, 10_000, 50_000)
VAULT_SAMPLES = 60
UNLOCK_SAMPLES = 3
PASSPHRASE = "benchmark only fictional passphrase"
WORDS = (
    "client reported improved sleep practised grounding reviewed homework thought record "
    "cognitive restructuring values exercise behavioural activation walked daily noticed "
    "avoidance anxiety lower plan next session weekly referral safety plan reviewed"
).split()


def json_samples(size: int) -> int:
    return 20 if size <= 1_000 else 8 if size <= 10_000 else 3


def fictional_note(number: int, chance: random.Random) -> dict:
    def text(characters: int) -> str:
        words: list[str] = []
        while sum(len(word) + 1 for word in words) < characters:
            words.append(chance.choice(WORDS))
        return " ".join(words)

    return {
        "id": f"n-{number:06d}",
        "client_id": f"c-{number % 400:04d}",
        "format": "DAP",
        "date": "2026-03-04",
        "start": "10:00",
        "stop": "10:50",
        "minutes": 50,
        "cpt": "90834",
        "goals": [{"goal_id": "g-1", "progress": "improving"}],
        "sections": {"data": text(1200), "assessment": text(900), "plan": text(700)},
        "signed": False,
    }


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def save_samples(table, count: int, size: int, chance: random.Random) -> tuple[list, list]:
    inserts, updates = [], []
    for sample in range(count):
        note = fictional_note(size + sample, chance)
        inserts.append(timed(lambda note=note: table.insert(note)))
        doc_id = chance.randint(1, size)
        change = {"sections": fictional_note(doc_id, chance)["sections"], "signed": True}
        updates.append(
            timed(lambda change=change, doc_id=doc_id: table.update(change, doc_ids=[doc_id]))
        )
    return inserts, updates


def measure(size: int, folder: Path) -> dict:
    chance = random.Random(size)
    notes = [fictional_note(number, chance) for number in range(size)]
    vault_path = folder / f"v{size}.vault"
    with Vault.create(vault_path, PASSPHRASE) as vault:
        vault.db.table("notes").insert_multiple(notes)
        vault.compact()  # unlock reads one snapshot, as after normal use
    unlocks = []
    for _ in range(UNLOCK_SAMPLES):
        gc.collect()
        start = time.perf_counter()
        vault = Vault.open(vault_path, PASSPHRASE)
        unlocks.append(time.perf_counter() - start)
        vault.close()
    with Vault.open(vault_path, PASSPHRASE) as vault:
        vault_insert, vault_update = save_samples(
            vault.db.table("notes"), VAULT_SAMPLES, size, chance
        )
    del vault
    gc.collect()

    json_path = folder / f"t{size}.json"
    with TinyDB(json_path) as plain:
        plain.table("notes").insert_multiple(notes)
        json_insert, json_update = save_samples(
            plain.table("notes"), json_samples(size), size, chance
        )
    del notes
    gc.collect()
    return {
        "size": size,
        "vault_insert": summary(vault_insert),
        "vault_update": summary(vault_update),
        "json_insert": summary(json_insert),
        "json_update": summary(json_update),
        "unlock": statistics.median(unlocks),
        "file_mb": vault_path.stat().st_size / 1e6,
    }


def main() -> int:
    print(__doc__.strip().splitlines()[0])
    print("times in ms (median / p95); ratio = TinyDB median / vault median\n")
    header = (
        f"{'notes':>7} | {'vault insert':>13} | {'vault update':>13} | {'TinyDB insert':>15} | "
        f"{'TinyDB update':>15} | {'ratio ins/upd':>13} | {'unlock':>8} | {'file':>7}"
    )
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory(prefix="clinote-bench-") as folder:
        for size in SIZES:
            row = measure(size, Path(folder))
            vi, vu, ji, ju = (
                row[k] for k in ("vault_insert", "vault_update", "json_insert", "json_update")
            )
            print(
                f"{size:>7,} | {vi[0]:>5.2f} / {vi[1]:>5.2f} | {vu[0]:>5.2f} / {vu[1]:>5.2f} | "
                f"{ji[0]:>6.1f} / {ji[1]:>6.1f} | {ju[0]:>6.1f} / {ju[1]:>6.1f} | "
                f"{ji[0] / vi[0]:>5.0f}x/{ju[0] / vu[0]:>5.0f}x | {row['unlock']:>6.2f} s | "
                f"{row['file_mb']:>5.1f}MB",
                flush=True,
            )
            for path in Path(folder).iterdir():
                path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
