"""Caseload: search, filter, last session, unsigned notes; add, edit and discharge clients."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from tests.support.pilot import wait_until
from tests.tui.conftest import screen_text, table_rows, unlock
from tui.screens.caseload import CaseloadScreen
from tui.screens.client import ClientScreen
from tui.screens.client_form import ClientFormScreen


def codes(app) -> list[str]:
    return [row[0] for row in table_rows(app, "#caseload-table")]


async def test_rows_show_last_session_and_notes_awaiting_signature(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        rows = {row[0]: row for row in table_rows(app, "#caseload-table")}
        # Bram has two drafts, Dmitri none (every note signed).
        assert rows["BO-1002"][1] == "Bram Okonkwo-Hale"
        assert rows["BO-1002"][4] == "2"
        assert rows["DF-1004"][4] == ""
        assert rows["AL-1001"][3] == "2026-11-13"


async def test_search_narrows_by_name_or_code_as_you_type(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("slash")
        await pilot.press(*"carm")
        assert codes(app) == ["CY-1003"]
        await pilot.press(*(["backspace"] * 4), *"bo-1")
        assert codes(app) == ["BO-1002"]
        await pilot.press(*(["backspace"] * 4), *"zzz")
        assert codes(app) == []
        assert "No active client matches “zzz”." in screen_text(app)


async def test_filter_cycles_active_discharged_all(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        assert "FO-1006" not in codes(app)
        await pilot.press("f")
        assert codes(app) == ["FO-1006"]
        assert "Showing: Discharged" in screen_text(app)
        await pilot.press("f")
        assert len(codes(app)) == 6


async def test_add_a_client_then_edit_the_diagnoses(make_app, empty_vault):
    app = make_app(empty_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ClientFormScreen))
        form = app.screen
        form.query_one("#client-name", Input).value = "Quinn Fictional"
        form.query_one("#client-code", Input).value = "QF-0001"
        form.query_one("#client-dob", Input).value = "1990-02-30"
        form.query_one("#client-diagnoses", TextArea).text = "F41.1 Generalized anxiety disorder"
        await pilot.press("ctrl+s")
        assert "YYYY-MM-DD" in screen_text(app)  # 30 February refused, form still open
        form.query_one("#client-dob", Input).value = "1990-02-20"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: codes(app) == ["QF-0001"])

        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ClientFormScreen))
        app.screen.query_one(
            "#client-diagnoses", TextArea
        ).text = "F41.1 Generalized anxiety disorder\nF51.01 Primary insomnia"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, ClientFormScreen))
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ClientScreen))
        text = screen_text(app)
        assert "Quinn Fictional" in text and "born 1990-02-20" in text
        assert "F41.1 Generalized anxiety disorder; F51.01 Primary insomnia" in text


async def test_a_code_already_in_use_is_refused(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ClientFormScreen))
        app.screen.query_one("#client-name", Input).value = "Another Person"
        app.screen.query_one("#client-code", Input).value = "AL-1001"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ClientFormScreen)
        assert "Code AL-1001 already belongs to another client" in screen_text(app)
        await pilot.press("escape")  # typed entries: asks before dropping them
        await pilot.click("#confirm")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseloadScreen))
        assert len(codes(app)) == 5


async def test_discharge_asks_then_moves_the_client_off_the_active_list(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        assert codes(app)[0] == "AL-1001"
        await pilot.press("x")
        await pilot.pause()
        assert "Discharge Avery Lindqvist (AL-1001)?" in screen_text(app)
        await pilot.press("escape")  # cancel keeps the client
        assert codes(app)[0] == "AL-1001"
        await pilot.press("x")
        await pilot.pause()
        await pilot.click("#confirm")
        await wait_until(pilot, lambda: "AL-1001" not in codes(app))
        await pilot.press("f")
        assert "AL-1001" in codes(app)
        assert app.repos.clients.find_by_code("AL-1001").status.value == "discharged"


async def test_escape_clears_the_search_and_the_empty_list_says_how(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("slash", *"zzz")
        assert codes(app) == []
        assert "Esc clears the search" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#caseload-search", Input).value == ""
        assert len(codes(app)) == 5
        assert app.focused is app.screen.query_one("#caseload-table")
        # From the list too: a search left behind is one key away from gone.
        await pilot.press("slash", *"carm", "enter")
        assert codes(app) == ["CY-1003"]
        await pilot.press("escape")
        await pilot.pause()
        assert len(codes(app)) == 5


async def test_a_discharged_client_can_return_to_the_active_list(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("f")
        assert codes(app) == ["FO-1006"]
        await pilot.press("x")
        await pilot.pause()
        assert "Return" in screen_text(app) and "FO-1006" in screen_text(app)
        await pilot.click("#confirm")
        await wait_until(pilot, lambda: "FO-1006" not in codes(app))
        assert app.repos.clients.find_by_code("FO-1006").status.value == "active"


async def test_a_diagnosis_line_without_an_icd10_code_is_refused(make_app, empty_vault):
    app = make_app(empty_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ClientFormScreen))
        form = app.screen
        # The label tells the truth about what notes print.
        assert "Code (printed on notes with the name" in screen_text(app)
        form.query_one("#client-name", Input).value = "Quinn Fictional"
        form.query_one("#client-code", Input).value = "QF-0001"
        diagnoses = form.query_one("#client-diagnoses", TextArea)
        diagnoses.text = "f41.1 Generalized anxiety disorder\nMajor depression"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ClientFormScreen)
        assert "Line 2" in screen_text(app) and "ICD-10 code" in screen_text(app)
        assert app.focused is diagnoses
        diagnoses.text = "f41.1 Generalized anxiety disorder\nF32.1 Major depressive disorder"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: codes(app) == ["QF-0001"])
        client = app.repos.clients.find_by_code("QF-0001")
        assert [d.code for d in client.diagnoses] == ["F41.1", "F32.1"]


async def test_escape_on_an_edited_client_asks_before_dropping_the_edit(make_app, caseload_vault):
    from tui.screens.confirm import ConfirmScreen

    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ClientFormScreen))
        form = app.screen
        form.query_one("#client-diagnoses", TextArea).text += "\nF51.01 Primary insomnia"
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is form)
        assert "F51.01 Primary insomnia" in form.query_one("#client-diagnoses", TextArea).text
