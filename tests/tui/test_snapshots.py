"""What each main screen looks like at 80x24, in the dark and the light theme.

The screenshots are SVG files under __snapshots__/, reviewed like code. After a
deliberate change to how a screen looks, regenerate them with `make snapshots`
and look at the new files (`snapshot_report.html` shows the differences).

Everything here is fictional (the demo caseload), on a fixed date, in a vault
at the same relative path each run, so the same code draws the same picture.
"""

from __future__ import annotations

import shutil
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

# Imported before the clock is fixed, so their date and datetime are the fixed ones.
import tui.screens.caseload
import tui.screens.client
import tui.screens.note_editor
import tui.screens.sign
import tui.screens.unlock  # noqa: F401
from tests.support.fixed_clock import freeze_wall_clock
from tests.support.pilot import wait_until
from tests.tui.conftest import CHEAP_KDF, CHEAP_LIMITS, TEST_TODAY, unlock
from tui.app import ClinoteApp
from tui.config import THEMES, Config
from tui.screens.client import ClientScreen
from tui.screens.note_editor import NoteEditorScreen
from tui.screens.sign import SignScreen
from tui.widgets.note_preview import NotePreview

SIZE = (80, 24)
# The caseload vault is filled relative to TEST_TODAY; the app runs the morning after.
NOW = datetime.combine(TEST_TODAY + timedelta(days=1), time(9, 30))
CLIENT_WITH_A_DRAFT = "AL-1001"  # the demo's Avery Lindqvist: the newest note is a draft

pytestmark = pytest.mark.parametrize("theme", sorted(THEMES))


@pytest.fixture
def snapshot_app(
    tmp_path: Path, vault_templates: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> Any:
    """A ClinoteApp on a copy of the fictional caseload, at `vault/clinote.vault` from the cwd."""
    freeze_wall_clock(monkeypatch, NOW)
    monkeypatch.chdir(tmp_path)  # the unlock screen shows the path: the same one every run
    folder = tmp_path / "vault"
    folder.mkdir(mode=0o700)
    shutil.copyfile(vault_templates["caseload"], folder / "clinote.vault")
    (folder / "clinote.vault").chmod(0o600)

    def make(theme: str) -> ClinoteApp:
        config = Config(theme=theme, path=tmp_path / "config" / "config.toml")
        return ClinoteApp(
            Path("vault") / "clinote.vault",
            config=config,
            kdf=CHEAP_KDF,
            kdf_limits=CHEAP_LIMITS,
            clock=lambda: 0.0,  # never idle: no auto-lock during a screenshot
        )

    return make


async def _settled(pilot: Pilot[Any]) -> None:
    """Workers done, and text cursors steady (a blinking one is on or off by chance)."""
    await pilot.app.workers.wait_for_complete()
    for field in pilot.app.screen.query("Input, TextArea"):
        field.cursor_blink = False  # type: ignore[attr-defined]
    await pilot.pause()


async def _open_client(pilot: Pilot[Any]) -> None:
    await unlock(pilot)
    await pilot.press("slash", *CLIENT_WITH_A_DRAFT, "enter", "enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ClientScreen))
    await _settled(pilot)


async def _open_draft(pilot: Pilot[Any]) -> None:
    await _open_client(pilot)
    await pilot.press("enter")  # the newest note: the draft
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, NoteEditorScreen))
    screen = pilot.app.screen
    await wait_until(pilot, lambda: screen.query_one(NotePreview).shown_text != "")
    await _settled(pilot)


def test_unlock(snap_compare: Any, snapshot_app: Any, theme: str) -> None:
    async def ready(pilot: Pilot[Any]) -> None:
        await wait_until(pilot, lambda: pilot.app.screen.query("#passphrase"))
        await _settled(pilot)

    assert snap_compare(snapshot_app(theme), terminal_size=SIZE, run_before=ready)


def test_caseload(snap_compare: Any, snapshot_app: Any, theme: str) -> None:
    async def ready(pilot: Pilot[Any]) -> None:
        await unlock(pilot)
        await _settled(pilot)

    assert snap_compare(snapshot_app(theme), terminal_size=SIZE, run_before=ready)


def test_client(snap_compare: Any, snapshot_app: Any, theme: str) -> None:
    assert snap_compare(snapshot_app(theme), terminal_size=SIZE, run_before=_open_client)


def test_note_editor(snap_compare: Any, snapshot_app: Any, theme: str) -> None:
    assert snap_compare(snapshot_app(theme), terminal_size=SIZE, run_before=_open_draft)


def test_sign(snap_compare: Any, snapshot_app: Any, theme: str) -> None:
    async def ready(pilot: Pilot[Any]) -> None:
        await _open_draft(pilot)
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SignScreen))
        await _settled(pilot)

    assert snap_compare(snapshot_app(theme), terminal_size=SIZE, run_before=ready)
