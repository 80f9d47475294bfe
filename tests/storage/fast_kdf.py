"""Cheap key derivation for vault tests that are not about the KDF (no pytest import: child processes use it too).

The real reader bounds refuse these weak parameters, so every test that uses
FAST_KDF passes TEST_LIMITS explicitly; nothing in the product can lower them.
"""

from __future__ import annotations

from storage import KdfLimits, KdfParams
from storage.vault.kdf import ARGON2ID, Bounds

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
