"""Turning a passphrase into a key-wrapping key: Argon2id (scrypt fallback) and the reader's bounds."""

from __future__ import annotations

from dataclasses import dataclass

ARGON2ID = 1
SCRYPT = 2
KDF_NAMES = {ARGON2ID: "Argon2id", SCRYPT: "scrypt"}
KEY_BYTES = 32


@dataclass(frozen=True)
class KdfParams:
    """One KDF and its three cost numbers, as stored in the header.

    Argon2id: memory_cost in KiB, iterations (passes), lanes.
    scrypt: memory_cost is log2(N), iterations is r, lanes is p.
    """

    kdf_id: int
    memory_cost: int
    iterations: int
    lanes: int

    @property
    def name(self) -> str:
        return KDF_NAMES.get(self.kdf_id, f"unknown KDF {self.kdf_id}")


@dataclass(frozen=True)
class Bounds:
    low: int
    high: int


@dataclass(frozen=True)
class KdfLimits:
    """What a reader accepts before it spends any time or memory on the KDF."""

    argon2_memory_kib: Bounds
    argon2_iterations: Bounds
    argon2_lanes: Bounds
    scrypt_log2_n: Bounds
    scrypt_r: Bounds
    scrypt_p: Bounds


# RFC 9106 second recommended option (64 MiB, 3 passes, 4 lanes): ~0.35 s on a 2-core server.
DEFAULT_ARGON2ID = KdfParams(ARGON2ID, 64 * 1024, 3, 4)
# Used only when the installed OpenSSL lacks Argon2id.
DEFAULT_SCRYPT = KdfParams(SCRYPT, 17, 8, 1)

# Floors are the minimums; ceilings stop a hostile header from asking
# for gigabytes of memory or minutes of work before the passphrase is even checked.
DEFAULT_LIMITS = KdfLimits(
    argon2_memory_kib=Bounds(64 * 1024, 2 * 1024 * 1024),
    argon2_iterations=Bounds(3, 32),
    argon2_lanes=Bounds(1, 16),
    scrypt_log2_n=Bounds(17, 20),
    scrypt_r=Bounds(8, 16),
    scrypt_p=Bounds(1, 4),
)


def argon2id_available() -> bool:
    try:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

        Argon2id(salt=b"\0" * 16, length=KEY_BYTES, iterations=1, lanes=1, memory_cost=8).derive(
            b"probe"
        )
    except Exception:  # noqa: BLE001 - ImportError or UnsupportedAlgorithm, both mean "no"
        return False
    return True


def default_params() -> KdfParams:
    return DEFAULT_ARGON2ID if argon2id_available() else DEFAULT_SCRYPT


def params_problem(params: KdfParams, limits: KdfLimits) -> str | None:
    """Why these parameters are refused, or None when they are within the limits."""
    if params.kdf_id == ARGON2ID:
        checks = (
            ("memory (KiB)", params.memory_cost, limits.argon2_memory_kib),
            ("passes", params.iterations, limits.argon2_iterations),
            ("lanes", params.lanes, limits.argon2_lanes),
        )
    elif params.kdf_id == SCRYPT:
        checks = (
            ("log2 N", params.memory_cost, limits.scrypt_log2_n),
            ("r", params.iterations, limits.scrypt_r),
            ("p", params.lanes, limits.scrypt_p),
        )
    else:
        return f"unknown key derivation function {params.kdf_id}"
    for label, value, bounds in checks:
        if not bounds.low <= value <= bounds.high:
            return (
                f"{params.name} {label} is {value}, outside the accepted {bounds.low}-{bounds.high}"
            )
    return None


def derive_key(passphrase_bytes: bytes, salt: bytes, params: KdfParams) -> bytes:
    """The 256-bit key that wraps the data key; callers check params_problem first."""
    if params.kdf_id == ARGON2ID:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

        return Argon2id(
            salt=salt,
            length=KEY_BYTES,
            iterations=params.iterations,
            lanes=params.lanes,
            memory_cost=params.memory_cost,
        ).derive(passphrase_bytes)
    if params.kdf_id == SCRYPT:
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        return Scrypt(
            salt=salt,
            length=KEY_BYTES,
            n=2**params.memory_cost,
            r=params.iterations,
            p=params.lanes,
        ).derive(passphrase_bytes)
    raise ValueError(f"unknown KDF {params.kdf_id}")
