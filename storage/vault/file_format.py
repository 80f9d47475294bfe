"""The vault file's bytes: header, key wrap and encrypted frames (see docs/vault-format.md)."""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from storage.vault.errors import UnsupportedFormat, VaultCorrupt
from storage.vault.kdf import KdfParams, derive_key
from storage.vault.passphrase import passphrase_bytes

MAGIC = b"CLNVAULT"
FORMAT_VERSION = 1
SALT_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
DATA_KEY_BYTES = 32

# magic, version, header size, file id | kdf id, 3 costs, salt | wrap nonce, wrapped key | generation
_IDENTITY = struct.Struct(">8sHH16s")
_KDF = struct.Struct(f">BIII{SALT_BYTES}s")
_WRAP = struct.Struct(f">{NONCE_BYTES}s{DATA_KEY_BYTES + TAG_BYTES}s")
_GENERATION = struct.Struct(">Q")
HEADER_SIZE = _IDENTITY.size + _KDF.size + _WRAP.size + _GENERATION.size  # 141
_WRAP_AAD_END = _IDENTITY.size + _KDF.size  # 73
_GENERATION_AT = HEADER_SIZE - _GENERATION.size  # 133

# ciphertext length (tag included, nonce not), the same length inverted, kind, sequence number.
# The inverted copy tells a torn append (bytes missing) from a damaged length (bytes changed).
FRAME_HEADER = struct.Struct(">IIBQ")
_LENGTH_CHECK = 0xFFFFFFFF
SNAPSHOT_PART = 1
SNAPSHOT_END = 2
DELTA = 3
FRAME_KINDS = {SNAPSHOT_PART, SNAPSHOT_END, DELTA}


@dataclass(frozen=True)
class VaultHeader:
    file_id: bytes
    kdf: KdfParams
    salt: bytes
    wrap_nonce: bytes
    wrapped_key: bytes
    generation: int

    def to_bytes(self) -> bytes:
        return (
            _IDENTITY.pack(MAGIC, FORMAT_VERSION, HEADER_SIZE, self.file_id)
            + _KDF.pack(
                self.kdf.kdf_id,
                self.kdf.memory_cost,
                self.kdf.iterations,
                self.kdf.lanes,
                self.salt,
            )
            + _WRAP.pack(self.wrap_nonce, self.wrapped_key)
            + _GENERATION.pack(self.generation)
        )

    def wrap_aad(self) -> bytes:
        """Identity, KDF parameters and salt: what the key wrap authenticates."""
        return self.to_bytes()[:_WRAP_AAD_END]

    def frame_aad_prefix(self) -> bytes:
        """Identity and generation: what every frame authenticates besides its own header."""
        encoded = self.to_bytes()
        return encoded[: _IDENTITY.size] + encoded[_GENERATION_AT:]


def header_for_passphrase(
    kdf: KdfParams, passphrase: str, data_key: bytes, *, file_id: bytes, generation: int
) -> VaultHeader:
    """A header with a fresh salt whose wrap of data_key opens with this passphrase."""
    unwrapped = VaultHeader(file_id, kdf, os.urandom(SALT_BYTES), b"", b"", generation)
    kek = derive_key(passphrase_bytes(passphrase), unwrapped.salt, kdf)
    return rewrap(unwrapped, kek, data_key)


def rewrap(header: VaultHeader, kek: bytes, data_key: bytes) -> VaultHeader:
    nonce = os.urandom(NONCE_BYTES)
    draft = VaultHeader(
        header.file_id,
        header.kdf,
        header.salt,
        nonce,
        b"\0" * (DATA_KEY_BYTES + TAG_BYTES),
        header.generation,
    )
    wrapped = AESGCM(kek).encrypt(nonce, data_key, draft.wrap_aad())
    return VaultHeader(header.file_id, header.kdf, header.salt, nonce, wrapped, header.generation)


def unwrap_data_key(header: VaultHeader, kek: bytes) -> bytes | None:
    """The data key, or None when the passphrase (or the authenticated header) is wrong."""
    try:
        return AESGCM(kek).decrypt(header.wrap_nonce, header.wrapped_key, header.wrap_aad())
    except InvalidTag:
        return None


def decode_header(data: bytes, path: Path) -> VaultHeader:
    """Parse and sanity-check the header; raises VaultCorrupt before any key is derived."""
    if len(data) == 0:
        raise VaultCorrupt(path, "the file is empty (0 bytes), not a vault")
    if not data.startswith(MAGIC):
        if data.lstrip()[:1] in (b"{", b"["):
            raise VaultCorrupt(path, "it holds plaintext JSON, not an encrypted vault")
        raise VaultCorrupt(
            path,
            "it is not a clinote vault (unknown file signature)",
            "check that --vault or CLINOTE_VAULT names your vault file",
        )
    if len(data) < _IDENTITY.size:
        raise VaultCorrupt(path, "the file is truncated inside its header")
    _, version, header_size, file_id = _IDENTITY.unpack_from(data)
    if version != FORMAT_VERSION:
        raise UnsupportedFormat(
            path,
            f"it uses vault format {version}; this clinote reads format {FORMAT_VERSION} "
            "(update clinote)",
        )
    if header_size != HEADER_SIZE:
        raise VaultCorrupt(path, f"its header size {header_size} is wrong for format 1")
    if len(data) < HEADER_SIZE:
        raise VaultCorrupt(path, "the file is truncated inside its header")
    kdf_id, memory_cost, iterations, lanes, salt = _KDF.unpack_from(data, _IDENTITY.size)
    wrap_nonce, wrapped_key = _WRAP.unpack_from(data, _WRAP_AAD_END)
    (generation,) = _GENERATION.unpack_from(data, _GENERATION_AT)
    return VaultHeader(
        file_id,
        KdfParams(kdf_id, memory_cost, iterations, lanes),
        salt,
        wrap_nonce,
        wrapped_key,
        generation,
    )


def encode_frame(cipher: AESGCM, aad_prefix: bytes, kind: int, seq: int, plaintext: bytes) -> bytes:
    length = len(plaintext) + TAG_BYTES
    frame_header = FRAME_HEADER.pack(length, length ^ _LENGTH_CHECK, kind, seq)
    nonce = os.urandom(NONCE_BYTES)
    return frame_header + nonce + cipher.encrypt(nonce, plaintext, aad_prefix + frame_header)


@dataclass(frozen=True)
class DecodedFrame:
    kind: int
    seq: int
    plaintext: bytes
    end: int  # offset just past this frame


@dataclass
class TornTail:
    """Bytes after the last whole frame: an append that never finished."""

    offset: int = 0
    length: int = 0


class FrameDamaged(Exception):
    """Frame `seq` at `offset` cannot be read; the frames before it were whole."""

    def __init__(self, seq: int, offset: int, problem: str) -> None:
        super().__init__(f"frame {seq} at byte {offset} {problem}")
        self.seq = seq
        self.offset = offset


def decode_frames(
    data: bytes, cipher: AESGCM, aad_prefix: bytes, path: Path, torn: TornTail
) -> Iterator[DecodedFrame]:
    """Decrypt frames in order; a torn last frame is reported in `torn`, damage raises FrameDamaged.

    Bytes count as a torn tail (an append that never finished) only when no valid frame
    follows them, so a crafted length can never make a writer cut off good frames.
    """
    view = memoryview(data)
    offset, seq = HEADER_SIZE, 0
    while offset < len(data):
        remaining = len(data) - offset
        if remaining < FRAME_HEADER.size + NONCE_BYTES:  # too short to hold any frame after it
            torn.offset, torn.length = offset, remaining
            return
        length, length_check, kind, stored_seq = FRAME_HEADER.unpack_from(data, offset)
        if length ^ length_check != _LENGTH_CHECK:
            if _only_zeros_from(data, offset):
                torn.offset, torn.length = offset, remaining
                return
            raise FrameDamaged(seq, offset, "has a damaged length")
        body_start = offset + FRAME_HEADER.size + NONCE_BYTES
        if body_start + length > len(data):
            if _valid_frame_after(data, offset + 1, cipher, aad_prefix, seq + 1):
                raise FrameDamaged(seq, offset, "has a length that skips over later frames")
            torn.offset, torn.length = offset, remaining
            return
        plaintext = _open_frame(view, offset, cipher, aad_prefix, seq)
        if plaintext is None:
            if _only_zeros_from(data, offset):
                torn.offset, torn.length = offset, remaining
                return
            raise FrameDamaged(seq, offset, "fails authentication")
        offset = body_start + length
        yield DecodedFrame(kind, seq, plaintext, offset)
        seq += 1


def _open_frame(
    view: memoryview, offset: int, cipher: AESGCM, aad_prefix: bytes, seq: int
) -> bytes | None:
    """The plaintext of the frame at `offset` if it is whole, authentic and number `seq`."""
    if len(view) - offset < FRAME_HEADER.size + NONCE_BYTES:
        return None
    length, length_check, kind, stored_seq = FRAME_HEADER.unpack_from(view, offset)
    body_start = offset + FRAME_HEADER.size + NONCE_BYTES
    if (
        length ^ length_check != _LENGTH_CHECK
        or length < TAG_BYTES
        or kind not in FRAME_KINDS
        or stored_seq != seq
        or body_start + length > len(view)
    ):
        return None
    frame_header = bytes(view[offset : offset + FRAME_HEADER.size])
    nonce = bytes(view[offset + FRAME_HEADER.size : body_start])
    try:
        return cipher.decrypt(
            nonce, view[body_start : body_start + length], aad_prefix + frame_header
        )
    except InvalidTag:
        return None


def _valid_frame_after(
    data: bytes, start: int, cipher: AESGCM, aad_prefix: bytes, seq: int
) -> bool:
    """Whether an authentic frame number `seq` starts anywhere at or after `start`."""
    view = memoryview(data)
    # Its kind byte and sequence number are known, so bytes.find skips everything else.
    for kind in FRAME_KINDS:
        marker = bytes([kind]) + seq.to_bytes(8, "big")
        found = data.find(marker, start + 8)
        while found != -1:
            if _open_frame(view, found - 8, cipher, aad_prefix, seq) is not None:
                return True
            found = data.find(marker, found + 1)
    return False


def _only_zeros_from(data: bytes, offset: int) -> bool:
    # After a power cut a file can end in zeros where an unfinished append was to go.
    return data.count(0, offset) == len(data) - offset
