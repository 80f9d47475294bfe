"""One lock around every repository call: the vault is used from the UI and from workers."""

from __future__ import annotations

import functools
import threading
from typing import Any, TypeVar, cast

T = TypeVar("T")

# Values handed back as they are; anything else (a repository) is wrapped too.
PLAIN_TYPES = (str, bytes, int, float, bool, type(None), tuple, list, dict, set, frozenset)


class Serialized:
    """Proxy whose method calls (and its sub-objects' calls) all hold one re-entrant lock.

    TinyDB is not thread-safe, and the app reads on the UI thread while workers
    write; serializing every call keeps the vault's memory and file consistent.
    """

    def __init__(self, target: Any, lock: threading.RLock) -> None:
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_lock", lock)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if isinstance(value, PLAIN_TYPES):
            return value
        if callable(value):
            lock = self._lock

            @functools.wraps(value)
            def locked(*args: Any, **kwargs: Any) -> Any:
                with lock:
                    return value(*args, **kwargs)

            return locked
        return Serialized(value, self._lock)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("repositories are read through the app; assign on the target")

    def __repr__(self) -> str:
        return f"Serialized({self._target!r})"


def serialized(target: T, lock: threading.RLock) -> T:
    """`target` behind a `Serialized` proxy, typed as the target so callers keep its types."""
    return cast(T, Serialized(target, lock))
