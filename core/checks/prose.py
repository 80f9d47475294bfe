"""Checks that read the prose itself: weak phrases, process-note content, long quotes, cloning.

Each finding names the sentence it is about and, where the sentence came from
one of the session's free-text fields, that field, so the TUI can jump to it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from core.checks.findings import Finding, Severity
from core.notes.lexicon import (
    CONTINUE_PHRASES,
    find_named_interventions,
    find_weak_phrases,
)
from core.notes.model import SessionDetails
from core.notes.note_text import (
    HEADER_SECTION,
    Sentence,
    has_headings,
    sentence_at,
    split_sections,
)

# A weak phrase is made specific when the rest of its sentence, after the
# phrase, names a lexicon technique, gives a number (a score, a count, a date,
# a time), or carries at least this many concrete words: words of three or
# more letters that are neither function words nor vague ones ("feelings",
# "issues", "stuff"). "Talked about feelings." stays weak; "Talked about the
# argument with her manager over the missed deadline." is specific.
CONCRETE_WORDS_FOR_SPECIFIC = 4

# Cloning: word 5-gram shingles of the two notes' bodies (header and signature
# left out), compared by Jaccard similarity. Measured on composed notes: the
# same session re-dated scores 1.0; only the presenting concerns and
# observations rewritten, 0.66; five fields rewritten, 0.26; another client,
# under 0.03. So from 0.6 most of the clinical wording was carried over.
SHINGLE_WORDS = 5
CLONE_SIMILARITY = 0.6
MIN_SHINGLES_TO_COMPARE = 12

_STOP_WORDS = frozenset(
    """
    the and for with about that this was were are has have had his her their them they she
    him its our you your from into onto over under than then also very some any all each
    more most much many few such who whom what which when where why how been being not but
    did does doing done will would could should can may might must shall just only even
    still again further once here there both other same own too out off per via upon
    client clients session sessions therapist clinician today week weeks time times
    feelings feeling feel emotions emotion issues issue things thing stuff life lives
    coping skills skill well good fine okay general generally various several
    progress goal goals treatment therapy therapeutic benefit benefits benefiting continues
    continue making toward towards engaged receptive overall improving improvement doing
    """.split()
)
_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
_DIGIT = re.compile(r"\d")
_LABEL = re.compile(r"^[a-z][a-z -]{0,40}:\s+")
_SIGNATURE_OR_ADDENDUM = re.compile(
    r"^\s*(?:[-*]\s*)?(?:\*\*)?(?:electronically\s+)?signed\b|^#+\s*addend", re.IGNORECASE
)


def free_text_fields(details: SessionDetails) -> list[tuple[str, str]]:
    """(session-file field, value) for every free-text field the composer writes into prose."""
    fields = [
        ("presenting_concerns", details.presenting_concerns),
        ("observations", details.observations),
        ("response", details.response),
        ("homework.reviewed", details.homework.reviewed),
        ("homework.assigned", details.homework.assigned),
        ("plan", details.plan),
        ("risk.details", details.risk.details),
        ("risk.safety_plan", details.risk.safety_plan),
        ("risk.actions", details.risk.actions),
    ]
    for index, intervention in enumerate(details.interventions):
        fields.append((f"interventions[{index}].detail", intervention.detail))
        fields.append((f"interventions[{index}].technique", intervention.technique))
    for index, goal in enumerate(details.goals):
        fields.append((f"goals[{index}].evidence", goal.evidence))
    return [(name, value) for name, value in fields if value.strip()]


def field_for_passage(details: SessionDetails, passage: str) -> str:
    """The free-text field a passage of the note was written from, or "" when none."""
    needle = " ".join(passage.split()).casefold().rstrip(".!?")  # the composer adds a period
    # The composer labels what it writes ("Observations: ..."): try without the label too.
    unlabelled = _LABEL.sub("", needle, count=1)
    if not needle:
        return ""
    values = [
        (name, " ".join(value.split()).casefold()) for name, value in free_text_fields(details)
    ]
    for candidate in (needle, unlabelled):
        for name, value in values:
            if candidate and candidate in value:
                return name
    return ""


def concrete_word_count(text: str) -> int:
    """Words of three or more letters that are neither function words nor vague ones."""
    return sum(
        1 for word in _WORD.findall(text) if len(word) >= 3 and word.casefold() not in _STOP_WORDS
    )


def is_made_specific(rest_of_sentence: str) -> bool:
    """Whether the words after a weak phrase say what exactly happened (see above)."""
    return bool(
        _DIGIT.search(rest_of_sentence)
        or find_named_interventions(rest_of_sentence)
        or concrete_word_count(rest_of_sentence) >= CONCRETE_WORDS_FOR_SPECIFIC
    )


def check_weak_phrases(
    details: SessionDetails, text: str, sentences: list[Sentence]
) -> list[Finding]:
    """WEAK-PHRASE: a phrase from the weak list that the sentence does not go on to make specific."""
    findings = []
    skip_header = has_headings(text)  # without headings the whole note is "Header"
    for match in find_weak_phrases(text):  # one pass over the whole note: fast
        sentence = sentence_at(sentences, match.start)
        if sentence is None or (skip_header and sentence.section == HEADER_SECTION):
            continue
        if match.phrase in CONTINUE_PHRASES:
            continue  # a plan that only continues is PLAN-WEAK's to report
        rest = text[match.end : sentence.end]
        if is_made_specific(rest):
            continue
        written = text[match.start : match.end]
        findings.append(
            Finding(
                "WEAK-PHRASE",
                Severity.WARNING,
                sentence.section,
                f'"{match.phrase}" without specifics: a reviewer cannot tell what was done '
                "or what changed; say what exactly (the topic, the technique, the client's "
                "response, a number)",
                field_for_passage(details, written + rest) or field_for_passage(details, written),
                sentence.text,
            )
        )
    return findings


def note_body(text: str) -> str:
    """The note without its header, signature lines and addenda: what cloning compares."""
    sections = split_sections(text)
    body_lines = []
    for section in sections:
        if section.name == HEADER_SECTION:
            continue
        if section.name.casefold().startswith("addend"):
            break
        for line in section.body.split("\n"):
            if _SIGNATURE_OR_ADDENDUM.match(line):
                continue
            body_lines.append(line)
    if len(sections) == 1:  # no headings: a plain-text note is all body
        body_lines = [line for line in text.split("\n") if not _SIGNATURE_OR_ADDENDUM.match(line)]
    return "\n".join(body_lines)


def _shingles(text: str) -> frozenset[tuple[str, ...]]:
    words = _WORD.findall(note_body(text).casefold())
    return frozenset(zip(*(words[offset:] for offset in range(SHINGLE_WORDS)), strict=False))


@lru_cache(maxsize=1)
def _previous_shingles(previous_text: str) -> frozenset[tuple[str, ...]]:
    # The previous note stays the same while the TUI re-checks on every key; the
    # text being typed changes each time, so caching it would only hold more
    # note text in memory. One entry: the one previous note being compared.
    return _shingles(previous_text)


def clone_similarity(text: str, previous_text: str) -> float | None:
    """Jaccard similarity of the two notes' word 5-grams; None when either is too short."""
    current, previous = _shingles(text), _previous_shingles(previous_text)
    if len(current) < MIN_SHINGLES_TO_COMPARE or len(previous) < MIN_SHINGLES_TO_COMPARE:
        return None
    return len(current & previous) / len(current | previous)


def check_cloning(details: SessionDetails, text: str) -> list[Finding]:
    """CLONED-NOTE: the note is nearly the same text as the client's previous note."""
    previous = details.context.previous_note_text
    if not previous:
        return []
    similarity = clone_similarity(text, previous)
    if similarity is None or similarity < CLONE_SIMILARITY:
        return []
    return [
        Finding(
            "CLONED-NOTE",
            Severity.WARNING,
            "",
            f"{similarity:.0%} of this note's wording repeats the previous note: auditors treat "
            "copied notes as a fraud flag; describe what happened in this session",
        )
    ]
