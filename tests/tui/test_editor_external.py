"""Editing a long field in $EDITOR through a private, short-lived file."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

import pytest

from tests.support.pilot import wait_until
from tests.tui.editor_host import EditorHost, editor_ready, preview_text, stocked_vault
from tui.external_editor import ExternalEditorError, edit_externally, editor_command
from tui.widgets.note_form import field_widget_id

FAKE_EDITOR = """
import json, os, stat, sys
report_path, path = sys.argv[1], sys.argv[2]
folder = os.path.dirname(path)
with open(report_path, "w") as report:
    json.dump({
        "path": path,
        "file_mode": stat.S_IMODE(os.stat(path).st_mode),
        "folder_mode": stat.S_IMODE(os.stat(folder).st_mode),
    }, report)
with open(path, "a", encoding="utf-8") as handle:
    handle.write(" Added in the editor.\\n")
"""


@pytest.fixture
def fake_editor(tmp_path, monkeypatch) -> Path:
    """$EDITOR is a script that appends a sentence and reports where the file was."""
    script = tmp_path / "fake_editor.py"
    script.write_text(FAKE_EDITOR, encoding="utf-8")
    report = tmp_path / "report.json"
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script} {report}")
    return report


def test_the_text_goes_through_a_private_file_that_is_removed(fake_editor):
    edited = edit_externally("Sleep trouble.")
    assert edited == "Sleep trouble. Added in the editor.\n"
    seen = json.loads(fake_editor.read_text())
    assert seen["file_mode"] == 0o600 and seen["folder_mode"] == 0o700
    assert seen["path"].startswith("/dev/shm/") or "/run/" in seen["path"]
    assert not Path(seen["path"]).parent.exists()


def test_a_failing_editor_leaves_the_field_unchanged_and_nothing_behind(tmp_path, monkeypatch):
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "false")
    with pytest.raises(ExternalEditorError, match="exited with status 1"):
        edit_externally("Sleep trouble.")


def test_without_editor_set_the_message_says_what_to_set():
    with pytest.raises(ExternalEditorError, match=r"set \$EDITOR"):
        editor_command({})


async def test_f4_edits_the_focused_field_and_the_preview_follows(fake_editor):
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    # The headless test terminal cannot hand over the screen; everything else is real.
    app.suspend = contextlib.nullcontext
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        concerns = screen.query_one(f"#{field_widget_id('presenting_concerns')}")
        concerns.load_text("Sleep trouble.")
        concerns.focus()
        await pilot.press("f4")
        await wait_until(pilot, lambda: "Added in the editor." in preview_text(screen))
        assert concerns.text == "Sleep trouble. Added in the editor."


@pytest.mark.parametrize(
    "leaves_behind",
    ["open(sys.argv[1], 'wb').write(b'Sleep \\xff trouble')", "os.remove(sys.argv[1])"],
    ids=["not-utf8", "file-removed"],
)
def test_an_unreadable_result_leaves_the_field_unchanged(tmp_path, monkeypatch, leaves_behind):
    script = tmp_path / "odd_editor.py"
    script.write_text(f"import os, sys\n{leaves_behind}\n", encoding="utf-8")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    with pytest.raises(ExternalEditorError, match="the field is unchanged") as raised:
        edit_externally("Sleep trouble.")
    assert "Sleep" not in str(raised.value)
