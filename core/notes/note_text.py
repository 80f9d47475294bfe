"""Reading a composed or edited note back: its sections and sentences.

The checks need to say which section and which sentence a finding is about,
so this splits Markdown the way the composer writes it: an optional header
before the first `## <Section>` heading, then one body per section.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

HEADER_SECTION = "Header"

_HEADING = re.compile(r"^##[ \t]+(?P<name>[^\n#]+?)[ \t#]*$", re.MULTILINE)
# A sentence ends at . ! ? followed by space and a capital, digit or opening
# quote/bracket, so "e.g. paced breathing" and "3.5 hours" stay whole; a
# closing quote or bracket after the stop stays with its sentence.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)]))\s+(?=[A-Z0-9\"“‘(\[])")
# Markdown line decoration that is not part of the sentence.
_LINE_PREFIX = re.compile(
    r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)?(?:\*\*[^*\n]{1,40}\*\*:?\s*)?"
)


@dataclass(frozen=True)
class Section:
    name: str  # "Header" for the part before the first heading
    body: str
    start: int  # offset of the body in the whole text


@dataclass(frozen=True)
class Sentence:
    text: str  # as written, without list markers or surrounding space
    start: int  # offset in the whole text
    section: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@lru_cache(maxsize=4)
def has_headings(text: str) -> bool:
    """Whether the note has `## Section` headings (hand-written notes may not).

    Cached: the checks ask once per sentence, and a note without headings would
    otherwise be scanned whole each time (quadratic on a long pasted note)."""
    return _HEADING.search(text) is not None


def split_sections(text: str) -> list[Section]:
    """The header (possibly empty) and then each `## Heading` section in order.

    A note without headings is one "Header" section holding the whole text;
    callers that care ask has_headings().
    """
    headings = list(_HEADING.finditer(text))
    first_start = headings[0].start() if headings else len(text)
    sections = [Section(HEADER_SECTION, text[:first_start], 0)]
    for index, heading in enumerate(headings):
        body_start = heading.end()
        body_end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        sections.append(
            Section(heading.group("name").strip(), text[body_start:body_end], body_start)
        )
    return sections


def section_named(text: str, name: str) -> Section | None:
    """The first section whose heading is `name`, ignoring case."""
    wanted = name.casefold()
    for section in split_sections(text):
        if section.name.casefold() == wanted:
            return section
    return None


def split_sentences(text: str) -> list[Sentence]:
    """Every sentence of the note with its section; each line is at least one sentence."""
    sentences: list[Sentence] = []
    for section in split_sections(text):
        offset = section.start
        for line in section.body.split("\n"):
            prefix = _LINE_PREFIX.match(line)
            content_start = prefix.end() if prefix else 0
            piece_start = content_start
            for boundary in _SENTENCE_END.finditer(line, content_start):
                _append(sentences, line, piece_start, boundary.start(), offset, section.name)
                piece_start = boundary.end()
            _append(sentences, line, piece_start, len(line), offset, section.name)
            offset += len(line) + 1
    return sentences


def _append(
    sentences: list[Sentence], line: str, start: int, end: int, offset: int, section: str
) -> None:
    piece = line[start:end]
    stripped = piece.strip()
    if stripped:
        leading = len(piece) - len(piece.lstrip())
        sentences.append(Sentence(stripped, offset + start + leading, section))


def sentence_at(sentences: list[Sentence], position: int) -> Sentence | None:
    """The sentence containing the text offset, if any (sentences in text order)."""
    index = bisect_right(sentences, position, key=lambda sentence: sentence.start) - 1
    if index >= 0 and position < sentences[index].end:
        return sentences[index]
    return None


def word_count(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*", text))
