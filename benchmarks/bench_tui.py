"""Terminal app: process start to the unlock screen (target 0.6 s) and opening a client
with 200 notes after unlock (target 100 ms). Prints; never asserts.

Start-up runs the real `clinote` in a pseudo-terminal and stops the clock when the
unlock screen's text reaches the terminal. The client screen is timed in-process
(headless, 80x24) over a real vault of fictional records.
"""

from __future__ import annotations

import asyncio
import os
import pty
import re
import select
import shutil
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STARTS = 7
OPENS = 25
NOTES = 200
PASSPHRASE = "benchmark passphrase, fictional"
ANSI = re.compile(rb"\x1b(\[[0-9;?<>]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-B]|[=>78])")


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(int(len(ordered) * 0.95) - 1, 0)]
    return f"median {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"


def cheap_kdf():
    from storage.vault.kdf import ARGON2ID, Bounds, KdfLimits, KdfParams

    return KdfParams(ARGON2ID, 64, 1, 1), KdfLimits(*(Bounds(1, 2**21) for _ in range(6)))


# --- process start to the unlock screen ---------------------------------------


def time_to_unlock_screen(vault_path: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(
            sys.executable,
            [sys.executable, "-m", "cli.main", "--vault", str(vault_path)],
            env,
        )
    output = b""
    try:
        deadline = started + 30
        while b"Enter unlocks" not in ANSI.sub(b"", output):
            if time.perf_counter() > deadline:
                raise RuntimeError("the unlock screen never appeared")
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                output += os.read(fd, 65536)
        elapsed = time.perf_counter() - started
        os.write(fd, b"\x11")  # ctrl+q
        for _ in range(100):
            if os.waitpid(pid, os.WNOHANG)[0]:
                break
            select.select([fd], [], [], 0.05)
            try:
                os.read(fd, 65536)
            except OSError:
                pass
        return elapsed
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)


def bench_start(folder: Path) -> list[float]:
    from storage import Vault

    kdf, limits = cheap_kdf()
    vault_path = folder / "start" / "clinote.vault"
    Vault.create(vault_path, PASSPHRASE, kdf=kdf, kdf_limits=limits).close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLINOTE_")}
    env.update(
        TERM="xterm-256color",
        CLINOTE_CONFIG=str(folder / "config.toml"),
        PYTHONPATH=str(ROOT),
    )
    return [time_to_unlock_screen(vault_path, env) for _ in range(STARTS)]


# --- a client with 200 notes --------------------------------------------------


def fill_big_client(repos) -> str:
    """One fictional client with 200 weekly notes (most signed) beside the demo caseload."""
    from cli.demo import CASELOAD, _client_and_plan, _session_details, fill_caseload
    from core.notes.composer import compose_note
    from core.notes.model import Client, NoteStatus, SessionNote, Signature
    from storage.records.codec import note_to_doc

    today = date(2026, 11, 20)
    fill_caseload(repos, today)
    settings = repos.settings.load()
    person = replace(CASELOAD[0], name="Morgan Benchmark", code="MB-0200")
    client, goals = _client_and_plan(repos, person, today)
    documents = []
    for number in range(NOTES):
        day = today - timedelta(weeks=NOTES - number)
        details = _session_details(person, client, goals, settings, day, number % 8)
        text = compose_note(details)
        note = SessionNote(client_id=client.id, details=details, text=text)
        if number < NOTES - 3:
            signed_at = datetime.combine(day, clock_time(12, 0))
            note = replace(
                note,
                status=NoteStatus.SIGNED,
                signature=Signature("Robin Demo", "LPC (demo)", signed_at, "0" * 64),
            )
        documents.append(note_to_doc(note))
    # One bulk insert: building the vault is not what is measured.
    repos_db = repos.notes._table  # noqa: SLF001 - benchmark set-up only
    repos_db.insert_multiple(documents)
    assert isinstance(client, Client)
    return client.id


async def bench_open_client(
    folder: Path,
) -> tuple[list[float], list[float], list[float], list[float]]:
    from storage import Vault
    from storage.records.repositories import Repositories
    from tui.app import ClinoteApp
    from tui.config import Config
    from tui.screens.client import ClientScreen

    kdf, limits = cheap_kdf()
    vault_path = folder / "big" / "clinote.vault"
    vault = Vault.create(vault_path, PASSPHRASE, kdf=kdf, kdf_limits=limits)
    client_id = fill_big_client(Repositories.from_vault(vault))
    vault.close()

    app = ClinoteApp(
        vault_path, config=Config(path=folder / "config.toml"), kdf=kdf, kdf_limits=limits
    )
    to_screen: list[float] = []
    all_rows: list[float] = []
    loads: list[float] = []
    cpu: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        while not app.screen.query("#passphrase"):
            await pilot.pause(0.01)
        app.screen.query_one("#passphrase").value = PASSPHRASE
        await pilot.press("enter")
        while not app.unlocked:
            await pilot.pause(0.01)
        await pilot.pause(0.2)
        for _ in range(OPENS):
            started = time.perf_counter()
            cpu_started = time.process_time()
            app.open_client(client_id)
            while not (
                isinstance(app.screen, ClientScreen)
                and app.screen.is_mounted
                and app.screen.query_one("#notes-table").row_count
            ):
                await asyncio.sleep(0)  # let the app run; pilot.pause would wait for every row
            app.screen._on_timer_update()  # noqa: SLF001 - paint now, as pilot does
            to_screen.append(time.perf_counter() - started)
            # CPU time too: on a busy machine it is closer to what an idle one would show.
            cpu.append(time.process_time() - cpu_started)
            while app.screen.query_one("#notes-table").row_count < NOTES:
                await pilot.pause(0)
            all_rows.append(time.perf_counter() - started)
            screen = app.screen
            started = time.perf_counter()
            screen.load()  # re-reading the vault and rebuilding the visible tables
            loads.append(time.perf_counter() - started)
            app.pop_screen()
            await pilot.pause(0.05)
    return to_screen, cpu, all_rows, loads


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="clinote-bench-tui-"))
    try:
        starts = bench_start(folder)
        to_screen, cpu, all_rows, loads = asyncio.run(bench_open_client(folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"{'what':<52} {'result':<40} target")
    print(
        f"{'process start to unlock screen (' + str(STARTS) + ' runs)':<52} {summary(starts):<40} 600 ms"
    )
    print(
        f"{'open a client with ' + str(NOTES) + ' notes, first rows painted (' + str(OPENS) + ')':<52} "
        f"{summary(to_screen):<40} 100 ms"
    )
    print(f"{'  the same in CPU time of this process':<52} {summary(cpu):<40}")
    print(
        f"{'  ...until all ' + str(NOTES) + ' rows are in the table':<52} {summary(all_rows):<40}"
    )
    print(
        f"{'  reload: read notes + first rows + plan (' + str(OPENS) + ')':<52} {summary(loads):<40}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
