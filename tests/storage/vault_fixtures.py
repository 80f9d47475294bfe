"""Vault fixtures and helpers for the storage tests: cheap KDF, fictional notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import Vault
from tests.storage.fast_kdf import FAST_KDF, OTHER_PASSPHRASE, PASSPHRASE, TEST_LIMITS

__all__ = ["FAST_KDF", "OTHER_PASSPHRASE", "PASSPHRASE", "TEST_LIMITS"]

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
