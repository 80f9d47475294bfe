"""The $EDITOR hand-over: no passphrase in the editor's environment, no stale text left behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.external_editor import edit_externally, private_base, remove_stale_hand_over_folders

ENV_REPORTING_EDITOR = """
import json, os, sys
with open(sys.argv[1], "w") as report:
    json.dump(sorted(name for name in os.environ if name.startswith("CLINOTE_")), report)
"""


def test_the_editor_does_not_inherit_the_passphrases(tmp_path, monkeypatch):
    script = tmp_path / "editor.py"
    script.write_text(ENV_REPORTING_EDITOR, encoding="utf-8")
    report = tmp_path / "seen.json"
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script} {report}")
    monkeypatch.setenv("CLINOTE_PASSPHRASE", "fictional passphrase one")
    monkeypatch.setenv("CLINOTE_NEW_PASSPHRASE", "fictional passphrase two")
    monkeypatch.setenv("CLINOTE_VAULT", str(tmp_path / "v.vault"))
    edit_externally("Sleep trouble.")
    seen = json.loads(report.read_text())
    assert "CLINOTE_VAULT" in seen  # the rest of the environment is passed on
    assert "CLINOTE_PASSPHRASE" not in seen and "CLINOTE_NEW_PASSPHRASE" not in seen


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.fixture
def base() -> Path:
    return private_base()


def test_a_folder_left_by_a_killed_session_is_removed_at_start(base):
    stale = base / f"clinote-{dead_pid()}-abc123"
    stale.mkdir(mode=0o700)
    (stale / "field.md").write_text("fictional note text")
    live = base / f"clinote-{os.getpid()}-def456"
    live.mkdir(mode=0o700)
    try:
        assert remove_stale_hand_over_folders() >= 1
        assert not stale.exists()
        assert live.exists()  # this process is alive: its folder is in use
    finally:
        for folder in (stale, live):
            if folder.exists():
                (folder / "field.md").unlink(missing_ok=True)
                folder.rmdir()
