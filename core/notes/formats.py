"""The six progress-note formats: their sections in order and what each section holds."""

from __future__ import annotations

from core.notes.model import NoteFormat

FORMAT_SECTIONS: dict[NoteFormat, tuple[str, ...]] = {
    NoteFormat.DAP: ("Data", "Assessment", "Plan"),
    NoteFormat.BIRP: ("Behavior", "Intervention", "Response", "Plan"),
    NoteFormat.SOAP: ("Subjective", "Objective", "Assessment", "Plan"),
    NoteFormat.GIRP: ("Goals", "Intervention", "Response", "Plan"),
    NoteFormat.PIRP: ("Problem", "Intervention", "Response", "Plan"),
    NoteFormat.SIRP: ("Situation", "Intervention", "Response", "Plan"),
}

# What goes in each section (domain.md, issue 9): the composer places the entries
# exactly so, and the model's prompt asks for the same. Measures and risk are
# clinote's own computed text and are added to the sections named here.
_PLAN = "The plan as entered, then homework assigned and the next session date."
_INTERVENTION = "Each named technique used, with what it was used for, in one paragraph."
_RESPONSE = (
    "How the client responded and progress on each goal addressed (with its evidence), "
    "then the clinician's impression and why this level of care is needed."
)

SECTION_GUIDANCE: dict[NoteFormat, dict[str, str]] = {
    NoteFormat.DAP: {
        "Data": "What the client reported (concerns, medications, homework review), what the "
        "clinician observed, the interventions used with their purpose. Measures follow.",
        "Assessment": "The client's response, the clinician's impression and functional "
        "impairments, progress on each goal addressed, then why this level of care is "
        "needed. The risk block follows.",
        "Plan": _PLAN,
    },
    NoteFormat.BIRP: {
        "Behavior": "What the client reported, medications, homework review, functional "
        "impairments and observed presentation. Measures follow.",
        "Intervention": _INTERVENTION,
        "Response": _RESPONSE + " The risk block follows.",
        "Plan": _PLAN,
    },
    NoteFormat.SOAP: {
        "Subjective": "The client's own report: concerns, medications, homework review, "
        "functional impairments.",
        "Objective": "What the clinician observed, then the interventions used. Measures "
        "follow the observations.",
        "Assessment": "The clinician's impression, the client's response, progress on each "
        "goal addressed, why this level of care is needed. The risk block follows.",
        "Plan": _PLAN,
    },
    NoteFormat.GIRP: {
        "Goals": "The treatment-plan goals and objectives addressed today with their "
        "progress, then what the client reported and functional impairments.",
        "Intervention": _INTERVENTION,
        "Response": "How the client responded and what was observed, the clinician's "
        "impression and why this level of care is needed. Measures and the risk block follow.",
        "Plan": _PLAN,
    },
    NoteFormat.PIRP: {
        "Problem": "The presenting problem today: what the client reported, functional "
        "impairments, what was observed, and why treatment is needed now (medical necessity). "
        "Measures follow.",
        "Intervention": _INTERVENTION,
        "Response": "How the client responded, progress on each goal addressed, the "
        "clinician's impression. The risk block follows.",
        "Plan": _PLAN,
    },
    NoteFormat.SIRP: {
        "Situation": "Presentation and triggers: what the client reported, functional "
        "impairments, what was observed. Measures and the risk block follow.",
        "Intervention": _INTERVENTION,
        "Response": _RESPONSE,
        "Plan": _PLAN,
    },
}


def sections_for(note_format: NoteFormat) -> tuple[str, ...]:
    """The format's section names in the order they are written."""
    return FORMAT_SECTIONS[note_format]


def format_label(note_format: NoteFormat) -> str:
    """The name clinicians use, e.g. "DAP"."""
    return note_format.value.upper()
