"""The guided form beside its live preview and findings (issue 5, flow 4)."""

from __future__ import annotations

from textual.widgets import Input, Select, TextArea

from core.notes.model import NoteFormat
from tests.support.pilot import wait_until
from tests.tui.editor_host import (
    EditorHost,
    editor_ready,
    findings_lines,
    preview_text,
    rule_ids,
    stocked_vault,
)
from tui.widgets.findings_list import FindingsList
from tui.widgets.note_form import NoteForm, field_widget_id


def widget(screen, field_path: str):
    return screen.query_one(f"#{field_widget_id(field_path)}")


async def test_new_note_is_for_today_in_the_default_format_and_asks_its_questions():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        questions = [str(q.render()) for q in screen.query("Question")]
        assert "What did the client bring today?" in questions
        assert "Which interventions did you use?" in questions
        assert "## Data" in preview_text(screen)  # the vault's default format is DAP
        assert "Jordan Avery (JA-0142)" in preview_text(screen)


async def test_typing_updates_the_preview_and_the_findings():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        assert "FORM-INPUT" in rule_ids(screen)  # start and end times not entered yet
        concerns = widget(screen, "presenting_concerns")
        concerns.focus()
        await pilot.press(*"Sleep trouble")
        await wait_until(pilot, lambda: "Sleep trouble" in preview_text(screen))
        widget(screen, "session.start").value = "10:00"
        widget(screen, "session.end").value = "10:50"
        await wait_until(pilot, lambda: "10:00-10:50" in preview_text(screen))
        await wait_until(pilot, lambda: "FORM-INPUT" not in rule_ids(screen))


async def test_risk_starts_not_assessed_and_never_reads_as_a_denial():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        text = preview_text(screen).lower()
        assert "not assessed" in text
        assert "denies" not in text
        shown = [
            str(widget(screen, field).query_one("#label").render())
            for field in ("risk.suicidal_ideation", "risk.homicidal_ideation", "risk.self_harm")
        ]
        assert shown == [
            "suicidal ideation: not assessed",
            "homicidal ideation: not assessed",
            "self-harm: not assessed",
        ]
        widget(screen, "risk.suicidal_ideation").value = "denied"
        await wait_until(pilot, lambda: "denies suicidal ideation" in preview_text(screen).lower())


async def test_format_key_re_renders_at_once_in_the_next_format():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert screen.query_one(NoteForm).details().format is NoteFormat.BIRP
        await wait_until(pilot, lambda: "## Behavior" in preview_text(screen))
        assert "## Data" not in preview_text(screen)


async def test_the_technique_is_free_text_that_the_lexicon_completes():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        widget(screen, "interventions").value = "DBT"
        await pilot.pause()
        technique = screen.query_one("#f-technique", Input)
        technique.focus()
        await pilot.press(*"chain")
        await wait_until(pilot, lambda: technique._suggestion == "chain analysis")
        await pilot.press("right", "enter")  # accept the completion, on to the detail
        assert screen.focused is screen.query_one("#f-intervention-detail", Input)
        await pilot.press(*"to map the urge", "enter")
        await wait_until(
            pilot, lambda: "chain analysis (DBT) to map the urge" in preview_text(screen)
        )
        # A technique the lexicon does not know is the clinician's to name.
        widget(screen, "interventions").value = ""
        await pilot.pause()
        technique.focus()
        await pilot.press(*"narrative letter writing")
        screen.query_one("#f-intervention-detail", Input).focus()
        await pilot.press(*"to externalise the worry", "enter")
        await wait_until(
            pilot,
            lambda: (
                "; and narrative letter writing to externalise the worry." in preview_text(screen)
            ),
        )
        listing = screen.query_one("#f-intervention-list")
        listing.focus()
        listing.highlighted = 0
        await pilot.press("delete")
        await wait_until(pilot, lambda: "chain analysis" not in preview_text(screen).lower())
        assert "narrative letter writing" in preview_text(screen)


async def test_goals_list_the_clients_active_goals_with_progress():
    vault, client, plan = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        goal = plan.goals[0]
        labels = [str(label.render()) for label in screen.query(".goal-name")]
        assert labels == [goal.description]
        widget(screen, "goals[0].progress").value = "progressing"
        widget(screen, "goals[0].evidence").value = "Logged worry on six days"
        await wait_until(pilot, lambda: "Logged worry on six days" in preview_text(screen))
        assert "Progressing: Logged worry on six days." in preview_text(screen)


async def test_measures_take_a_total_or_every_item_and_reject_the_rest():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        phq9 = widget(screen, "measures.phq9")
        phq9.value = "1 1 1 1 1 1 1 1 0"
        await wait_until(pilot, lambda: "PHQ-9 8 (mild)" in preview_text(screen))
        phq9.value = "1 1 1"
        await wait_until(
            pilot, lambda: any("all 9 item scores" in line for line in findings_lines(screen))
        )
        assert phq9.has_class("-invalid")


async def test_choosing_a_finding_focuses_the_field_it_names():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        findings = screen.query_one(FindingsList)
        index = next(
            i for i, finding in enumerate(findings.findings) if finding.field == "session.start"
        )
        findings.focus()
        findings.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        assert screen.focused is widget(screen, "session.start")


async def test_f5_fills_last_sessions_homework_and_never_todays_plan_or_how_it_went():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        shown = str(screen.query_one("#carry-forward").render())
        assert "Daily worry log." in shown and "Begin worry exposure" in shown
        await pilot.press("f5")
        await wait_until(
            pilot,
            lambda: (
                "Last session's homework was reviewed: Daily worry log." in preview_text(screen)
            ),
        )
        assert widget(screen, "homework.reviewed").value == "Daily worry log."
        assert widget(screen, "homework.reviewed_status").value is Select.NULL
        assert isinstance(widget(screen, "plan"), TextArea) and widget(screen, "plan").text == ""
        assert "Begin worry exposure" not in preview_text(screen)
        assert "completed" not in preview_text(screen)


async def test_carry_forward_reads_the_last_session_before_this_notes_date():
    vault, client, _ = stocked_vault()  # its one earlier note is of 2025-03-04
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        assert screen.query_one("#carry-forward").display
        widget(screen, "session.date").value = "2025-03-01"
        await wait_until(pilot, lambda: not screen.query_one("#carry-forward").display)
        await pilot.press("f5")
        await pilot.pause()
        assert widget(screen, "homework.reviewed").value == ""
        widget(screen, "session.date").value = "2025-03-11"
        await wait_until(pilot, lambda: screen.query_one("#carry-forward").display)


async def test_a_note_with_every_section_filled_shows_each_entry_and_can_be_signed():
    from tests.tui.editor_host import EditorHost as Host
    from tui.screens.note_editor import NoteEditorScreen
    from tui.screens.sign import SignScreen

    vault, client, _ = stocked_vault()
    app = Host(vault, client)
    entries = {
        # A past day: a session that has not ended yet cannot be signed.
        "session.date": "2025-03-11",
        "session.start": "09:00",
        "session.end": "09:53",
        "goals[0].evidence": "Logged worry on six of seven days",
        "homework.reviewed": "Worry log kept on six days",
        "homework.assigned": "Schedule two worry periods a day",
        "measures.gad7": "1 2 1 2 1 1 2",
        "risk.safety_plan": "",
        "next_session": "2026-12-03",
    }
    texts = {
        "presenting_concerns": "Worry about a family visit, trouble sleeping on four nights",
        "observations": "Restless at first, settled after ten minutes",
        "response": "Named two catastrophic predictions and rated belief down from 80 to 40",
        "plan": "Weekly CBT for worry; begin worry postponement next session",
    }
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        for field_path, value in entries.items():
            widget(screen, field_path).value = value
        for field_path, text in texts.items():
            widget(screen, field_path).load_text(text)
        widget(screen, "goals[0].progress").value = "progressing"
        for field_path in ("risk.suicidal_ideation", "risk.homicidal_ideation", "risk.self_harm"):
            widget(screen, field_path).value = "denied"
        widget(screen, "risk.level").value = "low"
        widget(screen, "interventions").value = "CBT"
        await pilot.pause()
        screen.query_one("#f-technique", Input).value = "cognitive restructuring"
        detail = screen.query_one("#f-intervention-detail", Input)
        detail.focus()
        await pilot.press(*"to test predictions about the visit", "enter")
        await wait_until(pilot, lambda: "cognitive restructuring" in preview_text(screen).lower())

        note = preview_text(screen)
        prose = ("goals[0].evidence", "homework.reviewed", "homework.assigned", "next_session")
        for text in [*texts.values(), *(entries[field_path] for field_path in prose)]:
            assert text in note, f"{text!r} is missing from the preview"
        assert "09:00-09:53 (53 minutes)" in note and "GAD-7 10 (moderate)" in note
        assert "denies suicidal ideation" in note.lower()
        assert not [line for line in findings_lines(screen) if line.startswith("✖")]

        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, SignScreen))
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        await wait_until(pilot, lambda: "Electronically signed" in preview_text(screen))


async def test_one_unreadable_time_never_pairs_the_other_with_a_placeholder():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        widget(screen, "session.start").value = "9.30"
        widget(screen, "session.end").value = "10:20"
        # A marker typed last shows when the preview has caught up with all three.
        widget(screen, "presenting_concerns").text = "Fictional marker."
        await wait_until(pilot, lambda: "Fictional marker." in preview_text(screen))
        assert "start and end not entered" in preview_text(screen)
        text = preview_text(screen)
        assert "00:00" not in text and "620 minutes" not in text and "90837" not in text
        assert "FORM-INPUT" in rule_ids(screen)
        widget(screen, "session.start").value = "09:30"
        await wait_until(pilot, lambda: "09:30-10:20 (50 minutes)" in preview_text(screen))


def screen_line(app, y: int) -> str:
    """The text the terminal shows on row `y`."""
    return app.screen._compositor.render_strips()[y].text


async def test_filled_fields_keep_a_visible_label_at_80x24():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    labels = {
        "goals[0].evidence": ("evidence", "used the worry log daily"),
        "homework.reviewed": ("last time", "worry log"),
        "homework.assigned": ("assigned", "two exposures"),
        "measures.phq9": ("PHQ-9", "2 2 2 1 1 1 1 1 1"),
        "measures.gad7": ("GAD-7", "12"),
        "risk.details": ("reported", "passive thoughts last week"),
        "risk.safety_plan": ("safety", "reviewed the plan"),
        "risk.actions": ("actions", "crisis line given"),
    }
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        for field_path, (label, value) in labels.items():
            field = widget(screen, field_path)
            field.value = value
            field.scroll_visible(animate=False, immediate=True)
            await pilot.pause()
            region = field.region
            line = screen_line(app, region.y)
            assert value[:8] in line[region.x :], f"{field_path} is not shown: {line!r}"
            assert label in line[: region.x], f"{field_path} has no label beside it: {line!r}"


async def test_empty_labelled_fields_read_label_then_placeholder_at_80x24():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    placeholders = {
        "telehealth.client_location": ("client at", "state"),
        "telehealth.audio_only_reason": ("audio only", "why"),
        # The example, not "label (role); ...  e.g." cut off before it.
        "participants": ("with", "e.g. Partner B (partner)"),
        "risk.rationale": ("why level", "your rationale"),
    }
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        for field_path, (label, placeholder) in placeholders.items():
            field = widget(screen, field_path)
            field.scroll_visible(animate=False, immediate=True)
            await pilot.pause()
            line = screen_line(app, field.region.y)
            # The whole label, a space, then the placeholder: never "client atstate".
            assert f" {label} " in line[: field.region.x + 1], line
            assert line[field.region.x :].startswith(placeholder), line


async def test_the_title_follows_the_date_of_service_typed_in_the_form():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        title = screen.query_one("#editor-title")
        widget(screen, "session.date").value = "2025-03-18"
        await wait_until(pilot, lambda: "2025-03-18" in str(title.render()))
        assert "draft" in str(title.render())


async def test_the_assessment_is_asked_one_question_each_and_written_as_entered():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        questions = [str(q.render()) for q in screen.query("Question")]
        assert "What is your clinical impression today?" in questions
        assert "Why is this level of care needed now?" in questions
        assert "FORM-INPUT" in rule_ids(screen)  # times not entered yet
        widget(screen, "assessment.impression").load_text("Worry easing with postponement")
        widget(screen, "assessment.medical_necessity").load_text("Weekly CBT while sick days go on")
        widget(screen, "assessment.impairments").value = "work: one sick day this week"
        widget(screen, "participants").value = "mother (parent)"
        await wait_until(
            pilot,
            lambda: (
                "Functional impairment in work (one sick day this week)." in preview_text(screen)
            ),
        )
        text = preview_text(screen)
        assert "Worry easing with postponement." in text
        assert "Weekly CBT while sick days go on." in text
        assert "- Participants: mother (parent)" in text
        # The checks run in a worker: their findings follow the preview.
        await wait_until(pilot, lambda: "MEDICAL-NECESSITY-MISSING" not in rule_ids(screen))


async def test_an_unreadable_impairment_says_what_to_write_and_keeps_the_text():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        field = widget(screen, "assessment.impairments")
        field.value = "job: late twice"
        await wait_until(pilot, lambda: any("area: how" in line for line in findings_lines(screen)))
        assert field.has_class("-invalid")
        assert ("assessment.impairments", "job: late twice") in screen.query_one(
            NoteForm
        ).unread_input()


async def test_the_plans_objectives_review_date_and_session_number_reach_the_note():
    vault, client, _ = stocked_vault()  # one earlier session, on 2025-03-04
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        widget(screen, "session.date").value = "2025-03-11"
        widget(screen, "goals[0].progress").value = "progressing"
        await wait_until(
            pilot,
            lambda: (
                "(objective: Practise diaphragmatic breathing daily). Progressing."
                in preview_text(screen)
            ),
        )
        text = preview_text(screen)
        assert "- Treatment plan review due: 2025-07-10" in text
        assert "- Session 2; last seen 2025-03-04, 7 days ago" in text
