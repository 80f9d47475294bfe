"""`clinote --demo`: a full fictional caseload at once, marked DEMO, gone after exit."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import sys
import time
from pathlib import Path

import pytest

from cli.demo import DemoVault
from tests.support.pilot import wait_until
from tests.tui.conftest import screen_text, table_rows
from tui.screens.caseload import CaseloadScreen
from tui.screens.unlock import UnlockScreen

ANSI = re.compile(rb"\x1b(\[[0-9;?<>]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-B]|[=>78])")


async def test_demo_opens_a_fictional_caseload_marked_demo(make_app, tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    demo = DemoVault()
    app = make_app(demo.path, demo=demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CaseloadScreen))
        await pilot.pause()
        assert "DEMO" in app.sub_title
        rows = table_rows(app, "#caseload-table")
        assert len(rows) == 5
        assert sum(int(row[4] or 0) for row in rows) == 5  # drafts waiting for a signature
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        text = screen_text(app)
        assert "DEMO: fictional clients" in text and demo.passphrase in text
    demo.remove()
    assert not demo.folder.exists()


class Terminal:
    """The real `clinote` in a pseudo-terminal: what a person at a terminal would get."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become clinote
            os.execve(sys.executable, [sys.executable, "-m", "cli.main", *args], env)
        os.set_blocking(self.fd, False)
        self.output = b""

    def text(self) -> str:
        return ANSI.sub(b"", self.output).decode("utf-8", "replace")

    def read_until(self, needle: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{needle!r} never appeared on the terminal")
            ready, _, _ = select.select([self.fd], [], [], min(remaining, 0.5))
            if ready:
                try:
                    self.output += os.read(self.fd, 65536)
                except OSError:
                    raise AssertionError(f"clinote ended before showing {needle!r}") from None

    def send(self, data: bytes) -> None:
        os.write(self.fd, data)

    def wait_exit(self, timeout: float = 30.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self.output += os.read(self.fd, 65536)
            except (BlockingIOError, OSError):
                pass
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
            select.select([self.fd], [], [], 0.1)
        os.kill(self.pid, signal.SIGKILL)
        raise AssertionError("clinote did not exit")


def demo_env(tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CLINOTE_", "PYTEST_", "OLLAMA"))
    }
    env.update(
        TERM="xterm-256color",
        COLUMNS="80",
        LINES="24",
        TMPDIR=str(tmp_path),
        CLINOTE_CONFIG=str(tmp_path / "config.toml"),
        OLLAMA_HOST="http://127.0.0.1:9",
        PYTHONPATH=str(Path(__file__).resolve().parents[2]),
    )
    return env


@pytest.mark.parametrize("ending", ["quit", "hangup"])
def test_demo_process_deletes_its_vault_on_exit(tmp_path, ending):
    terminal = Terminal(["--demo"], demo_env(tmp_path))
    try:
        terminal.read_until("Avery Lindqvist")
        assert list(tmp_path.glob("clinote-demo-*/demo.vault"))
        if ending == "quit":
            terminal.send(b"\x11")  # ctrl+q
            expected = 0
        else:
            os.kill(terminal.pid, signal.SIGHUP)  # the terminal or SSH session went away
            expected = 129
        assert terminal.wait_exit() == expected
    finally:
        try:
            os.kill(terminal.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    assert not list(tmp_path.glob("clinote-demo-*")), "the demo vault outlived the app"
    assert "Traceback" not in terminal.text()


async def test_the_demo_mark_is_whole_in_the_header_of_a_client(make_app, tmp_path, monkeypatch):
    from textual.widgets._header import HeaderTitle

    from tui.screens.client import ClientScreen

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    demo = DemoVault()
    app = make_app(demo.path, demo=demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, CaseloadScreen))
        await pilot.press("down", "enter")  # Bram Okonkwo-Hale, the longest name
        await wait_until(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.pause()
        title = app.screen.query_one(HeaderTitle)
        shown = str(title.render())
        assert "Bram Okonkwo-Hale (BO-1002)" in shown and "DEMO" in shown
        assert len(shown) <= title.content_region.width, f"cut at 80 columns: {shown}"
    demo.remove()
