"""What can go wrong with a vault, each as one line saying what is wrong and what to do."""

from __future__ import annotations

import shlex
from pathlib import Path


class VaultError(Exception):
    """Base of every vault failure; str() is the one line a user reads."""


class VaultMissing(VaultError):
    def __init__(self, path: Path) -> None:
        super().__init__(f"no vault at {path}; run `clinote init` to create one, or pass --vault")


class VaultExists(VaultError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"a vault already exists at {path}; open it, or choose another path with --vault"
        )


class WrongPassphrase(VaultError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"wrong passphrase for {path} (or its header was altered); "
            "try again — failed attempts are reported at the next unlock"
        )


class VaultLocked(VaultError):
    def __init__(self, path: Path, holder: str) -> None:
        super().__init__(f"vault is open in another session ({holder}); close it there or wait")
        self.path = path


class VaultCorrupt(VaultError):
    """The file cannot be read as a vault; nothing was written to it."""

    def __init__(self, path: Path, problem: str, next_step: str = "") -> None:
        backup = Path(f"{path}.bak")
        if backup.exists():
            advice = (
                f"a backup of the previous generation exists at {backup}: to restore it, "
                f"move {path.name} aside and copy {backup.name} to {path.name}"
            )
        else:
            advice = "no .bak backup exists next to it"
        step = f"{next_step}; " if next_step else ""
        super().__init__(f"cannot open {path}: {problem}; nothing was changed; {step}{advice}")
        self.path = path


class DamagedFrame(VaultCorrupt):
    """A frame cannot be read; `intact_end` (0 if none) is where the whole frames before it end."""

    def __init__(self, path: Path, problem: str, *, intact_frames: int, intact_end: int) -> None:
        if intact_end:
            step = (
                f"the {intact_frames} frames before it are intact: `clinote verify --recover` "
                f"writes them to a new file {path}.recovered (the vault itself is left as it is)"
            )
        else:
            step = "the damage is inside the snapshot, so no earlier state can be recovered"
        super().__init__(path, problem, step)
        self.intact_frames = intact_frames
        self.intact_end = intact_end


class UnsupportedFormat(VaultCorrupt):
    """A version or parameter this reader refuses before deriving any key."""


class WeakPassphrase(VaultError):
    pass


class VaultWriteError(VaultError):
    """A save that did not happen: the file and memory are as they were before it."""


class UnserializableValue(VaultError, TypeError):
    def __init__(self, type_name: str) -> None:
        super().__init__(
            f"cannot save a value of type {type_name}: only text, numbers, true/false, "
            "null, lists and objects can be stored; nothing was saved"
        )


class AppendOnlyTable(VaultError):
    def __init__(self, table: str) -> None:
        super().__init__(f"the {table} table is append-only: entries cannot be changed or removed")


class UnsafeFile(VaultError):
    """A file next to the vault that is a symlink, not a regular file, or not the user's own."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(
            f"refusing to use {path}: {problem}; nothing was changed; if no clinote session "
            "is open, remove it (clinote makes a new one) and try again"
        )
        self.path = path


class UnsafeFolder(VaultError):
    """A vault folder that other users can write to: they could plant or swap files in it."""

    def __init__(self, folder: Path, problem: str) -> None:
        super().__init__(
            f"refusing the vault folder {folder}: other users can write to it ({problem}); "
            f"run `chmod go-w {shlex.quote(str(folder))}` and try again"
        )
        self.path = folder


class VaultClosed(VaultError):
    def __init__(self) -> None:
        super().__init__("the vault is closed; open it again to continue")
