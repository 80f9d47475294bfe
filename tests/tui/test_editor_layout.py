"""The editor and its dialogs at 80x24: form, preview, findings and keys all on screen."""

from __future__ import annotations

from datetime import date

import pytest
from textual.geometry import Region

from tests.support.pilot import wait_until
from tests.tui.editor_host import EditorHost, editor_ready, signed_note, stocked_vault
from tui.screens.addendum import AddendumScreen
from tui.screens.export import ExportScreen
from tui.screens.sign import SignScreen

SCREEN = Region(0, 0, 80, 24)


def assert_fully_visible(app, *selectors: str) -> None:
    for selector in selectors:
        widget = app.screen.query_one(selector)
        region = widget.region
        assert region.area > 0, f"{selector} is not shown"
        assert SCREEN.contains_region(region), f"{selector} at {region} is cut off at 80x24"


def footer_keys(app) -> str:
    footer = app.screen.query_one("Footer")
    return " ".join(str(key.render()) for key in footer.query("FooterKey") if key.region.area)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_editor_fits_80x24_with_form_preview_findings_and_keys(theme):
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    app.theme = theme
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        assert_fully_visible(
            app, "#editor-title", "#note-form", "#preview-source", "#preview-scroll", "#findings"
        )
        form, preview = (
            screen.query_one("#note-form").region,
            screen.query_one("#note-preview").region,
        )
        assert form.width >= 34 and preview.width >= 34  # both readable side by side
        assert screen.query_one("#findings").region.height >= 5
        keys = footer_keys(app)
        for key in ("Save", "Draft", "Sign", "Export"):
            assert key in keys, f"{key} is not in the footer at 80 columns: {keys}"

        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, SignScreen))
        assert_fully_visible(app, "#sign-verdict", "#sign-blockers", "#sign-text", "#sign-cancel")
        await pilot.press("escape")

        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        assert_fully_visible(app, "#export-path", "#export-kind", "#export-save")


async def test_signed_note_and_addendum_dialog_fit_80x24():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client, note=signed_note(vault, client))
    async with app.run_test(size=(80, 24)) as pilot:
        await editor_ready(pilot)
        assert_fully_visible(app, "#preview-source", "#preview-scroll")
        assert app.screen.query_one("#preview-scroll").region.width >= 76  # the whole width
        assert "Add addendum" in footer_keys(app)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, AddendumScreen))
        assert_fully_visible(app, "#addendum-text", "#addendum-reason", "#addendum-submit")


async def test_editor_footers_keep_every_key_whole_at_80_columns(make_app, caseload_vault):
    from tests.tui.conftest import unlock
    from tests.tui.test_app_layout import footer_descriptions, footer_problems
    from tui.screens.client import ClientScreen
    from tui.screens.note_editor import NoteEditorScreen

    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        await pilot.pause()
        assert footer_problems(app) == [], "draft editor"
        assert {"Sign", "Export", "Help", "Lock"} <= footer_descriptions(app)

        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, SignScreen))
        await pilot.pause()
        assert footer_problems(app) == [], "sign dialog"
        assert "Cancel" in footer_descriptions(app)
        assert not {"Save", "Draft", "Format"} & footer_descriptions(app)
        await pilot.press("escape")

        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        await pilot.pause()
        assert "Cancel" in footer_descriptions(app)
        assert not {"Save", "Draft", "Format"} & footer_descriptions(app)
        await pilot.press("escape")
        await pilot.press("escape")

        await wait_until(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("down", "o")  # below the draft just saved: a signed note
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        await pilot.pause()
        assert app.screen.read_only
        assert footer_problems(app) == [], "signed note"
        shown = footer_descriptions(app)
        assert {"Add addendum", "Lock"} <= shown
        assert not {"Edit", "Save", "Sign", "Draft", "Format"} & shown

        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, AddendumScreen))
        await pilot.pause()
        assert footer_problems(app) == [], "addendum dialog"
        assert {"Cancel", "Sign addendum"} <= footer_descriptions(app)


async def test_findings_box_fits_its_findings_and_leaves_the_rest_to_the_note():
    from tests.support.fictional_notes import fictional_draft
    from tui.widgets.findings_list import FindingsList

    vault, client, _ = stocked_vault()
    draft = fictional_draft(client, session_date=date(2025, 3, 11))
    app = EditorHost(vault, client, note=draft)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        findings = screen.query_one(FindingsList)
        await wait_until(pilot, lambda: findings.option_count > 0)
        await pilot.pause()
        lines = findings.virtual_size.height  # wrapped findings
        assert findings.region.height == min(8, lines + 2)

        findings.set_findings([])  # what a note the checks find nothing in shows
        await pilot.pause()
        assert "no findings" in findings.border_title
        assert findings.region.height == 3
        assert screen.query_one("#preview-scroll").region.height >= 16


async def test_each_finding_takes_one_line_so_the_box_lists_as_many_as_it_is_tall():
    from core.checks.findings import Finding, Severity
    from tui.widgets.findings_list import FindingsList

    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        findings = screen.query_one(FindingsList)
        reason = "says what a reviewer would reject, in a sentence far wider than this box"
        shown = [
            Finding(f"RULE-{n}", Severity.WARNING, "", f"Word{n} {reason} (number {n}).")
            for n in range(5)
        ]
        findings.set_findings(shown)
        await pilot.pause()
        rows = app.screen._compositor.render_strips()
        box = [rows[y].text for y in range(findings.region.y, findings.region.bottom)]
        for n in range(5):
            assert any(f"RULE-{n}: Word{n}" in row for row in box), box
        assert any("…" in row for row in box)  # cut at the box's width, and says so
        # The whole text: the highlighted finding's tooltip, and a notice once chosen.
        findings.focus()
        findings.highlighted = 2
        await pilot.pause()
        assert str(findings.tooltip) == f"RULE-2: Word2 {reason} (number 2)."
        await pilot.press("enter")
        await pilot.pause()
        assert any(f"{reason} (number 2)." in n.message for n in app._notifications)

        # One or two findings have the room: shown whole, nothing cut.
        findings.set_findings(shown[:1])
        await pilot.pause()
        rows = app.screen._compositor.render_strips()
        box = " ".join(rows[y].text for y in range(findings.region.y, findings.region.bottom))
        assert "…" not in box
        assert "(number 0)." in box


async def test_findings_title_shows_every_count_at_80x24():
    from core.checks.findings import Finding, Severity
    from tui.widgets.findings_list import FindingsList

    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        findings = screen.query_one(FindingsList)
        await wait_until(pilot, lambda: findings.option_count > 0)
        # As many of each kind as a long draft can have.
        shown = [
            Finding(f"RULE-{severity.value}-{n}", severity, "", "a finding")
            for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
            for n in range(12)
        ]
        findings.set_findings(shown)
        await pilot.pause()
        top_border = app.screen._compositor.render_strips()[findings.region.y].text
        for count in ("12 errors", "12 warnings", "12 info"):
            assert count in top_border, top_border
