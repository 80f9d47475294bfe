"""Opening the note editor on a full draft: push to first preview painted (target 150 ms).

Runs the real editor headless (80x24) over an in-memory vault of fictional
records, inside an app that is already running (as after a click on a note),
and opens it again and again. Prints wall and CPU time; never asserts.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.notes.model import NoteStatus  # noqa: E402
from tests.tui.editor_host import EditorHost, signed_note, stocked_vault  # noqa: E402
from tui.screens.note_editor import NoteEditorScreen  # noqa: E402
from tui.widgets.note_preview import NotePreview  # noqa: E402

OPENS = 15


def milliseconds(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(int(len(ordered) * 0.95) - 1, 0)]
    return f"median {statistics.median(ordered) * 1000:6.1f} ms   p95 {p95 * 1000:6.1f} ms"


def preview_shown(app: EditorHost) -> bool:
    screen = app.screen
    return (
        isinstance(screen, NoteEditorScreen)
        and screen.is_mounted
        and bool(screen.query(NotePreview))
        and bool(screen.query_one(NotePreview).shown_text)
    )


async def measure() -> tuple[list[float], list[float]]:
    vault, client, _ = stocked_vault()
    full_note = signed_note(vault, client)  # every section filled
    draft = replace(full_note, status=NoteStatus.DRAFT, signature=None, id="bench-draft")
    app = EditorHost(vault, client, note=draft)
    wall: list[float] = []
    cpu: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        while not preview_shown(app):
            await pilot.pause(0.01)
        await pilot.pause(0.2)
        for _ in range(OPENS + 1):  # the first open warms imports and caches: not counted
            app.pop_screen()
            await pilot.pause(0.1)
            started, cpu_started = time.perf_counter(), time.process_time()
            app.push_screen(NoteEditorScreen(client=client, note=draft))
            while not preview_shown(app):
                await asyncio.sleep(0)
            app.screen._on_timer_update()  # noqa: SLF001 - paint now, as pilot does
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            await pilot.pause(0.1)
    return wall[1:], cpu[1:]


def main() -> int:
    wall, cpu = asyncio.run(measure())
    print(f"open the note editor on a full draft, 80x24 headless, {OPENS} opens (target 150 ms)")
    print(f"  push to first preview painted            {milliseconds(wall)}")
    print(f"  the same in CPU time of this process     {milliseconds(cpu)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
