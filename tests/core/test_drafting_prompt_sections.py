"""The model's prompt asks for the same sections and meanings as the composer, and
carries the new entries (assessment, objectives, homework review, who was there)."""

from pathlib import Path

import pytest

from core.drafting.prompts import SYSTEM_PROMPT, build_prompt
from core.notes.formats import SECTION_GUIDANCE
from core.notes.model import NoteFormat
from core.notes.session_file import load_session_file

ROOT = Path(__file__).resolve().parents[2]


def example(name: str):
    return load_session_file(ROOT / f"examples/{name}.json")


def test_the_prompt_carries_the_assessment_objectives_and_homework_review():
    text = build_prompt(example("telehealth-audio-act"), NoteFormat.DAP).user_text
    assert "Clinician's impression: Worry is responding to postponement" in text
    assert "Functional impairments: work: one sick day this week" in text
    assert "Medical necessity (why this care, now): Weekly outpatient therapy" in text
    assert "(objectives: GAD-7 below 10 on two administrations;" in text
    assert "Goals not addressed today: Sleep six or more hours on most nights" in text
    assert "Homework from last session: Worry log and one worry period a day (partial)" in text
    assert "Medications as reported: sertraline 50 mg daily" in text
    assert "15" not in text.split("Facts")[1].split("Measures given")[1]  # no previous score


def test_a_family_session_without_the_client_says_so_and_names_people_by_label():
    text = build_prompt(example("family-without-client"), NoteFormat.DAP).user_text
    assert "Present: mother (parent). The client was not present." in text
    assert "per mother's report" in SYSTEM_PROMPT


@pytest.mark.parametrize("note_format", list(NoteFormat))
def test_each_heading_is_asked_with_its_meaning_from_the_format_table(note_format):
    text = build_prompt(example("couples-soap"), note_format).user_text
    for name, meaning in SECTION_GUIDANCE[note_format].items():
        assert f"## {name}\n({meaning})" in text


def test_the_rules_ask_for_prose_without_labels_and_no_advice_of_its_own():
    assert "Do not start lines with" in SYSTEM_PROMPT
    assert "never add a clinical claim, advice or recommendation of your own" in SYSTEM_PROMPT
    assert "Never give screening advice" in SYSTEM_PROMPT
