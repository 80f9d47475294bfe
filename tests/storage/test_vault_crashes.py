"""kill -9 at random moments: the vault always opens and holds every acknowledged save."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from storage import VaultLocked, WrongPassphrase
from tests.storage.vault_fixtures import (
    FICTIONAL_NOTES,
    OTHER_PASSPHRASE,
    PASSPHRASE,
    create_vault,
    notes_in,
    open_vault,
)

ROOT = Path(__file__).resolve().parents[2]
KILL_RUNS = 20


def start_child(mode: str, path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.storage.crash_child", mode, str(path)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill_after(child: subprocess.Popen, acknowledgements: int) -> list[str]:
    """Read that many acknowledgement lines, kill -9, and return every line it printed."""
    lines = []
    while len(lines) < acknowledgements:
        line = child.stdout.readline()
        if not line:
            pytest.fail(f"child stopped early: {child.stderr.read()[-500:]}")
        lines.append(line.strip())
    os.kill(child.pid, signal.SIGKILL)
    lines.extend(line.strip() for line in child.stdout.read().splitlines())  # already in the pipe
    child.wait()
    child.stdout.close()
    child.stderr.close()
    child.stdin.close()
    return lines


def test_kill_9_during_saves_never_loses_an_acknowledged_save(tmp_path):
    path = tmp_path / "clinote.vault"
    chance = random.Random(20250304)
    acknowledged: set[int] = set()
    for run in range(KILL_RUNS):
        child = start_child("save", path)
        acknowledged.update(int(line) for line in kill_after(child, chance.randint(1, 40)))
        with open_vault(path) as vault:
            numbers = [note["number"] for note in vault.db.table("notes").all()]
            generation = vault.generation
        assert len(numbers) == len(set(numbers))
        assert acknowledged <= set(numbers), "an acknowledged save is missing"
        # A save in flight at the kill may or may not have landed: at most one per run.
        assert len(set(numbers) - acknowledged) <= run + 1
    assert generation > 1, "no kill landed after a compaction; raise the run count"
    assert len(acknowledged) > KILL_RUNS


def test_kill_9_during_rekey_leaves_the_old_or_the_new_passphrase(tmp_path):
    path = tmp_path / "clinote.vault"
    with create_vault(path) as vault:
        vault.db.table("notes").insert_multiple(FICTIONAL_NOTES)
        vault.compact()  # a .bak, which rekey rewraps too
    chance = random.Random(7)
    for _ in range(8):
        kill_after(start_child("rekey", path), chance.randint(0, 4))
        try:
            notes = notes_in(path, PASSPHRASE)
        except WrongPassphrase:
            notes = notes_in(path, OTHER_PASSPHRASE)
        assert notes == FICTIONAL_NOTES
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_a_second_session_is_refused_and_a_killed_one_leaves_no_stale_lock(tmp_path):
    path = tmp_path / "clinote.vault"
    create_vault(path).close()
    child = start_child("hold", path)
    assert child.stdout.readline().strip() == "open"
    with pytest.raises(
        VaultLocked, match=rf"vault is open in another session \(pid {child.pid} on "
    ):
        open_vault(path)
    kill_after(child, 0)
    with open_vault(path) as vault:
        assert vault.failed_unlocks_before_this_one == 0
