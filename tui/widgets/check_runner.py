"""The checks off the UI thread: typing never waits for them, and a stale result is dropped."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.message import Message
from textual.widget import Widget

from core.checks.findings import Finding, Severity
from core.checks.review import check_note
from core.notes.model import SessionDetails

CHECK_GROUP = "checks"
CHECKS_FAILED = Finding(
    "CHECKS-FAILED",
    Severity.ERROR,
    "",
    "the checks could not read this note; save the draft and report the problem",
)


class CheckRunner(Widget):
    """Invisible: runs check_note in a worker thread, one at a time, latest text wins."""

    DEFAULT_CSS = "CheckRunner { display: none; }"

    @dataclass
    class Checked(Message):
        """The findings for the latest text asked about."""

        findings: list[Finding]

    @dataclass
    class _Done(Message):
        generation: int
        findings: list[Finding]

    def __init__(self) -> None:
        super().__init__()
        self._asked = 0  # bumped for each request; older results are stale
        self._busy = False
        self._queued: tuple[SessionDetails, str] | None = None

    def request(self, details: SessionDetails, text: str) -> None:
        """Check this text; while a check runs, only the latest request waits for its turn."""
        self._asked += 1
        if self._busy:
            self._queued = (details, text)
            return
        self._start(details, text)

    def _start(self, details: SessionDetails, text: str) -> None:
        self._busy = True
        self._check(self._asked, details, text)

    @work(thread=True, exclusive=True, group=CHECK_GROUP, exit_on_error=False)
    def _check(self, generation: int, details: SessionDetails, text: str) -> None:
        # A worker never touches widgets: it posts what it found.
        try:
            findings = check_note(details, text)
        except Exception:  # noqa: BLE001 - reported below; no traceback may carry note text
            findings = [CHECKS_FAILED]
        self.post_message(self._Done(generation, findings))

    @on(_Done)
    def _on_done(self, event: _Done) -> None:
        event.stop()
        self._busy = False
        if self._queued is not None:
            details, text = self._queued
            self._queued = None
            self._start(details, text)  # the result in hand is stale: the text moved on
            return
        if event.generation == self._asked:
            self.post_message(self.Checked(event.findings))
