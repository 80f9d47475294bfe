"""Reading a vault file: header checks, KDF bounds, key unwrap, frame replay."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from storage.vault.errors import (
    DamagedFrame,
    UnsupportedFormat,
    VaultCorrupt,
    VaultMissing,
    WrongPassphrase,
)
from storage.vault.file_format import (
    DELTA,
    HEADER_SIZE,
    SNAPSHOT_END,
    SNAPSHOT_PART,
    FrameDamaged,
    TornTail,
    VaultHeader,
    decode_frames,
    decode_header,
    unwrap_data_key,
)
from storage.vault.frame_storage import Tables, apply_payload
from storage.vault.kdf import DEFAULT_LIMITS, KdfLimits, derive_key, params_problem
from storage.vault.passphrase import passphrase_bytes
from storage.vault.permissions import open_own_file
from storage.vault.unlock_failures import record_failed_unlock


@dataclass
class UnlockedContents:
    header: VaultHeader
    data_key: bytes
    tables: Tables
    frame_count: int
    snapshot_end: int  # offset just past the snapshot's last frame
    good_end: int  # offset just past the last whole frame
    torn: TornTail


READ_CHUNK = 1024 * 1024


def real_vault_path(path: str | os.PathLike[str]) -> Path:
    """The vault's real path: symlinks resolved once, so every later step uses the same file."""
    return Path(os.path.realpath(Path(path).expanduser()))


def open_vault_fd(path: Path, *, writable: bool) -> int:
    """The vault file's descriptor: never through a symlink, only a regular file of this user's.

    Hard links are accepted: the flock on the inode keeps sessions under two names apart.
    """
    flags = os.O_RDWR if writable else os.O_RDONLY
    if os.path.isdir(path):
        raise VaultCorrupt(path, "it is a folder, not a vault file")
    try:
        return open_own_file(path, flags, private=writable, other_names_ok=True)
    except FileNotFoundError:
        raise VaultMissing(path) from None
    except IsADirectoryError:
        raise VaultCorrupt(path, "it is a folder, not a vault file") from None
    except PermissionError:
        raise VaultCorrupt(path, "this user may not read it (check its owner)") from None


def read_fd(fd: int) -> bytes:
    """Everything in the file from offset 0, whatever the descriptor's position."""
    chunks: list[bytes] = []
    offset = 0
    while True:
        chunk = os.pread(fd, READ_CHUNK, offset)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        offset += len(chunk)


def unlock_contents(
    path: Path, data: bytes, passphrase: str, limits: KdfLimits = DEFAULT_LIMITS
) -> UnlockedContents:
    """Decrypt everything in `data`; raises before deriving a key from a hostile header."""
    header = decode_header(data, path)
    problem = params_problem(header.kdf, limits)
    if problem:
        raise UnsupportedFormat(path, f"{problem}; refusing to run the key derivation")
    if not passphrase:
        raise WrongPassphrase(path)
    try:
        secret = passphrase_bytes(passphrase)
    except UnicodeEncodeError:  # not text: it cannot be the passphrase, and is not an attempt
        raise WrongPassphrase(path) from None
    kek = derive_key(secret, header.salt, header.kdf)
    data_key = unwrap_data_key(header, kek)
    if data_key is None:
        record_failed_unlock(path)
        raise WrongPassphrase(path)
    return replay(path, data, header, data_key)


def replay(path: Path, data: bytes, header: VaultHeader, data_key: bytes) -> UnlockedContents:
    tables: Tables = {}
    torn = TornTail()
    frames = decode_frames(data, AESGCM(data_key), header.frame_aad_prefix(), path, torn)
    count, snapshot_end, good_end = 0, 0, HEADER_SIZE
    try:
        for frame in frames:
            expected = (DELTA,) if snapshot_end else (SNAPSHOT_PART, SNAPSHOT_END)
            if frame.kind not in expected:
                raise FrameDamaged(frame.seq, good_end, "is out of order")
            try:
                apply_payload(tables, json.loads(frame.plaintext))
            except (ValueError, TypeError, AttributeError):
                raise FrameDamaged(frame.seq, good_end, "holds malformed data") from None
            if frame.kind == SNAPSHOT_END:
                snapshot_end = frame.end
            count, good_end = count + 1, frame.end
    except FrameDamaged as damage:
        # Everything before the damage is whole and authentic: say so, and how to keep it.
        raise DamagedFrame(
            path, str(damage), intact_frames=count, intact_end=good_end if snapshot_end else 0
        ) from None
    if not snapshot_end:
        raise VaultCorrupt(path, "the file ends inside its snapshot (it was truncated)")
    return UnlockedContents(header, data_key, tables, count, snapshot_end, good_end, torn)
