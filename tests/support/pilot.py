"""Waiting in pilot tests: poll the running app until a condition holds, never sleep."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

# Generous: TUI tests share two cores with other work, and a pass returns as soon as it holds.
WAIT_SECONDS = 10.0


async def wait_until(
    pilot: Pilot[Any], predicate: Callable[[], object], timeout: float = WAIT_SECONDS
) -> None:
    """Let the app run until predicate() holds; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(
                f"timed out after {timeout}s waiting for {predicate.__doc__ or 'condition'}"
            )
        await pilot.pause(0.02)
