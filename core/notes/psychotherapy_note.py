"""Psychotherapy (process) notes: the therapist's private notes, kept apart from the record.

Under 45 CFR 164.501 a psychotherapy note is not part of the progress note:
it is never in the note's text, preview, copy, export or the model's prompt,
and it is never signed with it. Here it is its own record, linked to the
progress note of the same session by that note's id; SessionDetails never
carries it, so nothing that composes, checks or drafts a note can see it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from core.notes.model import new_id

# The optional session-file field; parse_session accepts it and never reads it.
SESSION_FILE_FIELD = "psychotherapy_note"
TITLE = "Psychotherapy note — not part of the record"


@dataclass(frozen=True)
class PsychotherapyNote:
    """One session's process note: its own record beside the progress note `note_id`."""

    note_id: str
    client_id: str
    text: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    id: str = field(default_factory=new_id)


def session_file_psychotherapy_note(data: object) -> str:
    """The `psychotherapy_note` text of a decoded session file ('' when absent or not text)."""
    if isinstance(data, dict):
        value = data.get(SESSION_FILE_FIELD)
        if isinstance(value, str):
            return value
    return ""


def without_psychotherapy_note(data: object) -> object:
    """The decoded session file minus its psychotherapy note (the input is not changed)."""
    if isinstance(data, dict) and SESSION_FILE_FIELD in data:
        return {key: value for key, value in data.items() if key != SESSION_FILE_FIELD}
    return data


def _collapse_spaces(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r" +([.,;:!?])", r"\1", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


# The composer labels what it writes ("Observations: ..."); the field holds it unlabelled.
_LABEL = re.compile(r"^[A-Z][A-Za-z -]{0,40}:\s+")


def remove_sentence(text: str, sentence: str) -> str | None:
    """`text` without `sentence` (first occurrence), or None when it is not there."""
    sentence = sentence.strip()
    for candidate in (sentence, _LABEL.sub("", sentence, count=1)):
        index = text.find(candidate) if candidate else -1
        if index >= 0:
            return _collapse_spaces(text[:index] + text[index + len(candidate) :])
    return None


def append_to_psychotherapy_note(text: str, sentence: str) -> str:
    """The process note with `sentence` added as its own paragraph."""
    sentence = sentence.strip()
    if not text.strip():
        return sentence
    return f"{text.rstrip()}\n\n{sentence}"
