"""A group session in the app: shared part once, then member by member, one draft each."""

from __future__ import annotations

from textual.widgets import Input, Select, TextArea

from core.notes.group_entries import parse_facilitators, parse_interventions
from core.notes.model import NoteStatus, Service
from tests.tui.conftest import unlock, unlock_to_any, wait_until
from tui.screens.caseload import CaseloadScreen
from tui.screens.group_session import GroupSessionScreen
from tui.widgets.findings_list import FindingsList

MEMBERS = {"AL-1001": "Avery Lindqvist", "BO-1002": "Bram Okonkwo-Hale"}


def rule_ids(app) -> set[str]:
    return {finding.rule_id for finding in app.screen.query_one(FindingsList).findings}


def preview(app) -> str:
    return app.screen.query_one("#group-note").source


def group_drafts(app, code: str) -> list:
    client = app.repos.clients.find_by_code(code)
    return [
        note
        for note in app.repos.notes.list_for_client(client.id)
        if note.details.session.service is Service.GROUP
    ]


async def test_the_shared_part_once_then_each_member_with_preview_and_checks(
    make_app, caseload_vault
):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, GroupSessionScreen))
        screen = app.screen
        values = {
            "#group-name": "Tuesday Coping Group",
            "#group-type": "CBT skills group",
            "#group-members": "AL-1001, bo-1002",
            "#group-topic": "Noticing and testing anxious predictions",
            "#group-date": "2025-03-04",
            "#group-start": "17:00",
            "#group-end": "18:30",
        }
        for selector, value in values.items():
            screen.query_one(selector, Input).value = value
        screen.query_one("#group-interventions", TextArea).load_text(
            "thought record (CBT): practised one anxious prediction each"
        )
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Avery Lindqvist (AL-1001)" in preview(app))
        text = preview(app)
        assert "- Group: Tuesday Coping Group (CBT skills group)" in text
        assert "- Group roster: 2 members, 2 attended, 0 absent" in text
        assert "90853" in text

        # A member's note that names another member is flagged before anything is saved.
        screen.query_one("#member-response", TextArea).load_text(
            "Practised the thought record with Bram and rated belief down from 80% to 50%."
        )
        await wait_until(pilot, lambda: "GROUP-OTHER-MEMBER" in rule_ids(app))
        screen.query_one("#member-response", TextArea).load_text(
            "Practised the thought record with a peer and rated belief down from 80% to 50%."
        )
        await wait_until(pilot, lambda: "GROUP-OTHER-MEMBER" not in rule_ids(app))

        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Bram Okonkwo-Hale (BO-1002)" in preview(app))
        screen.query_one("#member-attendance", Select).value = "no_show"
        await wait_until(pilot, lambda: "did not attend" in preview(app))
        assert "- Group roster: 2 members, 1 attended, 1 absent" in preview(app)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseloadScreen))

        (avery,) = group_drafts(app, "AL-1001")
        (bram,) = group_drafts(app, "BO-1002")
        assert avery.status is NoteStatus.DRAFT and bram.status is NoteStatus.DRAFT
        assert "Practised the thought record with a peer" in avery.text
        assert "90853" in avery.text and "90853" not in bram.text
        for note, other in ((avery, "BO-1002"), (bram, "AL-1001")):
            assert other not in note.text
            assert all(part not in note.text for part in MEMBERS[other].split())
        (roster,) = app.repos.group_rosters.list()
        assert roster.name == "Tuesday Coping Group"
        assert len(roster.client_ids) == 2


async def test_unknown_member_codes_are_one_line(make_app, caseload_vault):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, GroupSessionScreen))
        app.screen.query_one("#group-members", Input).value = "AL-1001, ZZ-9"
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: (
                "No client has the code ZZ-9"
                in str(app.screen.query_one("#group-problem").render())
            ),
        )
        assert app.screen.step == 0


def test_the_typed_lists_read_as_the_session_file_expects():
    assert parse_interventions("TIPP (DBT): paced breathing\nrole play\n") == [
        {"technique": "TIPP", "modality": "DBT", "detail": "paced breathing"},
        {"technique": "role play"},
    ]
    assert parse_facilitators("Dana Reyes, LCSW; Sam Ortiz, LPC") == [
        {"name": "Dana Reyes", "credentials": "LCSW"},
        {"name": "Sam Ortiz", "credentials": "LPC"},
    ]


async def test_a_lock_mid_way_keeps_the_members_as_drafts(make_app, caseload_vault):
    from tui.screens.unlock import UnlockScreen

    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, GroupSessionScreen))
        screen = app.screen
        for selector, value in {
            "#group-name": "Tuesday Coping Group",
            "#group-members": "AL-1001, BO-1002",
            "#group-start": "17:00",
            "#group-end": "18:30",
            "#group-date": "2025-03-04",
        }.items():
            screen.query_one(selector, Input).value = value
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Avery Lindqvist (AL-1001)" in preview(app))
        screen.query_one("#member-response", TextArea).load_text("Typed before the lock.")
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        await unlock_to_any(pilot)
        (avery,) = group_drafts(app, "AL-1001")
        assert "Typed before the lock." in avery.text
        assert len(group_drafts(app, "BO-1002")) == 1
        # The walk goes on where it was; finishing it updates the same drafts.
        await wait_until(pilot, lambda: isinstance(app.screen, GroupSessionScreen))
        await wait_until(pilot, lambda: "Avery Lindqvist (AL-1001)" in preview(app))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Bram Okonkwo-Hale (BO-1002)" in preview(app))
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, CaseloadScreen))
        (avery,) = group_drafts(app, "AL-1001")
        assert "Typed before the lock." in avery.text
        assert len(group_drafts(app, "BO-1002")) == 1


async def test_typing_after_g_goes_into_the_group_name_and_each_box_is_titled(
    make_app, caseload_vault
):
    app = make_app(caseload_vault)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await pilot.press("g")
        await wait_until(pilot, lambda: isinstance(app.screen, GroupSessionScreen))
        await pilot.press(*"Fictional", "tab", *"DBT")
        screen = app.screen
        assert screen.query_one("#group-name", Input).value == "Fictional"
        assert screen.query_one("#group-type", Input).value == "DBT"
        # Once typed over, the placeholder is gone: the box's title still says what it is.
        titles = [str(box.border_title) for box in screen.query(".shared Input")]
        assert titles[:4] == ["group name", "type", "member codes", "topic"]
