"""At 80x24 the preview follows the form: the section being filled is on screen, highlighted."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from core.notes.model import NoteFormat
from core.notes.note_sections import NotePart, section_fed_by
from core.notes.note_text import HEADER_SECTION
from tests.support.fictional_notes import fictional_draft
from tests.tui.editor_host import EditorHost, editor_ready, stocked_vault, wait_until
from tui.widgets.note_form import NoteForm
from tui.widgets.note_preview import NoteView


def visible_lines(screen) -> list[str]:
    """The preview's rows as the clinician sees them now."""
    view = screen.query_one(NoteView)
    return [view.render_line(y).text.rstrip() for y in range(view.size.height)]


def highlighted_lines(screen) -> list[str]:
    """The visible preview rows drawn with the section highlight's background."""
    view = screen.query_one(NoteView)
    mark = view.get_component_rich_style("note-view--section").bgcolor
    rows = []
    for y in range(view.size.height):
        strip = view.render_line(y)
        if any(segment.style and segment.style.bgcolor == mark for segment in strip):
            rows.append(strip.text.strip())
    return rows


async def test_typing_the_plan_shows_the_plan_section_without_scrolling():
    vault, client, _ = stocked_vault()
    draft = fictional_draft(client, session_date=date(2025, 3, 11))
    app = EditorHost(vault, client, note=draft)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        assert "Plan" not in visible_lines(screen)  # the note opens at its start
        plan = screen.query_one("#f-plan")
        plan.focus()
        plan.move_cursor(plan.document.end)
        await pilot.press(*" Call Friday")
        await wait_until(pilot, lambda: "Call Friday" in "\n".join(visible_lines(screen)))
        assert "Plan" in visible_lines(screen)
        assert "Plan" in highlighted_lines(screen)
        assert not any("Data" == line for line in highlighted_lines(screen))


async def test_section_keys_jump_through_the_form_and_the_preview_follows():
    vault, client, _ = stocked_vault()
    draft = fictional_draft(client, session_date=date(2025, 3, 11))
    app = EditorHost(vault, client, note=draft)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        form = screen.query_one(NoteForm)
        await pilot.press("ctrl+down")  # who else was there: part of the session's header
        await pilot.pause()
        assert form.part_of(screen.focused) is NotePart.SESSION
        assert screen.focused.id == "f-participants"
        await pilot.press("ctrl+down")
        await pilot.pause()
        assert form.part_of(screen.focused) is NotePart.PRESENTING
        assert screen.focused.id == "f-presenting-concerns"
        await wait_until(pilot, lambda: "Data" in visible_lines(screen))
        await pilot.press("alt+down", "alt+down", "alt+down")
        await pilot.pause()
        assert form.part_of(screen.focused) is NotePart.RESPONSE
        await wait_until(pilot, lambda: "Assessment" in visible_lines(screen))
        await pilot.press("ctrl+up")
        await pilot.pause()
        assert form.part_of(screen.focused) is NotePart.INTERVENTIONS


async def test_short_terminal_shows_the_header_as_one_line_except_while_filling_it():
    vault, client, _ = stocked_vault()
    draft = fictional_draft(client, session_date=date(2025, 3, 11))
    app = EditorHost(vault, client, note=draft)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        await pilot.press(
            "ctrl+down", "ctrl+down"
        )  # out of the session details (and who was there)
        await wait_until(pilot, lambda: "Data" in visible_lines(screen))
        screen.query_one(NoteView).scroll_home(animate=False, immediate=True)
        await pilot.pause()
        lines = visible_lines(screen)
        assert f"{client.name} ({client.code})" in lines[0] and "·" in lines[0]
        assert not any(line.lstrip("• ").startswith("Date of service") for line in lines)


async def test_alt_right_moves_between_form_note_and_findings():
    vault, client, _ = stocked_vault()
    draft = fictional_draft(client, session_date=date(2025, 3, 11))
    app = EditorHost(vault, client, note=draft)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        await pilot.press("ctrl+down", "ctrl+down", "ctrl+down")  # the observations
        await pilot.press("alt+right")
        assert screen.focused.id == "preview-scroll"
        await pilot.press("alt+right")
        assert screen.focused.id == "findings"
        await pilot.press("alt+right")  # back in the form, where the clinician left it
        assert screen.focused.id == "f-observations"


@pytest.mark.parametrize("note_format", list(NoteFormat))
def test_each_part_feeds_a_section_of_every_format(note_format):
    client = stocked_vault()[1]
    details = fictional_draft(client, session_date=date(2025, 3, 11)).details
    details = details.__class__(**{**details.__dict__, "format": note_format})
    sections = [section_fed_by(details, part) for part in NotePart]
    assert sections[0] == HEADER_SECTION
    assert all(section for section in sections)
    assert section_fed_by(details, NotePart.PLAN) == "Plan"


async def test_a_note_text_holding_terminal_escapes_is_drawn_escaped():
    # As a signed note imported from a crafted backup keeps its text byte for byte.
    vault, client, _ = stocked_vault()
    draft = replace(
        fictional_draft(client, session_date=date(2025, 3, 11)),
        text="## Data\n\nSlept better \x1b]52;c;aGk=\x07 this week.\n",
        text_source="edited",
    )
    app = EditorHost(vault, client, note=draft)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        await wait_until(pilot, lambda: "Slept better" in "\n".join(visible_lines(screen)))
        shown = "\n".join(visible_lines(screen))
        assert "\x1b" not in shown and "\x07" not in shown
        assert "Slept better \\x1b]52;c;aGk=\\x07" in shown


async def test_a_short_terminal_never_hides_text_written_above_the_notes_header():
    # At 80x24 the header shows as one line of its values; a line that is not one of
    # them (a hand edit, a signed note's late-entry line) must stay on screen.
    vault, client, _ = stocked_vault()
    draft = fictional_draft(client, session_date=date(2025, 3, 11))
    text = "Late entry: signed 2025-03-20 for session of 2025-03-11.\n\n" + draft.text
    app = EditorHost(vault, client, note=replace(draft, text=text, text_source="edited"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        screen.query_one("#f-plan").focus()  # the header is no longer followed: compacted
        view = screen.query_one(NoteView)
        await wait_until(pilot, lambda: "Plan" in visible_lines(screen))
        view.scroll_home(animate=False, immediate=True)
        await pilot.pause()
        top = "\n".join(visible_lines(screen))
        assert "Late entry: signed 2025-03-20" in top
        assert "Progress note" in top
