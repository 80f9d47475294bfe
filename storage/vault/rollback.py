"""Rollback detection: the newest state of each vault this computer has seen, kept outside the vault.

One small file per vault (named after its file id) in a folder beside the user's config:
`CLNSEEN1`, file id, generation and frame count, then an HMAC-SHA256 of those bytes under a
key derived from the vault's data key. It never holds note content. A vault that opens
behind its record was rolled back: truncated at a frame boundary, or an older copy
(the `.bak`, a backup) put in its place.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import struct
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from storage.vault.permissions import make_private_folder, open_own_file

MAGIC = b"CLNSEEN1"
_BODY = struct.Struct(">8s16sQQ")
_MAC_BYTES = 32
RECORD_BYTES = _BODY.size + _MAC_BYTES
_KEY_INFO = b"clinote rollback record v1"


@dataclass(frozen=True)
class SeenState:
    generation: int
    frames: int

    def is_ahead_of(self, other: SeenState) -> bool:
        return (self.generation, self.frames) > (other.generation, other.frames)


def record_key(data_key: bytes) -> bytes:
    """A key for the record only, so it reveals nothing about the data key."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_INFO).derive(data_key)


class RollbackRecord:
    """The record of one vault in `folder`; reads and writes never raise (it is a safeguard)."""

    def __init__(self, folder: Path, file_id: bytes, data_key: bytes) -> None:
        self.folder = folder
        self.path = folder / f"{file_id.hex()}.seen"
        self._file_id = file_id
        self._key = record_key(data_key)

    def read(self) -> SeenState | None | bool:
        """The state last seen; None when there is no record; False when it does not verify."""
        try:
            fd = open_own_file(self.path, os.O_RDONLY, private=False)
        except FileNotFoundError:
            return None
        except Exception:  # noqa: BLE001 - a planted or unreadable record cannot be trusted
            return False
        try:
            raw = os.read(fd, RECORD_BYTES + 1)
        except OSError:
            return False
        finally:
            os.close(fd)
        if len(raw) != RECORD_BYTES:
            return False
        body, mac = raw[: _BODY.size], raw[_BODY.size :]
        expected = hmac.new(self._key, body, hashlib.sha256).digest()
        magic, file_id, generation, frames = _BODY.unpack(body)
        if not hmac.compare_digest(mac, expected) or magic != MAGIC or file_id != self._file_id:
            return False
        return SeenState(generation, frames)

    def write(self, state: SeenState) -> None:
        """Replace the record (temp file, rename); a failure only weakens detection."""
        body = _BODY.pack(MAGIC, self._file_id, state.generation, state.frames)
        raw = body + hmac.new(self._key, body, hashlib.sha256).digest()
        temp = self.folder / f".{self.path.name}.{secrets.token_hex(6)}.tmp"
        try:
            if not self.folder.exists():
                make_private_folder(self.folder)
            # No fsync: the vault is always durable first, so a lost record is only older.
            fd = open_own_file(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
            try:
                os.write(fd, raw)
            finally:
                os.close(fd)
            os.replace(temp, self.path)
        except Exception:  # noqa: BLE001
            try:
                temp.unlink()
            except OSError:
                pass

    def rekeyed(self, data_key: bytes) -> None:
        """After a key rotation: later records are authenticated with the new key."""
        self._key = record_key(data_key)


def rollback_warning(path: Path, current: SeenState, seen: SeenState | None | bool) -> str | None:
    """One line when the vault is behind what this computer saw last, else None."""
    if seen is None:
        return None
    if seen is False:
        return (
            f"could not check {path} for a rollback: this computer's record of it does not "
            "verify (altered, or made before a key rotation); it now records this state"
        )
    assert isinstance(seen, SeenState)
    if not seen.is_ahead_of(current):
        return None
    return (
        f"WARNING: {path} is OLDER than the copy this computer last opened (generation "
        f"{current.generation}, {current.frames} frames; last seen generation {seen.generation}, "
        f"{seen.frames} frames): it was restored from a backup or rolled back; if you did not "
        "do that, recent notes and signatures may be missing: check them and your backups"
    )
