"""The Vault: one encrypted file holding a TinyDB database, opened by one session at a time."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

from storage.vault import audit
from storage.vault.errors import VaultError, VaultExists, VaultMissing
from storage.vault.file import (
    VaultFile,
    backup_path_for,
    remove_stale_temp_files,
    write_initial_file,
)
from storage.vault.file_format import DATA_KEY_BYTES, header_for_passphrase
from storage.vault.frame_storage import FrameStorage, encode_json
from storage.vault.kdf import (
    DEFAULT_LIMITS,
    KdfLimits,
    KdfParams,
    default_params,
    params_problem,
)
from storage.vault.lock import SessionLock, lock_vault_file
from storage.vault.passphrase import check_new_passphrase
from storage.vault.permissions import check_private_folder, make_private_folder
from storage.vault.reader import open_vault_fd, read_fd, real_vault_path, unlock_contents
from storage.vault.rollback import RollbackRecord, SeenState, rollback_warning
from storage.vault.tables import VaultDB
from storage.vault.unlock_failures import clear_failed_unlocks, failed_unlock_times

# HKDF info for the signature seal key: a clinote-specific purpose, versioned.
SEAL_KEY_INFO = b"clinote/v1/signature-seal"


class Vault:
    """An unlocked vault: `db` is a TinyDB whose every write is one encrypted, fsynced frame.

    `kdf` (on create and rekey) and `kdf_limits` exist so tests can use cheap
    key derivation; the defaults are the real cost and the real reader bounds.
    Saves from worker threads are serialized, and readers always see whole commits.
    """

    def __init__(
        self,
        path: Path,
        lock: SessionLock,
        storage: FrameStorage,
        *,
        failed_unlocks: int,
        warnings: list[str],
    ) -> None:
        self.path = path
        self._lock: SessionLock | None = lock
        self._storage = storage
        self.db = VaultDB(storage=lambda: storage)
        self.failed_unlocks_before_this_one = failed_unlocks
        self.warnings = warnings

    # -- opening -----------------------------------------------------------
    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        passphrase: str,
        *,
        kdf: KdfParams | None = None,
        kdf_limits: KdfLimits = DEFAULT_LIMITS,
        seen_folder: Path | None = None,
    ) -> Vault:
        """Create a new empty vault; refuses if a file already exists at `path`.

        `seen_folder` (the app's and CLI's: beside the config) keeps the rollback record.
        """
        path = real_vault_path(path)
        check_new_passphrase(passphrase)
        kdf = kdf or default_params()
        problem = params_problem(kdf, kdf_limits)
        if problem:
            raise VaultError(f"refusing to create a vault: {problem}")
        if path.exists():
            raise VaultExists(path)
        try:
            make_private_folder(path.parent)
        except OSError as error:
            raise VaultError(
                f"cannot create the folder {path.parent} ({error.strerror}); "
                "choose another place with --vault"
            ) from None
        check_private_folder(path.parent)
        lock = SessionLock(path)
        vault_file: VaultFile | None = None
        try:
            if path.exists():
                raise VaultExists(path)
            data_key = os.urandom(DATA_KEY_BYTES)
            header = header_for_passphrase(
                kdf, passphrase, data_key, file_id=os.urandom(16), generation=1
            )
            try:
                size = write_initial_file(path, header, data_key, encode_json({"put": {}}))
            except FileExistsError:
                raise VaultExists(path) from None
            fd = open_vault_fd(path, writable=True)
            try:
                lock_vault_file(fd, path)
            except BaseException:
                os.close(fd)
                raise
            seen = RollbackRecord(seen_folder, header.file_id, data_key) if seen_folder else None
            vault_file = VaultFile(
                path, header, data_key, size=size, next_seq=1, snapshot_end=size, fd=fd, seen=seen
            )
            vault = cls(path, lock, FrameStorage(vault_file, {}), failed_unlocks=0, warnings=[])
        except BaseException:
            if vault_file is not None:
                vault_file.close()
            lock.release()
            raise
        vault.record_event(audit.CREATED)
        return vault

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        passphrase: str,
        *,
        kdf_limits: KdfLimits = DEFAULT_LIMITS,
        seen_folder: Path | None = None,
    ) -> Vault:
        """Unlock an existing vault; on any failure nothing is written to it.

        A symlinked path is resolved once, here: compaction then replaces the real file
        and the link keeps pointing at it. `seen_folder` keeps the rollback record.
        """
        path = real_vault_path(path)
        if not path.exists():  # reported before a lock file is made for it
            raise VaultMissing(path)
        check_private_folder(path.parent)
        lock = SessionLock(path)
        fd: int | None = None
        vault_file: VaultFile | None = None
        try:
            fd = open_vault_fd(path, writable=True)
            # The file itself, so a second name for it (a hard link) cannot open it too.
            lock_vault_file(fd, path)
            contents = unlock_contents(path, read_fd(fd), passphrase, kdf_limits)
            failures = failed_unlock_times(path)  # a planted symlink refuses before any write
            remove_stale_temp_files(path)
            seen = (
                RollbackRecord(seen_folder, contents.header.file_id, contents.data_key)
                if seen_folder
                else None
            )
            vault_file = VaultFile(
                path,
                contents.header,
                contents.data_key,
                size=contents.good_end,
                next_seq=contents.frame_count,
                snapshot_end=contents.snapshot_end,
                fd=fd,
                seen=seen,
            )
            fd = None  # vault_file owns it now
            warnings = []
            rolled_back = False
            if seen is not None:
                current = SeenState(contents.header.generation, contents.frame_count)
                warning = rollback_warning(path, current, seen.read())
                if warning:
                    warnings.append(warning)
                    rolled_back = warning.startswith("WARNING")
            if contents.torn.length:
                vault_file.cut_torn_tail()
                warnings.append(
                    f"dropped an unfinished save at the end of {path} "
                    f"({contents.torn.length} bytes, never confirmed); everything saved before it is intact"
                )
            vault = cls(
                path,
                lock,
                FrameStorage(vault_file, contents.tables),
                failed_unlocks=len(failures),
                warnings=warnings,
            )
        except BaseException:
            if fd is not None:
                os.close(fd)
            if vault_file is not None:
                vault_file.close()
            lock.release()
            raise
        entries = [audit.audit_entry(audit.UNLOCK_FAILED, time=when) for when in failures]
        if rolled_back:
            entries.append(audit.audit_entry(audit.ROLLBACK_SEEN))
        entries.append(audit.audit_entry(audit.UNLOCKED))
        audit.record_events(vault.db, entries)  # also brings the rollback record up to date
        clear_failed_unlocks(path)
        return vault

    # -- using -------------------------------------------------------------
    def record_event(self, event: str, record_id: str | None = None) -> None:
        """Append one row to the audit table (time, OS user, event, record id)."""
        audit.record_events(self.db, [audit.audit_entry(event, record_id)])

    def seal_key(self) -> bytes:
        """The key signatures are sealed with: derived from the data key, never the key itself."""
        return self._storage.vault_file.derive_key(SEAL_KEY_INFO)

    @property
    def generation(self) -> int:
        return self._storage.vault_file.header.generation

    @property
    def compaction_error(self) -> str | None:
        """Why the last automatic compaction failed (saves still succeeded), if it did."""
        return self._storage.compaction_error

    def compact(self) -> None:
        """Rewrite the file as a fresh snapshot now, keeping the previous one as `.bak`."""
        self._storage.compact()

    def rekey(
        self,
        new_passphrase: str,
        *,
        kdf: KdfParams | None = None,
        kdf_limits: KdfLimits = DEFAULT_LIMITS,
        rotate_key: bool = False,
    ) -> None:
        """Wrap the data key under a new passphrase (this file and its .bak).

        Plain rekey keeps the data key: an older copy of the file (a backup, or its old
        141-byte header put back) still opens with the old passphrase, and that key then
        reads what is written later. `rotate_key` re-encrypts everything under a new
        random data key, so nothing the old passphrase opens can read it.
        """
        check_new_passphrase(new_passphrase)
        kdf = kdf or default_params()
        problem = params_problem(kdf, kdf_limits)
        if problem:
            raise VaultError(f"refusing to rekey: {problem}")
        if rotate_key:
            self._storage.rotate_key(kdf, new_passphrase)
            self.record_event(audit.KEY_ROTATED)
        else:
            self._storage.rekey(kdf, new_passphrase)
            self.record_event(audit.REKEYED)

    def backup(self, destination: str | os.PathLike[str]) -> Path:
        """Write a consistent encrypted copy (same passphrase); a folder gets a dated file name."""
        destination = Path(destination)
        if destination.is_dir():
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            destination = destination / f"{self.path.stem}-{stamp}{self.path.suffix or '.vault'}"
        if destination.exists():
            raise VaultExists(destination)
        if destination.resolve() in {self.path.resolve(), backup_path_for(self.path).resolve()}:
            raise VaultError(f"{destination} is the vault itself; choose another place")
        try:
            self._storage.copy_to(destination)
        except FileExistsError:
            raise VaultExists(destination) from None
        except OSError as error:
            raise VaultError(
                f"could not write the backup {destination} ({error.strerror}); "
                "check the folder exists and is writable"
            ) from None
        self.record_event(audit.BACKED_UP)
        return destination

    def close(self) -> None:
        """Close the file and release the session lock; safe to call twice."""
        self._storage.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()
