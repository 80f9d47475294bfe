"""Client screen: diagnoses, plan goals with progress, measures over time, notes history."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from tests.support.pilot import wait_until
from tests.tui.conftest import screen_text, table_rows, unlock
from tui.screens.caseload import CaseloadScreen
from tui.screens.client import ClientScreen
from tui.screens.goal_form import GoalFormScreen


async def open_client(pilot, code: str) -> None:
    app = pilot.app
    await pilot.press("slash", *code, "enter", "enter")
    await wait_until(pilot, lambda: isinstance(app.screen, ClientScreen))
    await pilot.pause()


async def test_client_shows_diagnoses_and_notes_newest_first_with_status(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await open_client(pilot, "BO-1002")
        text = screen_text(app)
        assert "Bram Okonkwo-Hale" in text and "BO-1002" in text
        assert "F33.1 Major depressive disorder, recurrent, moderate" in text
        rows = table_rows(app, "#notes-table")
        assert len(rows) == 8
        assert [row[0] for row in rows] == sorted((row[0] for row in rows), reverse=True)
        assert [row[3] for row in rows[:3]] == ["draft", "draft", "signed"]
        assert rows[0][1:3] == ["Individual", "DAP"]


async def test_plan_tab_shows_goal_progress_as_a_sparkline_and_objectives(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await open_client(pilot, "AL-1001")
        await pilot.press("2")
        rows = table_rows(app, "#goals-table")
        # Cut at a word at 80 columns, not mid-word.
        assert rows[0][0] == "1. Reduce daily worry to a…"
        assert rows[0][1] == "active"
        trend = rows[0][2]
        assert len(trend.split()[0]) == 8 and set(trend.split()[0]) <= set("▁▂▃▄▅▆▇█·")
        assert trend.endswith("progressing")
        assert "Worry under 1 hour a day on 5 of 7 days" in screen_text(app)


async def test_add_a_goal_then_mark_it_met(make_app, empty_vault):
    app = make_app(empty_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        from core.notes.model import Client

        app.repos.clients.save(Client(name="Quinn Fictional", code="QF-0001"))
        app.screen.refresh_clients()
        await open_client(pilot, "QF-0001")
        await pilot.press("2")
        assert "No treatment plan yet: press g to add a goal." in screen_text(app)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, GoalFormScreen))
        app.screen.query_one("#goal-description", Input).value = "Sleep through the night"
        app.screen.query_one(
            "#goal-objectives", TextArea
        ).text = "6 hours on 5 of 7 nights\nNo screens after 22:00"
        app.screen.query_one("#goal-target", Input).value = "2027-03-01"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(table_rows(app, "#goals-table")) == 1)
        assert table_rows(app, "#goals-table")[0][:2] == ["1. Sleep through the night", "active"]
        assert "No screens after 22:00" in screen_text(app)
        assert "Plan dated" in screen_text(app)

        await pilot.press("m")
        await wait_until(pilot, lambda: table_rows(app, "#goals-table")[0][1] == "met")
        plan = app.repos.plans.get(app.screen.client_id)
        assert [goal.status.value for goal in plan.goals] == ["met"]


async def test_measures_tab_shows_trends_with_bands_and_scores_by_date(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await open_client(pilot, "CY-1003")
        await pilot.press("3")
        text = screen_text(app)
        assert "PCL-5" in text and "34/80 above the probable-PTSD cut-off" in text
        assert "(from 52)" in text
        assert "PHQ-9" in text and "9/27 mild" in text
        assert "minimal 0-4  mild 5-9" in text  # the band legend
        rows = table_rows(app, "#measures-table")
        assert rows[0][1:] == ["9", "", "34"]  # newest first: PHQ-9, GAD-7 (none), PCL-5
        assert rows[-1][1:] == ["14", "", "52"]


async def test_new_note_opens_the_editor_and_escape_returns(make_app, caseload_vault):
    from tui.screens.note_editor import NoteEditorScreen

    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await open_client(pilot, "DF-1004")
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        assert app.screen.client.code == "DF-1004"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("enter")  # the newest note in the history
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseloadScreen))


async def test_edit_a_goal_and_its_objectives(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await open_client(pilot, "EM-1005")
        await pilot.press("2", "e")
        await wait_until(pilot, lambda: isinstance(app.screen, GoalFormScreen))
        assert app.screen.query_one("#goal-description", Input).value == "Reduce drinking days"
        app.screen.query_one(
            "#goal-objectives", TextArea
        ).text = "No more than 1 drinking day a week"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "No more than 1 drinking day a week" in screen_text(app))
        assert "No more than 2 drinking days" not in screen_text(app)
        assert table_rows(app, "#goals-table")[0][0] == "1. Reduce drinking days"


async def test_a_draft_without_its_end_time_shows_no_minutes(make_app, empty_vault):
    from datetime import date, time

    from core.notes.model import Client, SessionDetails, SessionInfo, SessionNote

    app = make_app(empty_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        client = Client(name="Quinn Fictional", code="QF-0001")
        app.repos.clients.save(client)
        # Saved while only the start was typed: the end is still the blank 00:00.
        session = SessionInfo(date=date(2026, 11, 20), start=time(9, 0), end=time(0, 0))
        app.repos.notes.save_draft(
            SessionNote(client.id, SessionDetails(client=client, session=session))
        )
        app.screen.refresh_clients()
        await open_client(pilot, "QF-0001")
        rows = table_rows(app, "#notes-table")
        assert rows[0][0] == "2026-11-20"
        assert rows[0][4] == "—"


async def test_escape_on_a_half_typed_goal_asks_before_dropping_it(make_app, empty_vault):
    from core.notes.model import Client
    from tui.screens.confirm import ConfirmScreen

    app = make_app(empty_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        app.repos.clients.save(Client(name="Quinn Fictional", code="QF-0001"))
        app.screen.refresh_clients()
        await open_client(pilot, "QF-0001")
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, GoalFormScreen))
        form = app.screen
        await pilot.press("escape")  # nothing typed: closes at once
        await wait_until(pilot, lambda: isinstance(app.screen, ClientScreen))

        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, GoalFormScreen))
        form = app.screen
        await pilot.press(*"Sleep through the night")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("escape")  # Cancel: back to what was typed
        await wait_until(pilot, lambda: app.screen is form)
        assert form.query_one("#goal-description", Input).value == "Sleep through the night"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.click("#confirm")
        await wait_until(pilot, lambda: isinstance(app.screen, ClientScreen))
        assert app.repos.plans.get(app.screen.client.id).goals == ()


async def test_n_with_a_draft_for_today_offers_that_draft_first(make_app, empty_vault):
    from datetime import date, time

    from core.notes.model import Client, SessionDetails, SessionInfo, SessionNote
    from tui.screens.confirm import ConfirmScreen
    from tui.screens.note_editor import NoteEditorScreen

    app = make_app(empty_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        client = Client(name="Quinn Fictional", code="QF-0001")
        app.repos.clients.save(client)
        session = SessionInfo(date=date.today(), start=time(9, 0), end=time(9, 50))
        draft = SessionNote(client.id, SessionDetails(client=client, session=session))
        app.repos.notes.save_draft(draft)
        app.screen.refresh_clients()
        await open_client(pilot, "QF-0001")
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "already a draft" in screen_text(app)
        await pilot.press("enter")  # the focused choice: open today's draft
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        assert app.screen.note is not None and app.screen.note.id == draft.id
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ClientScreen))

        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.click("#confirm")  # a second note today (another service)
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        assert app.screen.note is None or app.screen.note.id != draft.id


async def test_a_discharged_client_says_how_to_make_them_active_for_a_note(
    make_app, caseload_vault
):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("f")  # discharged: FO-1006
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("n")
        await pilot.pause()
        assert any("press x" in n.message for n in app._notifications)


async def test_d_deletes_a_draft_with_its_psychotherapy_note_after_asking(make_app, caseload_vault):
    from tui.screens.confirm import ConfirmScreen

    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await open_client(pilot, "AL-1001")
        client = app.screen
        draft = client.notes[0]  # the demo's newest note is a draft, the first row
        app.repos.psychotherapy_notes.save(draft.id, draft.client_id, "fictional process note")
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        asked = screen_text(app)
        assert "Delete the draft of" in asked and "individual psychotherapy" in asked
        assert "Its psychotherapy note is deleted with it" in asked
        await pilot.click("#confirm")
        await wait_until(pilot, lambda: len(table_rows(app, "#notes-table")) == 7)
        assert app.repos.notes.get(draft.id) is None
        assert not app.repos.psychotherapy_notes.exists(draft.id)
        # A signed note stays: d says why instead of asking.
        assert table_rows(app, "#notes-table")[0][3] == "signed"
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
        assert len(table_rows(app, "#notes-table")) == 7
