"""Process hardening at start-up: no core dumps, which would hold note text and the passphrase."""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

PR_SET_DUMPABLE = 4  # linux/prctl.h


def disable_core_dumps() -> None:
    """RLIMIT_CORE 0 and, on Linux, not dumpable (no core, no ptrace by other users' tools).

    Skipped quietly where a platform lacks either: a refusal here must not stop the app.
    """
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, ValueError, OSError):
        pass
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
        except (OSError, AttributeError):
            pass
