"""The composer: golden notes for every format, risk wording, missed sessions, no invention."""

import json
import os
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

import pytest

from core.notes.composer import (
    compose_header,
    compose_measures_text,
    compose_note,
    compose_risk_statement,
    compose_sections,
)
from core.notes.formats import sections_for
from core.notes.model import (
    GoalEntry,
    GoalProgress,
    HomicidalIdeation,
    Instrument,
    NoteContext,
    NoteFormat,
    PreviousScore,
    Risk,
    RiskLevel,
    SelfHarm,
    Service,
    Setting,
    Signature,
    SuicidalIdeation,
)
from core.notes.session_file import load_session_file, parse_session

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
# CLINOTE_UPDATE_GOLDEN=1 rewrites the golden files; review the diff like code.
UPDATE = os.environ.get("CLINOTE_UPDATE_GOLDEN") == "1"

SIGNATURE = Signature("Dana Reyes", "LCSW", datetime(2025, 3, 5, 16, 2), "0" * 64)
# What the vault would know: earlier scores for the CBT client.
CBT_CONTEXT = NoteContext(
    previous_scores=(
        PreviousScore(Instrument.PHQ9, date(2025, 2, 18), 18),
        PreviousScore(Instrument.GAD7, date(2025, 2, 18), 11),
    )
)


def cbt():
    return replace(load_session_file(ROOT / "examples/individual-cbt.json"), context=CBT_CONTEXT)


def dbt():
    return load_session_file(ROOT / "examples/elevated-risk-dbt.json")


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{name} missing: run with CLINOTE_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("note_format", list(NoteFormat))
def test_golden_cbt_note(note_format):
    check_golden(f"individual-cbt.{note_format.value}.md", compose_note(cbt(), note_format))


@pytest.mark.parametrize("note_format", list(NoteFormat))
def test_golden_elevated_risk_note_signed(note_format):
    text = compose_note(dbt(), note_format, signature=SIGNATURE)
    check_golden(f"elevated-risk-dbt.{note_format.value}.md", text)


NEW_EXAMPLES = ("telehealth-audio-act", "couples-soap", "family-without-client")


@pytest.mark.parametrize("example", NEW_EXAMPLES)
@pytest.mark.parametrize("note_format", list(NoteFormat))
def test_golden_new_examples(example, note_format):
    details = load_session_file(ROOT / f"examples/{example}.json")
    check_golden(f"{example}.{note_format.value}.md", compose_note(details, note_format))


def minimal_data(**session):
    return {
        "client": {"name": "Riley Fictional", "code": "RF-0001"},
        "session": {
            "date": "2025-01-15",
            "start": "09:00",
            "end": "09:45",
            "service": "individual",
            "setting": "in_person",
            "attendance": "attended",
        }
        | session,
    }


def test_golden_no_show():
    data = minimal_data(attendance="no_show") | {
        "observations": "Called the client's mobile at 09:15 and left a voicemail.",
        "interventions": [{"modality": "CBT", "technique": "thought record"}],
        "plan": "Send a letter offering the next available appointment.",
        "next_session": "2025-01-22",
    }
    check_golden("no-show.dap.md", compose_note(parse_session(data)))


# --- structure ------------------------------------------------------------------


@pytest.mark.parametrize("note_format", list(NoteFormat))
def test_sections_appear_in_the_format_order(note_format):
    text = compose_note(cbt(), note_format)
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert headings == list(sections_for(note_format))
    assert list(compose_sections(cbt(), note_format)) == headings


def test_format_defaults_to_the_one_in_the_file():
    assert "## Behavior" in compose_note(dbt())
    assert "## Data" in compose_note(cbt())


def test_header_carries_everything_a_payer_needs():
    header = compose_header(dbt())
    for expected in (
        "Client: Sam Okafor (SO-0377)",
        "Date of service: 2025-03-05",
        "Time: 14:00-14:50 (50 minutes)",
        "Service: Individual psychotherapy",
        "Setting: Telehealth (video)",
        "F60.3 Borderline personality disorder",
        "Service code: 90834-95",
        "Clinician: Dana Reyes, LCSW",
    ):
        assert expected in header
    # The range reasoning is an info finding, not a line to paste into an EHR.
    assert "range" not in header and "Suggested" not in header


def test_header_says_not_billable_under_16_minutes():
    details = parse_session(minimal_data(end="09:15"))
    assert "Service code: none (not billable)" in compose_header(details)


def test_signature_line_only_when_signed():
    assert "Electronically signed" not in compose_note(dbt())
    signed = compose_note(dbt(), signature=SIGNATURE)
    assert signed.rstrip().endswith(
        "Electronically signed by Dana Reyes, LCSW on 2025-03-05 at 16:02"
    )


def test_every_intervention_and_goal_appears():
    text = compose_note(cbt())
    for intervention in cbt().interventions:
        assert intervention.detail in text
    for goal in cbt().goals:
        assert goal.description in text and goal.evidence in text


def test_goal_without_evidence_says_so():
    details = replace(cbt(), goals=(GoalEntry("g", "Sleep seven hours", GoalProgress.MET),))
    assert "Goal 1: Sleep seven hours. Met.\n" in compose_note(details)


def test_not_addressed_goals_are_listed_as_such():
    details = replace(cbt(), goals=(GoalEntry("g", "Walk daily", GoalProgress.NOT_ADDRESSED),))
    text = compose_note(details)
    assert "Goal 1 (Walk daily) was not addressed this session." in text
    assert text.count("Walk daily") == 1


def test_empty_fields_are_shown_as_not_recorded_never_filled_in():
    text = compose_note(parse_session(minimal_data()), NoteFormat.DAP)
    sections = compose_sections(parse_session(minimal_data()), NoteFormat.DAP)
    assert sections["Data"] == "None recorded."
    assert sections["Assessment"] == "Risk not assessed this session."
    assert sections["Plan"] == "None recorded."
    assert "denies" not in text


# --- measures -------------------------------------------------------------------


def test_measures_text_with_change_and_item9():
    text = compose_measures_text(cbt())
    assert text == (
        "PHQ-9 14 (moderate), down 4 from 18 on 2025-02-18."
        " GAD-7 8 (mild), down 3 from 11 on 2025-02-18."
    )
    assert "Item 9 (thoughts of death or self-harm) scored 1." in compose_measures_text(dbt())


def test_no_measures_no_measures_text():
    details = replace(cbt(), measures=())
    assert compose_measures_text(details) == ""
    assert "PHQ-9" not in compose_sections(details)["Data"]


# --- risk -------------------------------------------------------------------------


def test_default_risk_is_not_assessed():
    assert compose_risk_statement(Risk()) == "Risk not assessed this session."


def test_routine_denial_only_when_all_denied():
    risk = Risk(SuicidalIdeation.DENIED, HomicidalIdeation.DENIED, SelfHarm.DENIED, RiskLevel.LOW)
    assert compose_risk_statement(risk) == (
        "Client denies suicidal ideation, homicidal ideation and recent self-harm."
        "\n\nRisk level: low."
    )


def test_partly_assessed_risk_separates_denied_from_not_assessed():
    risk = Risk(suicidal_ideation=SuicidalIdeation.DENIED)
    assert compose_risk_statement(risk) == (
        "Client denies suicidal ideation. Homicidal ideation and self-harm not assessed."
    )


def test_elevated_risk_paragraph_has_report_level_plan_and_actions():
    statement = compose_risk_statement(dbt().risk)
    assert statement.startswith("Client reported passive suicidal ideation.")
    lines = statement.split("\n\n")
    assert lines[1] == (
        "Risk level: moderate. Passive ideation without plan or intent, protective factors"
        " present and skills used."
    )
    assert lines[2].startswith("Safety plan: Stanley-Brown safety plan updated in session")
    assert lines[3].startswith("Means safety: Client has no firearms")
    assert lines[4].startswith("Actions: Agreed with the client to a check-in call")


def test_elevated_risk_without_plan_or_actions_says_none_recorded():
    risk = Risk(suicidal_ideation=SuicidalIdeation.ACTIVE_WITH_PLAN)
    assert compose_risk_statement(risk) == (
        "Client reported active suicidal ideation with a plan."
        " Homicidal ideation and self-harm not assessed."
        "\n\nRisk level: none recorded."
        "\n\nSafety plan: none recorded."
        "\n\nMeans safety: none recorded."
        "\n\nActions: none recorded."
    )


def test_level_alone_can_make_risk_elevated():
    risk = Risk(SuicidalIdeation.DENIED, HomicidalIdeation.DENIED, SelfHarm.DENIED, RiskLevel.HIGH)
    statement = compose_risk_statement(risk)
    assert "Risk level: high." in statement
    assert "Safety plan: none recorded." in statement


def test_homicidal_ideation_and_self_harm_reported():
    risk = Risk(
        SuicidalIdeation.NOT_ASSESSED, HomicidalIdeation.PRESENT, SelfHarm.RECENT, RiskLevel.HIGH
    )
    assert compose_risk_statement(risk).startswith(
        "Client reported homicidal ideation and recent self-harm. Suicidal ideation not assessed."
    )


def test_risk_statement_appears_exactly_once_in_every_format():
    statement = compose_risk_statement(dbt().risk)
    for note_format in NoteFormat:
        assert compose_note(dbt(), note_format).count(statement) == 1


# --- missed sessions ---------------------------------------------------------------


@pytest.mark.parametrize("attendance", ["no_show", "late_cancel"])
@pytest.mark.parametrize("note_format", list(NoteFormat))
def test_missed_session_is_short_and_has_no_interventions(attendance, note_format):
    data = minimal_data(attendance=attendance) | {
        "interventions": [{"modality": "CBT", "technique": "thought record"}],
        "homework": {"assigned": "Daily walk"},
    }
    text = compose_note(parse_session(data), note_format)
    assert "No psychotherapy service was provided." in text
    assert "Thought record" not in text and "Daily walk" not in text
    assert "Service code: none (not billable)" in text
    assert "Scheduled time: 09:00-09:45" in text
    assert "risk" not in text.lower()


def test_late_cancel_wording():
    text = compose_note(parse_session(minimal_data(attendance="late_cancel")))
    assert "Client cancelled the session scheduled for 09:00 with late notice" in text


def test_missed_session_holds_no_risk_statement_about_the_client():
    data = minimal_data(attendance="no_show") | {"risk": {"suicidal_ideation": "denied"}}
    text = compose_note(parse_session(data))
    assert "denies" not in text and "risk" not in text.lower()


def test_missed_session_without_an_end_records_the_outreach():
    data = minimal_data(attendance="no_show", outreach="Called at 09:15; left a voicemail.")
    del data["session"]["end"]
    data["presenting_concerns"] = "Low mood all week."
    text = compose_note(parse_session(data))
    assert "- Scheduled time: 09:00\n" in text
    assert "Called at 09:15; left a voicemail." in text
    assert "Low mood" not in text


def test_late_arrival_is_a_held_session():
    details = parse_session(minimal_data(attendance="late_arrival", start="09:20"))
    text = compose_note(details)
    assert "Attendance: Late arrival" in text
    assert "Time: 09:20-09:45 (25 minutes)" in text
    assert "90832" in text


# --- determinism -------------------------------------------------------------------


def test_composing_is_deterministic():
    assert compose_note(dbt(), NoteFormat.SOAP) == compose_note(dbt(), NoteFormat.SOAP)


def test_crisis_telehealth_audio_header():
    details = replace(
        cbt(),
        session=replace(
            cbt().session,
            service=Service.CRISIS,
            setting=Setting.TELEHEALTH_AUDIO,
            start=time(9, 0),
            end=time(10, 20),
        ),
    )
    assert "Service code: 90839-93 + 90840-93" in compose_header(details)


def test_examples_are_valid_json_files():
    for path in (ROOT / "examples").glob("*.json"):
        parse_session(json.loads(path.read_text(encoding="utf-8")))


def test_a_form_without_times_says_so_instead_of_printing_a_time_nobody_entered():
    details = cbt()
    unfilled = replace(details, session=replace(details.session, start=time(0), end=time(0)))
    header = compose_header(unfilled)
    assert "- Time: start and end not entered" in header
    assert "00:00" not in header
    assert "- Service code: none until start and end times are entered" in header
    assert "90837" not in header and "90834" not in header
