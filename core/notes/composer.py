"""The deterministic composer: session details to a complete Markdown progress note.

Every statement comes from the input: the clinician's text as written, the
choices they made, and computed facts (scores, bands, changes, minutes, codes).
Each format's sections hold what that format means by them (domain.md); the
blocks live in core.notes.compose_blocks, the header in core.notes.compose_header and the
risk block in core.notes.compose_risk.
"""

from __future__ import annotations

from core.notes import compose_blocks as b
from core.notes.billing import MISSED_SESSION_LABELS
from core.notes.compose_header import compose_header
from core.notes.compose_risk import (
    RISK_NOT_ASSESSED,
    compose_risk_block,
    compose_risk_statement,
    is_elevated_risk,
)
from core.notes.compose_text import NOT_RECORDED, paragraph, paragraphs, sentence
from core.notes.formats import sections_for
from core.notes.model import Attendance, NoteFormat, SessionDetails, Signature
from core.notes.records import signature_line

__all__ = [
    "NOT_DOCUMENTED",
    "NOT_RECORDED",
    "RISK_NOT_ASSESSED",
    "compose_header",
    "compose_measures_text",
    "compose_note",
    "compose_risk_block",
    "compose_risk_statement",
    "compose_sections",
    "compose_signature_line",
    "is_elevated_risk",
]

NOT_DOCUMENTED = "None recorded."
NO_SESSION_HELD = "No session held."


def compose_measures_text(details: SessionDetails) -> str:
    """The measures as a trend, one sentence each; "" when none were given."""
    return b.measures(details)


def _reported(details: SessionDetails) -> str:
    """What the client (or the informant) reported: concerns, medications, homework."""
    return paragraph(b.report(details), b.medications(details), b.homework_review(details))


def _held_session_sections(d: SessionDetails, note_format: NoteFormat) -> list[str]:
    plan = b.plan(d)
    match note_format:
        case NoteFormat.DAP:
            return [
                paragraphs(_reported(d), b.observations(d), b.interventions(d), b.measures(d)),
                paragraphs(
                    b.response(d),
                    paragraph(b.impression(d), b.impairments(d)),
                    b.goals(d),
                    b.risk(d),
                    b.medical_necessity(d),
                ),
                plan,
            ]
        case NoteFormat.BIRP:
            return [
                paragraphs(_reported(d), b.impairments(d), b.observations(d), b.measures(d)),
                b.interventions(d),
                paragraphs(
                    b.response(d), b.goals(d), b.impression(d), b.risk(d), b.medical_necessity(d)
                ),
                plan,
            ]
        case NoteFormat.SOAP:
            return [
                paragraphs(_reported(d), b.impairments(d)),
                paragraphs(b.observations(d), b.measures(d), b.interventions(d)),
                paragraphs(
                    paragraph(b.impression(d), b.response(d)),
                    b.goals(d),
                    b.risk(d),
                    b.medical_necessity(d),
                ),
                plan,
            ]
        case NoteFormat.GIRP:
            return [
                paragraphs(b.goals(d), _reported(d), b.impairments(d)),
                b.interventions(d),
                paragraphs(
                    b.response(d),
                    b.observations(d),
                    b.measures(d),
                    b.impression(d),
                    b.risk(d),
                    b.medical_necessity(d),
                ),
                plan,
            ]
        case NoteFormat.PIRP:
            return [
                paragraphs(
                    _reported(d),
                    b.impairments(d),
                    b.observations(d),
                    b.measures(d),
                    b.medical_necessity(d),
                ),
                b.interventions(d),
                paragraphs(b.response(d), b.goals(d), b.impression(d), b.risk(d)),
                plan,
            ]
        case NoteFormat.SIRP:
            return [
                paragraphs(
                    _reported(d), b.impairments(d), b.observations(d), b.measures(d), b.risk(d)
                ),
                b.interventions(d),
                paragraphs(b.response(d), b.goals(d), b.impression(d), b.medical_necessity(d)),
                plan,
            ]
    raise AssertionError(f"unhandled format {note_format}")


def _missed_session_sections(details: SessionDetails, note_format: NoteFormat) -> list[str]:
    """Attendance, outreach and the plan: no clinical content, no risk statement."""
    info = details.session
    start = info.start.strftime("%H:%M")
    if info.attendance is Attendance.NO_SHOW:
        what = f"Client did not attend the session scheduled for {start} and did not cancel"
    else:
        what = f"Client cancelled the session scheduled for {start} with late notice"
    missed = MISSED_SESSION_LABELS[info.attendance]
    opening = f"{what} ({missed}). No psychotherapy service was provided."
    outreach = sentence(info.outreach)
    # Files from before `outreach` existed kept the clinician's outreach notes here.
    earlier_notes = (
        () if outreach else (sentence(details.presenting_concerns), sentence(details.observations))
    )
    first = paragraphs(opening, outreach, *earlier_notes)
    middle = [NO_SESSION_HELD] * (len(sections_for(note_format)) - 2)
    return [first, *middle, b.plan(details, with_homework=False) or NOT_DOCUMENTED]


def compose_sections(
    details: SessionDetails, note_format: NoteFormat | None = None
) -> dict[str, str]:
    """Section name -> body, in the format's order."""
    note_format = note_format or details.format
    if details.session.attendance.session_held:
        bodies = _held_session_sections(details, note_format)
    else:
        bodies = _missed_session_sections(details, note_format)
    return {
        name: body or NOT_DOCUMENTED
        for name, body in zip(sections_for(note_format), bodies, strict=True)
    }


def compose_signature_line(signature: Signature) -> str:
    """The line a signed note ends with, worded exactly as signing writes it."""
    return signature_line(signature.clinician_name, signature.credentials, signature.signed_at)


def compose_note(
    details: SessionDetails,
    format: NoteFormat | None = None,  # noqa: A002 - the documented keyword
    signature: Signature | None = None,
) -> str:
    """The complete Markdown note: header, the format's sections in order, signature line."""
    parts = [compose_header(details)]
    for name, body in compose_sections(details, format).items():
        parts.append(f"## {name}\n\n{body}")
    if signature is not None:
        parts.append("---\n\n" + compose_signature_line(signature))
    return "\n\n".join(parts) + "\n"
