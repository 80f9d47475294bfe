"""Checking a vault without changing it (`clinote verify`), and recovering the frames before damage."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from storage.vault.errors import DamagedFrame, VaultError, VaultExists, VaultMissing
from storage.vault.file import write_new_file
from storage.vault.kdf import DEFAULT_LIMITS, KdfLimits
from storage.vault.lock import lock_vault_file
from storage.vault.permissions import check_private_folder
from storage.vault.reader import open_vault_fd, read_fd, real_vault_path, unlock_contents
from storage.vault.rollback import RollbackRecord, SeenState, rollback_warning


@dataclass(frozen=True)
class VerifyReport:
    generation: int
    frames: int
    tables: dict[str, int]
    torn_bytes: int
    kdf: str
    rollback_warning: str | None = None
    unverified_signatures: int | None = None  # imported, not verified; None: not sealed yet

    @property
    def documents(self) -> int:
        return sum(self.tables.values())


def verify_vault(
    path: str | os.PathLike[str],
    passphrase: str,
    *,
    kdf_limits: KdfLimits = DEFAULT_LIMITS,
    seen_folder: Path | None = None,
) -> VerifyReport:
    """Decrypt every frame without writing anything; raises VaultError when unsound.

    Needs no write access (a read-only file system works): the file is opened read-only
    with a shared flock, which any open session's exclusive flock refuses.
    """
    from storage.records.signature_seals import unverified_signature_total

    path = real_vault_path(path)
    if not path.exists():
        raise VaultMissing(path)
    check_private_folder(path.parent)
    fd = open_vault_fd(path, writable=False)
    try:
        lock_vault_file(fd, path, shared=True)
        contents = unlock_contents(path, read_fd(fd), passphrase, kdf_limits)
    finally:
        os.close(fd)
    rollback = None
    if seen_folder is not None:
        record = RollbackRecord(seen_folder, contents.header.file_id, contents.data_key)
        current = SeenState(contents.header.generation, contents.frame_count)
        rollback = rollback_warning(path, current, record.read())
    return VerifyReport(
        generation=contents.header.generation,
        frames=contents.frame_count,
        tables={name: len(documents) for name, documents in contents.tables.items()},
        torn_bytes=contents.torn.length,
        kdf=f"{contents.header.kdf.name} ({contents.header.kdf.memory_cost}, "
        f"{contents.header.kdf.iterations}, {contents.header.kdf.lanes})",
        rollback_warning=rollback,
        unverified_signatures=unverified_signature_total(contents.tables),
    )


def recovered_path_for(path: Path) -> Path:
    return path.with_name(path.name + ".recovered")


def recover_vault(
    path: str | os.PathLike[str], passphrase: str, *, kdf_limits: KdfLimits = DEFAULT_LIMITS
) -> tuple[Path, int]:
    """Copy the whole frames before a damaged one to `<vault>.recovered`, a NEW file.

    The vault itself is never changed; returns the new file and how many frames it holds.
    Raises VaultError when the vault is sound, when nothing before the damage can be kept,
    or when `<vault>.recovered` already exists.
    """
    path = real_vault_path(path)
    try:
        verify_vault(path, passphrase, kdf_limits=kdf_limits)
    except DamagedFrame as damage:
        if not damage.intact_end:
            raise
        destination = recovered_path_for(path)
        if destination.exists():
            raise VaultExists(destination) from None
        fd = open_vault_fd(path, writable=False)
        try:
            intact = read_fd(fd)[: damage.intact_end]
        finally:
            os.close(fd)
        try:
            write_new_file(destination, [intact])
        except FileExistsError:
            raise VaultExists(destination) from None
        except OSError as error:
            raise VaultError(
                f"could not write {destination} ({error.strerror}); nothing was changed"
            ) from None
        return destination, damage.intact_frames
    raise VaultError(f"{path} is sound; there is nothing to recover and nothing was written")
