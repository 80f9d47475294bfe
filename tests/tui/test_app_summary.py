"""The treatment summary from the client screen: s, a preview from the signed notes, save."""

from __future__ import annotations

import stat
from datetime import date

from textual.widgets import Input, Markdown, Select

from core.notes.model import NoteStatus
from core.summaries.summary import build_treatment_summary
from core.summaries.text import render_summary
from tests.tui.conftest import unlock, wait_until
from tests.tui.test_app_client import open_client
from tests.tui.test_app_layout import footer_problems
from tui.screens.client import ClientScreen
from tui.screens.export import ExportScreen
from tui.screens.treatment_summary import TreatmentSummaryScreen


def preview(app) -> str:
    return app.screen.query_one("#summary-markdown", Markdown).source


def problem(app) -> str:
    return str(app.screen.query_one("#summary-problem").render())


async def test_s_previews_the_summary_of_the_signed_notes(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await open_client(pilot, "BO-1002")
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, TreatmentSummaryScreen))
        await wait_until(pilot, lambda: preview(app) != "")
        text = preview(app)
        repos = app.repos
        client = repos.clients.find_by_code("BO-1002")
        notes = repos.notes.list_for_client(client.id)
        drafts = sum(1 for note in notes if note.status is NoteStatus.DRAFT)
        expected = build_treatment_summary(client, repos.plans.get(client.id), notes)
        assert text == render_summary(expected, markdown=True, prepared_on=date.today())
        assert text.startswith("# Treatment progress summary")
        assert "Bram Okonkwo-Hale (BO-1002)" in text
        signed = len(notes) - drafts
        assert f"Source: {signed} signed note(s) in this period; {drafts} draft(s)" in text
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ClientScreen))


async def test_a_discharge_asks_for_reason_and_aftercare_then_saves(
    make_app, caseload_vault, tmp_path
):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await open_client(pilot, "BO-1002")
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, TreatmentSummaryScreen))
        screen = app.screen
        screen.query_one("#summary-kind", Select).value = "discharge"
        await wait_until(pilot, lambda: "aftercare plan" in problem(app))
        assert preview(app) == ""
        screen.query_one("#summary-reason", Input).value = "Moving out of state"
        screen.query_one("#summary-aftercare", Input).value = "Referral to a local clinic"
        await wait_until(pilot, lambda: "Reason for discharge: Moving out of state" in preview(app))
        assert preview(app).startswith("# Discharge summary")
        screen.query_one("#summary-from", Input).value = "20xx"
        await wait_until(pilot, lambda: "YYYY-MM-DD" in problem(app))
        screen.query_one("#summary-from", Input).value = ""
        await wait_until(pilot, lambda: problem(app) == "")

        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        target = tmp_path / "discharge.md"
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TreatmentSummaryScreen))
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert "Aftercare plan: Referral to a local clinic" in target.read_text()


async def test_saving_right_after_typing_saves_what_was_just_typed(
    make_app, caseload_vault, tmp_path
):
    # The summary is rebuilt once typing pauses; ctrl+o must not save the one before.
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await open_client(pilot, "BO-1002")
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, TreatmentSummaryScreen))
        screen = app.screen
        screen.query_one("#summary-kind", Select).value = "discharge"
        screen.query_one("#summary-reason", Input).value = "Moving out of state"
        screen.query_one("#summary-aftercare", Input).value = "Referral"
        await wait_until(pilot, lambda: "Aftercare plan: Referral" in preview(app))
        aftercare = screen.query_one("#summary-aftercare", Input)
        aftercare.focus()
        await pilot.pause()
        await pilot.press("end", *"al", "ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        target = tmp_path / "discharge.md"
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await wait_until(pilot, lambda: target.exists())
        assert "- Aftercare plan: Referralal\n" in target.read_text()


async def test_ctrl_r_adds_a_grounded_narrative_from_the_local_model(
    make_app, caseload_vault, ollama_standin
):
    from tests.support.drafting_sessions import chunked
    from tests.support.ollama_standin import Script

    ollama_standin.script = Script(
        chunks=chunked("The client kept attending sessions. The client had 97 panic attacks.")
    )
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await open_client(pilot, "BO-1002")
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, TreatmentSummaryScreen))
        await wait_until(pilot, lambda: preview(app) != "")
        assert footer_problems(app) == []
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: "## Narrative" in preview(app))
        text = preview(app)
        assert "The client kept attending sessions." in text
        assert "97 panic attacks" not in text
        assert "Drafted by the local model gemma3:4b" in text
        (request,) = ollama_standin.chat_requests
        assert "Bram" not in str(request.body) and "BO-1002" not in str(request.body)
