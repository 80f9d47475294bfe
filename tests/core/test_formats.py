"""The six note formats and their sections, as domain.md lists them."""

import pytest

from core.notes.formats import FORMAT_SECTIONS, SECTION_GUIDANCE, format_label, sections_for
from core.notes.model import NoteFormat


def test_every_format_has_its_sections_in_order():
    assert sections_for(NoteFormat.DAP) == ("Data", "Assessment", "Plan")
    assert sections_for(NoteFormat.BIRP) == ("Behavior", "Intervention", "Response", "Plan")
    assert sections_for(NoteFormat.SOAP) == ("Subjective", "Objective", "Assessment", "Plan")
    assert sections_for(NoteFormat.GIRP) == ("Goals", "Intervention", "Response", "Plan")
    assert sections_for(NoteFormat.PIRP) == ("Problem", "Intervention", "Response", "Plan")
    assert sections_for(NoteFormat.SIRP) == ("Situation", "Intervention", "Response", "Plan")
    assert set(FORMAT_SECTIONS) == set(NoteFormat)


@pytest.mark.parametrize("note_format", list(NoteFormat))
def test_every_section_has_guidance(note_format):
    assert tuple(SECTION_GUIDANCE[note_format]) == sections_for(note_format)
    assert all(SECTION_GUIDANCE[note_format].values())


def test_labels():
    assert format_label(NoteFormat.SOAP) == "SOAP"
