"""The six progress-note formats: their sections in order and what each section holds."""

from __future__ import annotations

from core.model import NoteFormat

FORMAT_SECTIONS: dict[NoteFormat, tuple[str, ...]] = {
    NoteFormat.DAP: ("Data", "Assessment", "Plan"),
    NoteFormat.BIRP: ("Behavior", "Intervention", "Response", "Plan"),
    NoteFormat.SOAP: ("Subjective", "Objective", "Assessment", "Plan"),
    NoteFormat.GIRP: ("Goals", "Intervention", "Response", "Plan"),
    NoteFormat.PIRP: ("Problem", "Intervention", "Response", "Plan"),
    NoteFormat.SIRP: ("Situation", "Intervention", "Response", "Plan"),
}

_PLAN = "Next interventions, homework, referrals, next session and frequency."
_INTERVENTION = "Named techniques used, and what each was used for."
_RESPONSE = "How the client engaged, what changed in session, progress toward each goal."

# What goes in each section (domain.md), for prompts and on-screen hints.
SECTION_GUIDANCE: dict[NoteFormat, dict[str, str]] = {
    NoteFormat.DAP: {
        "Data": "What the client reported and the clinician observed, interventions used, "
        "homework review, measure scores.",
        "Assessment": "Clinical interpretation, progress toward each goal, risk.",
        "Plan": _PLAN,
    },
    NoteFormat.BIRP: {
        "Behavior": "Presentation, reported symptoms, observed affect.",
        "Intervention": _INTERVENTION,
        "Response": _RESPONSE,
        "Plan": _PLAN,
    },
    NoteFormat.SOAP: {
        "Subjective": "The client's report, symptoms, homework.",
        "Objective": "Observed affect and behavior, mental status findings, measure scores.",
        "Assessment": "Impression, progress toward goals, risk.",
        "Plan": _PLAN,
    },
    NoteFormat.GIRP: {
        "Goals": "The treatment-plan goals addressed today.",
        "Intervention": _INTERVENTION,
        "Response": _RESPONSE,
        "Plan": _PLAN,
    },
    NoteFormat.PIRP: {
        "Problem": "The presenting problem today and why treatment is needed (medical necessity).",
        "Intervention": _INTERVENTION,
        "Response": _RESPONSE,
        "Plan": _PLAN,
    },
    NoteFormat.SIRP: {
        "Situation": "Presentation, triggers, current risk, scores.",
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
