"""The vault file on disk: appending frames durably, new generations, rekeyed and backup copies."""

from __future__ import annotations

import errno
import fcntl
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from storage.vault.errors import VaultClosed, VaultError, VaultWriteError
from storage.vault.file_format import (
    DATA_KEY_BYTES,
    DELTA,
    HEADER_SIZE,
    MAGIC,
    SALT_BYTES,
    SNAPSHOT_END,
    SNAPSHOT_PART,
    VaultHeader,
    decode_header,
    encode_frame,
    header_for_passphrase,
    rewrap,
)
from storage.vault.kdf import KdfParams, derive_key
from storage.vault.lock import lock_vault_file
from storage.vault.passphrase import passphrase_bytes
from storage.vault.permissions import fsync_folder, open_own_file, open_private
from storage.vault.rollback import RollbackRecord, SeenState

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


_TEMP_NAME = re.compile(r"^\..+\.[0-9a-f]{12}\.tmp$")


def remove_abandoned_copies(folder: Path) -> None:
    """Remove temp files a killed backup left in `folder`: ours (vault bytes), and unlocked.

    Every temp file is flocked while it is written, so one that a running clinote is
    still writing is left alone.
    """
    try:
        names = [entry.name for entry in os.scandir(folder) if _TEMP_NAME.match(entry.name)]
    except OSError:
        return
    for name in names:
        candidate = folder / name
        try:
            fd = open_own_file(candidate, os.O_RDONLY, private=False)
        except (OSError, VaultError):
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.pread(fd, len(MAGIC), 0) == MAGIC:
                candidate.unlink()
        except OSError:
            pass
        finally:
            os.close(fd)


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
        fd: int,
        seen: RollbackRecord | None = None,
    ) -> None:
        """`fd` is the vault opened read-write and flocked exclusively (see lock.py); this owns it."""
        self.path = path
        self.header = header
        self._data_key = data_key
        self._cipher = AESGCM(data_key)
        self._aad_prefix = header.frame_aad_prefix()
        self.size = size
        self.next_seq = next_seq
        self.snapshot_end = snapshot_end
        self._fd: int | None = fd
        self._unsafe_reason: str | None = None
        self.seen = seen

    def record_seen(self) -> None:
        """Tell the rollback record this state is now the newest (after every commit)."""
        if self.seen is not None:
            self.seen.write(SeenState(self.header.generation, self.next_seq))

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
            self._cut_back_to(fd, self.size)
            raise VaultWriteError(
                f"could not save to {self.path} ({_reason(error)}); nothing was saved; "
                "fix the disk problem and save again"
            ) from None
        self.size += len(frame)
        self.next_seq += 1
        self.record_seen()

    def _cut_back_to(self, fd: int, size: int) -> None:
        try:
            os.ftruncate(fd, size)
        except OSError as error:
            # Unacknowledged bytes may remain; appending after them would corrupt the file.
            self._unsafe_reason = _reason(error)
            return
        try:
            os.fsync(fd)
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
        encoded, frames = _encode_snapshot(header, self._cipher, chunks)
        self._install(encoded, keep_backup=True)
        self._now_holds(header, self._data_key, encoded, frames)

    def rotate_key(self, kdf: KdfParams, passphrase: str, chunks: Iterable[bytes]) -> None:
        """Re-encrypt everything under a new random data key and a new passphrase wrap.

        The current file becomes `.bak` first, its (old) data key wrapped under the new
        passphrase, so a crash at any moment leaves a vault that opens with the old
        passphrase (not yet replaced) or the new one (replaced).
        """
        fd = self._require_open()
        new_key = os.urandom(DATA_KEY_BYTES)
        salt = os.urandom(SALT_BYTES)
        kek = derive_key(passphrase_bytes(passphrase), salt, kdf)
        unwrapped = VaultHeader(self.header.file_id, kdf, salt, b"", b"", self.header.generation)
        header = rewrap(replace(unwrapped, generation=self.header.generation + 1), kek, new_key)
        encoded, frames = _encode_snapshot(header, AESGCM(new_key), chunks)
        backup_header = rewrap(unwrapped, kek, self._data_key)
        body = _pread_range(fd, HEADER_SIZE, self.size)
        backup = backup_path_for(self.path)
        temp = temp_path_in(self.path.parent, backup.name)
        try:
            _write_file(temp, [backup_header.to_bytes(), body])
            os.replace(temp, backup)
        except OSError as error:
            _remove_quietly(temp)
            raise VaultWriteError(
                f"could not write {backup} ({_reason(error)}); the vault is unchanged; "
                "fix the disk problem and try again"
            ) from None
        self._install(encoded, keep_backup=False)
        if self.seen is not None:
            self.seen.rekeyed(new_key)
        self._now_holds(header, new_key, encoded, frames)

    def _now_holds(
        self, header: VaultHeader, data_key: bytes, encoded: list[bytes], frames: int
    ) -> None:
        self.header, self._data_key = header, data_key
        self._cipher, self._aad_prefix = AESGCM(data_key), header.frame_aad_prefix()
        self.size = self.snapshot_end = sum(len(piece) for piece in encoded)
        self.next_seq = frames
        self.record_seen()

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
        body = _pread_range(self._require_open(), HEADER_SIZE, self.size)
        self._install([new_header.to_bytes(), body], keep_backup=False)
        self.header = new_header
        backup = backup_path_for(self.path)
        if backup.exists():
            _rewrap_copy(backup, new_header)

    def copy_to(self, destination: Path) -> None:
        """A consistent encrypted copy that opens with the same passphrase; never overwrites."""
        contents = _pread_range(self._require_open(), 0, self.size)
        remove_abandoned_copies(destination.parent)
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
        try:
            self._reopen()
        except OSError as error:
            # The old descriptor is the replaced file (now .bak): never append to it.
            self._unsafe_reason = f"could not reopen the rewritten file: {_reason(error)}"
            raise VaultWriteError(
                f"rewrote {self.path} but could not reopen it ({_reason(error)}); "
                "close clinote and open the vault again"
            ) from None

    def _reopen(self) -> None:
        # The old descriptor points at the replaced file: appends must go to the new one.
        # The new file is locked before the old lock goes, so no other session slips in between.
        old = self._fd
        new = open_private(self.path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
        try:
            lock_vault_file(new, self.path, wait=True)
        except BaseException:
            os.close(new)
            raise
        self._fd = new
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


def write_new_file(path: Path, pieces: list[bytes]) -> None:
    """A new file holding `pieces`, durably; FileExistsError rather than replacing one."""
    _write_new_file(path, pieces, no_clobber=True)


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
    fd = open_private(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # tells remove_abandoned_copies this one is in progress
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


def _pread_range(fd: int, start: int, end: int) -> bytes:
    chunks = []
    while start < end:
        chunk = os.pread(fd, min(COPY_CHUNK, end - start), start)
        if not chunk:
            raise OSError(errno.EIO, "the vault file is shorter than expected")
        chunks.append(chunk)
        start += len(chunk)
    return b"".join(chunks)


def _encode_snapshot(
    header: VaultHeader, cipher: AESGCM, chunks: Iterable[bytes]
) -> tuple[list[bytes], int]:
    """The header and snapshot frames of a new generation, and how many frames they are."""
    aad_prefix = header.frame_aad_prefix()
    seq = 0
    encoded: list[bytes] = [header.to_bytes()]
    pending: bytes | None = None
    for chunk in chunks:
        if pending is not None:
            encoded.append(encode_frame(cipher, aad_prefix, SNAPSHOT_PART, seq, pending))
            seq += 1
        pending = chunk
    encoded.append(encode_frame(cipher, aad_prefix, SNAPSHOT_END, seq, pending or b"{}"))
    return encoded, seq + 1


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__
