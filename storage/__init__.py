"""Bytes on disk: the encrypted vault file, its TinyDB storage, locking and backups."""

from storage.vault.check import VerifyReport, verify_vault
from storage.vault.errors import (
    AppendOnlyTable,
    UnserializableValue,
    UnsupportedFormat,
    VaultClosed,
    VaultCorrupt,
    VaultError,
    VaultExists,
    VaultLocked,
    VaultMissing,
    VaultWriteError,
    WeakPassphrase,
    WrongPassphrase,
)
from storage.vault.kdf import DEFAULT_LIMITS, KdfLimits, KdfParams
from storage.vault.passphrase import RULES, check_new_passphrase, same_passphrase
from storage.vault.vault import Vault

PASSPHRASE_RULES = RULES

__all__ = [
    "AppendOnlyTable",
    "DEFAULT_LIMITS",
    "KdfLimits",
    "KdfParams",
    "PASSPHRASE_RULES",
    "RULES",
    "UnserializableValue",
    "UnsupportedFormat",
    "Vault",
    "VaultClosed",
    "VaultCorrupt",
    "VaultError",
    "VaultExists",
    "VaultLocked",
    "VaultMissing",
    "VaultWriteError",
    "VerifyReport",
    "WeakPassphrase",
    "WrongPassphrase",
    "check_new_passphrase",
    "same_passphrase",
    "verify_vault",
]
