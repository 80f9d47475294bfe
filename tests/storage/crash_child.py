"""A child process the crash tests kill -9: it saves, rekeys or holds a vault and reports on stdout.

Run as `python -m tests.storage.crash_child MODE VAULT`. Every stdout line is
written only after the operation it names has returned, so a parent that
reads it knows the operation was acknowledged.
"""

from __future__ import annotations

import sys
from pathlib import Path

import storage.vault.frame_storage
from storage import Vault, WrongPassphrase
from tests.storage.fast_kdf import FAST_KDF, OTHER_PASSPHRASE, PASSPHRASE, TEST_LIMITS


def keep_saving(path: Path) -> None:
    # Small threshold: kills also land in the middle of compactions.
    storage.vault.frame_storage.COMPACT_AFTER_BYTES = 6000
    if path.exists():
        vault = Vault.open(path, PASSPHRASE, kdf_limits=TEST_LIMITS)
    else:
        vault = Vault.create(path, PASSPHRASE, kdf=FAST_KDF, kdf_limits=TEST_LIMITS)
    notes = vault.db.table("notes")
    number = len(notes)
    while True:
        notes.insert({"client": "Robin Quillfeather", "number": number, "text": "y" * 300})
        print(number, flush=True)
        number += 1


def keep_rekeying(path: Path, rotate_key: bool = False) -> None:
    passphrases = [PASSPHRASE, OTHER_PASSPHRASE]
    try:
        vault = Vault.open(path, passphrases[0], kdf_limits=TEST_LIMITS)
    except WrongPassphrase:
        passphrases.reverse()
        vault = Vault.open(path, passphrases[0], kdf_limits=TEST_LIMITS)
    while True:
        passphrases.reverse()
        vault.rekey(passphrases[0], kdf=FAST_KDF, kdf_limits=TEST_LIMITS, rotate_key=rotate_key)
        print("rekeyed", flush=True)


def hold_open(path: Path) -> None:
    with Vault.open(path, PASSPHRASE, kdf_limits=TEST_LIMITS):
        print("open", flush=True)
        sys.stdin.read()  # until the parent kills us


if __name__ == "__main__":
    mode, vault_path = sys.argv[1], Path(sys.argv[2])
    modes = {
        "save": keep_saving,
        "rekey": keep_rekeying,
        "rotate": lambda path: keep_rekeying(path, rotate_key=True),
        "hold": hold_open,
    }
    modes[mode](vault_path)
