"""Cheap key derivation for vault tests that are not about the KDF, and a vault factory.

The real reader bounds refuse these weak parameters, so every test that uses
FAST_KDF passes TEST_LIMITS explicitly; nothing in the product can lower them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import KdfLimits, KdfParams, Vault
from storage.kdf import ARGON2ID, Bounds

PASSPHRASE = "violet harbor lantern morning"
OTHER_PASSPHRASE = "copper meadow whistle evening"
FAST_KDF = KdfParams(ARGON2ID, memory_cost=64, iterations=1, lanes=1)
# Ceilings stay low so a damaged header cannot make a test derive a slow key.
TEST_LIMITS = KdfLimits(
    argon2_memory_kib=Bounds(8, 128 * 1024),
    argon2_iterations=Bounds(1, 4),
    argon2_lanes=Bounds(1, 4),
    scrypt_log2_n=Bounds(4, 17),
    scrypt_r=Bounds(1, 8),
    scrypt_p=Bounds(1, 2),
)

FICTIONAL_NOTES = [
    {"client": "Robin Quillfeather", "format": "DAP", "text": "Reviewed sleep log; homework kept."},
    {"client": "Marisol Oakhaven", "format": "SOAP", "text": "PHQ-9 total 8; practised grounding."},
    {"client": "Teodor Brightwater", "format": "BIRP", "text": "Role-played a hard phone call."},
]


def create_vault(path: Path, passphrase: str = PASSPHRASE) -> Vault:
    return Vault.create(path, passphrase, kdf=FAST_KDF, kdf_limits=TEST_LIMITS)


def open_vault(path: Path, passphrase: str = PASSPHRASE) -> Vault:
    return Vault.open(path, passphrase, kdf_limits=TEST_LIMITS)


def notes_in(path: Path, passphrase: str = PASSPHRASE) -> list[dict]:
    with open_vault(path, passphrase) as vault:
        return [dict(note) for note in vault.db.table("notes").all()]


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    return tmp_path / "practice" / "clinote.vault"


@pytest.fixture
def vault(vault_path: Path):
    with create_vault(vault_path) as opened:
        yield opened
