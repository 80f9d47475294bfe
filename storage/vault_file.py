"""The vault file on disk: appending frames durably, new generations, rekeyed and backup copies."""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from storage.errors import VaultClosed, VaultError, VaultWriteError
from storage.kdf import KdfParams
from storage.permissions import fsync_folder, open_private
from storage.vault_format import (
    DELTA,
    HEADER_SIZE,
    SNAPSHOT_END,
    SNAPSHOT_PART,
    VaultHeader,
    decode_header,
    encode_frame,
    header_for_passphrase,
)

COPY_CHUNK = 1024 * 1024


def backup_path_for(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def temp_path_in(folder: Path, name: str) -> Path:
    return folder / f".{name}.{secrets.token_hex(6)}.tmp"


def remove_stale_temp_files(path: Path) -> None:
    """Temp files left by a killed compaction or rekey hold only ciphertext; tidy them."""
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            leftover.unlink()
        except OSError:
            pass


class VaultFile:
    """An open vault file: appends go at `size`, so a failed write is cut off again."""

    def __init__(
        self,
        path: Path,
        header: VaultHeader,
        data_key: bytes,
        *,
        size: int,
        next_seq: int,
        snapshot_end: int,
    ) -> None:
        self.path = path
        self.header = header
        self._data_key = data_key
        self._cipher = AESGCM(data_key)
        self._aad_prefix = header.frame_aad_prefix()
        self.size = size
        self.next_seq = next_seq
        self.snapshot_end = snapshot_end
        self._fd: int | None = open_private(path, os.O_RDWR)
        self._unsafe_reason: str | None = None

    def derive_key(self, info: bytes) -> bytes:
        """A 32-byte key for one purpose (`info`), derived from the data key by HKDF-SHA256.

        The data key itself never leaves this object.
        """
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF

        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(
            self._data_key
        )

    @property
    def frame_count(self) -> int:
        return self.next_seq

    @property
    def snapshot_bytes(self) -> int:
        return self.snapshot_end - HEADER_SIZE

    @property
    def delta_bytes(self) -> int:
        return self.size - self.snapshot_end

    # -- appending -------------------------------------------------------
    def append_delta(self, plaintext: bytes) -> None:
        """Write one frame and fsync it; on failure cut the file back and raise."""
        fd = self._require_open()
        if self._unsafe_reason:
            raise VaultWriteError(
                f"saving to {self.path} is stopped after an earlier failure ({self._unsafe_reason}); "
                "close clinote and open the vault again"
            )
        frame = encode_frame(self._cipher, self._aad_prefix, DELTA, self.next_seq, plaintext)
        try:
            _write_all_at(fd, frame, self.size)
            os.fsync(fd)
        except OSError as error:
            self._cut_back_to(self.size)
            raise VaultWriteError(
                f"could not save to {self.path} ({_reason(error)}); nothing was saved; "
                "fix the disk problem and save again"
            ) from None
        self.size += len(frame)
        self.next_seq += 1

    def _cut_back_to(self, size: int) -> None:
        try:
            os.ftruncate(self._fd, size)
        except OSError as error:
            # Unacknowledged bytes may remain; appending after them would corrupt the file.
            self._unsafe_reason = _reason(error)
            return
        try:
            os.fsync(self._fd)
        except OSError:
            pass  # the cut is in the page cache; a later fsync makes it durable

    def cut_torn_tail(self) -> None:
        """Drop bytes after the last whole frame (an append that never finished)."""
        fd = self._require_open()
        os.ftruncate(fd, self.size)
        os.fsync(fd)

    # -- whole-file rewrites -----------------------------------------------
    def write_new_generation(self, chunks: Iterable[bytes]) -> None:
        """Compact: a fresh snapshot in a temp file replaces the file; the old one becomes .bak."""
        self._require_open()
        header = replace(self.header, generation=self.header.generation + 1)
        aad_prefix = header.frame_aad_prefix()
        seq = 0
        encoded: list[bytes] = [header.to_bytes()]
        pending: bytes | None = None
        for chunk in chunks:
            if pending is not None:
                encoded.append(encode_frame(self._cipher, aad_prefix, SNAPSHOT_PART, seq, pending))
                seq += 1
            pending = chunk
        encoded.append(encode_frame(self._cipher, aad_prefix, SNAPSHOT_END, seq, pending or b"{}"))
        size = sum(len(piece) for piece in encoded)
        self._install(encoded, keep_backup=True)
        self.header, self._aad_prefix = header, aad_prefix
        self.size = self.snapshot_end = size
        self.next_seq = seq + 1

    def rekey(self, kdf: KdfParams, passphrase: str) -> None:
        """Same data key and frames under a new passphrase; the .bak is rewrapped too."""
        self._require_open()
        new_header = header_for_passphrase(
            kdf,
            passphrase,
            self._data_key,
            file_id=self.header.file_id,
            generation=self.header.generation,
        )
        body = _read_range(self.path, HEADER_SIZE, self.size)
        self._install([new_header.to_bytes(), body], keep_backup=False)
        self.header = new_header
        backup = backup_path_for(self.path)
        if backup.exists():
            _rewrap_copy(backup, new_header)

    def copy_to(self, destination: Path) -> None:
        """A consistent encrypted copy that opens with the same passphrase; never overwrites."""
        self._require_open()
        contents = _read_range(self.path, 0, self.size)
        _write_new_file(destination, [contents], no_clobber=True)

    def _install(self, pieces: list[bytes], *, keep_backup: bool) -> None:
        temp = temp_path_in(self.path.parent, self.path.name)
        try:
            _write_file(temp, pieces)
            if keep_backup:
                _keep_as_backup(self.path)
            os.replace(temp, self.path)
            fsync_folder(self.path.parent)
        except OSError as error:
            _remove_quietly(temp)
            raise VaultWriteError(
                f"could not rewrite {self.path} ({_reason(error)}); the vault is unchanged; "
                "fix the disk problem and try again"
            ) from None
        self._reopen()

    def _reopen(self) -> None:
        # The old descriptor points at the replaced file: appends must go to the new one.
        old = self._fd
        self._fd = open_private(self.path, os.O_RDWR)
        if old is not None:
            os.close(old)

    def _require_open(self) -> int:
        if self._fd is None:
            raise VaultClosed()
        return self._fd

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _keep_as_backup(path: Path) -> None:
    backup = backup_path_for(path)
    staged = temp_path_in(path.parent, backup.name)
    try:
        os.link(path, staged)
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
        _write_file(staged, [path.read_bytes()])  # a filesystem without hard links
    try:
        os.replace(staged, backup)
    except OSError:
        _remove_quietly(staged)
        raise


def _rewrap_copy(backup: Path, new_header: VaultHeader) -> None:
    try:
        data = backup.read_bytes()
        old = decode_header(data, backup)
    except (OSError, VaultError):
        return  # an unreadable backup stays as it is; it was no use with either passphrase
    if old.file_id != new_header.file_id:
        return
    rewrapped = replace(new_header, generation=old.generation)
    temp = temp_path_in(backup.parent, backup.name)
    try:
        _write_file(temp, [rewrapped.to_bytes(), data[HEADER_SIZE:]])
        os.replace(temp, backup)
        fsync_folder(backup.parent)
    except OSError:
        _remove_quietly(temp)


def write_initial_file(path: Path, header: VaultHeader, data_key: bytes, snapshot: bytes) -> int:
    """A new vault holding one snapshot frame; refuses to replace an existing file."""
    frame = encode_frame(AESGCM(data_key), header.frame_aad_prefix(), SNAPSHOT_END, 0, snapshot)
    pieces = [header.to_bytes(), frame]
    _write_new_file(path, pieces, no_clobber=True)
    return sum(len(piece) for piece in pieces)


def _write_new_file(path: Path, pieces: list[bytes], *, no_clobber: bool) -> None:
    temp = temp_path_in(path.parent, path.name)
    try:
        _write_file(temp, pieces)
        if no_clobber:
            os.link(temp, path)  # fails with EEXIST instead of replacing a file that appeared
            os.unlink(temp)
        else:
            os.replace(temp, path)
        fsync_folder(path.parent)
    except BaseException:
        _remove_quietly(temp)
        raise


def _write_file(path: Path, pieces: list[bytes]) -> None:
    fd = open_private(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    try:
        offset = 0
        for piece in pieces:
            _write_all_at(fd, piece, offset)
            offset += len(piece)
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all_at(fd: int, data: bytes, offset: int) -> None:
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, offset)
        if written <= 0:
            raise OSError(errno.EIO, "write made no progress")
        view, offset = view[written:], offset + written


def _read_range(path: Path, start: int, end: int) -> bytes:
    with open(path, "rb") as stream:
        stream.seek(start)
        return stream.read(end - start)


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__
