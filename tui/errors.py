"""Turn an exception into the one line a clinician sees: what is wrong, what to do."""

from __future__ import annotations

# Our own layers raise exceptions whose text is already that line.
ONE_LINE_MODULES = ("storage", "core", "tui")


class VaultLocked(Exception):
    """The vault was locked (idle, ctrl+l, a hangup) while something still asked for it."""

    def __init__(self) -> None:
        super().__init__("the vault is locked; unlock it and try again")


def describe_error(error: BaseException) -> str:
    """One line for a notification; never a traceback, never note text."""
    module = type(error).__module__.split(".")[0]
    if module in ONE_LINE_MODULES and str(error):
        return str(error)
    if isinstance(error, OSError):
        reason = error.strerror or type(error).__name__
        return f"{reason}: check the disk and the vault folder's permissions, then try again."
    return (
        f"Unexpected {type(error).__name__}; nothing more was written. "
        "Please report this (no note text is included in this message)."
    )
