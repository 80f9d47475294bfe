"""A warm model: loaded in the background before the clinician asks for a draft.

A model load takes seconds on a laptop; Ollama keeps a loaded model for
`keep_alive`. `WarmModels` remembers, per host and model, a load in flight and
until when a loaded model stays warm, so a second editor does not load again.
`preload_model` sends the empty chat that makes Ollama load the model; every
failure is swallowed here and met again, in words, when a draft is asked for.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from core.drafting.connection import (
    DEFAULT_MODEL,
    DraftingError,
    OllamaConnection,
    refuse_cloud_model,
    resolve_host,
)
from core.notes.model import Settings

# Reload a little before Ollama would unload, rather than a little after.
EXPIRY_MARGIN_SECONDS = 60.0
# A load can take a minute on a slow disk; the connection waits that long at most.
PRELOAD_READ_TIMEOUT_SECONDS = 120.0

ModelKey = tuple[str, str]  # (host url, model name)


class WarmModels:
    """Which models are loading or warm, and until when; safe from any thread."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._loading: set[ModelKey] = set()
        self._warm_until: dict[ModelKey, float] = {}

    def is_warm(self, key: ModelKey) -> bool:
        with self._lock:
            return self._clock() < self._warm_until.get(key, 0.0)

    def begin_load(self, key: ModelKey) -> bool:
        """True when the caller should load: not already loading, not warm."""
        with self._lock:
            if key in self._loading or self._clock() < self._warm_until.get(key, 0.0):
                return False
            self._loading.add(key)
            return True

    def loaded(self, key: ModelKey, keep_alive_minutes: int) -> None:
        """The model was loaded (or used) now and stays for keep_alive_minutes."""
        with self._lock:
            self._loading.discard(key)
            seconds = keep_alive_minutes * 60 - EXPIRY_MARGIN_SECONDS
            self._warm_until[key] = self._clock() + max(0.0, seconds)

    def load_failed(self, key: ModelKey) -> None:
        with self._lock:
            self._loading.discard(key)
            self._warm_until.pop(key, None)


def model_key(settings: Settings) -> ModelKey | None:
    """(host url, model) for these settings; None when the host setting is unusable."""
    try:
        host = resolve_host(settings)
    except DraftingError:
        return None
    return host.url, settings.model.strip() or DEFAULT_MODEL


def preload_model(settings: Settings, warm: WarmModels) -> bool:
    """Load the settings' model with keep_alive unless it is loading or warm.

    True when the model was loaded now. Never raises for a drafting failure:
    the clinician meets it, in one line, when asking for a draft.
    """
    minutes = settings.keep_warm_minutes
    key = model_key(settings)
    if minutes <= 0 or key is None or not warm.begin_load(key):
        return False
    try:
        refuse_cloud_model(key[1], settings.allow_remote)
        # from_settings refuses a host the settings do not allow before connecting.
        with OllamaConnection.from_settings(
            settings, read_timeout=PRELOAD_READ_TIMEOUT_SECONDS
        ) as connection:
            connection.load_model(key[1], f"{minutes}m")
    except DraftingError:
        warm.load_failed(key)
        return False
    except BaseException:
        warm.load_failed(key)
        raise
    warm.loaded(key, minutes)
    return True
