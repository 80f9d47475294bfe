"""Prove a model's draft against what the clinician entered, sentence by sentence.

A risk claim that contradicts the risk fields is an error and the sentence is
not kept; numbers, dates, medication names and quotes that are not in the
input are reported as unsupported; client identifiers are replaced; a section
the model did not write is filled from the composer. Every finding names the
sentence it is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from core.checks.findings import Finding, Severity
from core.checks.risk_contradictions import risk_contradictions_in
from core.drafting.deidentify import scrub_identifiers
from core.drafting.medications import find_medications
from core.drafting.prompts import describe_facts
from core.notes.composer import compose_note, compose_sections
from core.notes.formats import sections_for
from core.notes.model import NoteFormat, SessionDetails
from core.notes.note_text import HEADER_SECTION, Sentence, split_sections, split_sentences

RULE_RISK = "DRAFT-RISK-CONTRADICTION"
RULE_SECTION_MISSING = "DRAFT-SECTION-MISSING"
RULE_EXTRA_TEXT = "DRAFT-EXTRA-TEXT"
RULE_IDENTIFIER = "DRAFT-IDENTIFIER"
RULE_NUMBER = "DRAFT-UNSUPPORTED-NUMBER"
RULE_DATE = "DRAFT-UNSUPPORTED-DATE"
RULE_MEDICATION = "DRAFT-UNSUPPORTED-MEDICATION"
RULE_QUOTE = "DRAFT-UNSUPPORTED-QUOTE"
RULE_FINDING = "DRAFT-UNSUPPORTED-FINDING"

# Mental-status findings a model likes to add from habit; each must come from the input.
_MENTAL_STATUS = {
    "alert and oriented": r"alert\s+and\s+oriented|oriented\s*(?:x|×)\s*\d|fully\s+oriented",
    "hallucinations": r"hallucinat\w*",
    "delusions": r"delusion\w*",
    "psychomotor": r"psychomotor",
    "thought process": r"thought\s+process",
    "thought content": r"thought\s+content",
    "insight": r"insight",
    "judgment": r"judg(?:e)?ment",
    "eye contact": r"eye\s+contact",
    "affect": r"affect(?!ed|s\b|ing)",
    "speech": r"speech",
    "hygiene": r"hygiene|well[\s-]groomed|grooming",
    "memory": r"memory",
}
_MENTAL_STATUS_PATTERNS = {
    name: re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE)
    for name, pattern in _MENTAL_STATUS.items()
}

_NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        "zero _ two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
    if word != "_"  # "one" is a pronoun far more often than a count
}
# Digits glued to letters or a hyphen are names, not quantities: PHQ-9, F41.1, 90834-95.
_NUMBER = re.compile(
    r"(?<![\w.-])(\d+(?:\.\d+)?)(?![\w-])|\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE
)
_MONTHS = {
    name: index
    for index, name in enumerate(
        "january february march april may june july august september october november december".split(),
        start=1,
    )
}
_MONTH = r"(?P<month_name>" + "|".join(_MONTHS) + r")"
_DATE = re.compile(
    r"\b(?P<iso_year>\d{4})-(?P<iso_month>\d{1,2})-(?P<iso_day>\d{1,2})\b"
    # With the year only: "8/10" is far more often a rating than a date.
    r"|\b(?P<us_month>\d{1,2})/(?P<us_day>\d{1,2})/(?P<us_year>\d{2,4})\b"
    rf"|\b{_MONTH}\s+(?P<name_day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<name_year>\d{{4}}))?"
    r"|\b(?P<day_first>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month_after>"
    + "|".join(_MONTHS)
    + r")\b",
    re.IGNORECASE,
)
# Linear: each alternative stops at the next quote mark; the lookahead asks for a space
# inside a single-quoted span without the quadratic `[^']*?\s[^']*?` ("'a 'a 'a ...").
_QUOTE = re.compile(r"[\"“]([^\"“”]{2,}?)[\"”]|(?<![\w])[‘']((?=[^'‘’\s]*\s)[^'‘’]*)[’'](?![\w])")


@dataclass(frozen=True)
class GroundedDraft:
    sections: dict[str, str]  # every format section -> the grounded prose, in order
    filled_from_composer: tuple[str, ...]
    removed_sentences: tuple[str, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class _Evidence:
    """What the clinician entered, in the forms the draft is compared with."""

    text: str  # lower-cased, whitespace-normalised
    numbers: frozenset[float]
    dates: frozenset[tuple[int, int]]  # (month, day)
    medications: frozenset[str]


def _normalise(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(re.sub(r"[^\w%'/ -]", " ", text.lower()).split())


def _numbers_in(text: str) -> list[tuple[re.Match[str], float]]:
    found = []
    for match in _NUMBER.finditer(text):
        digits, word = match.group(1), match.group(2)
        found.append((match, float(digits) if digits else float(_NUMBER_WORDS[word.lower()])))
    return found


def _date_of(match: re.Match[str]) -> tuple[int, int] | None:
    groups = match.groupdict()
    if groups["iso_year"]:
        month, day = int(groups["iso_month"]), int(groups["iso_day"])
    elif groups["us_month"]:
        month, day = int(groups["us_month"]), int(groups["us_day"])
    elif groups["month_name"]:
        month, day = _MONTHS[groups["month_name"].lower()], int(groups["name_day"])
    else:
        month, day = _MONTHS[groups["month_after"].lower()], int(groups["day_first"])
    return (month, day) if 1 <= month <= 12 and 1 <= day <= 31 else None


def _collect_evidence(details: SessionDetails, note_format: NoteFormat) -> _Evidence:
    corpus = compose_note(details, note_format) + "\n" + describe_facts(details)
    dates: set[tuple[int, int]] = set()
    for match in _DATE.finditer(corpus):
        parsed = _date_of(match)
        if parsed:
            dates.add(parsed)
    known: list[date | None] = [details.session.date, details.next_session]
    dates.update((day.month, day.day) for day in known if day is not None)
    numbers = {value for _, value in _numbers_in(corpus)}
    numbers.update(float(part) for part in re.findall(r"\d+", corpus))  # "4-5", "10:53", "9/10"
    return _Evidence(
        text=_normalise(corpus),
        numbers=frozenset(numbers),
        dates=frozenset(dates),
        medications=frozenset(name.lower() for name in find_medications(corpus)),
    )


def _excerpt(sentence: str, limit: int = 90) -> str:
    sentence = " ".join(sentence.split())
    return f'"{sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"}"'


def _finding(rule: str, severity: Severity, section: str, message: str, sentence: str) -> Finding:
    return Finding(rule, severity, section, message, sentence=sentence)


def _unsupported(sentence: Sentence, text: str, evidence: _Evidence) -> list[Finding]:
    """Warnings for numbers, dates, medications and quotes the input does not hold."""
    findings: list[Finding] = []
    where = f"in {sentence.section}, {_excerpt(text)}"
    date_spans: list[tuple[int, int]] = []
    for match in _DATE.finditer(text):
        date_spans.append(match.span())
        parsed = _date_of(match)
        if parsed is not None and parsed not in evidence.dates:
            findings.append(
                _finding(
                    RULE_DATE,
                    Severity.WARNING,
                    sentence.section,
                    f"the draft gives the date {match.group().strip()!r}, which is not in the "
                    f"session entries; check it or remove it ({where})",
                    text,
                )
            )
    for match, value in _numbers_in(text):
        if any(start <= match.start() < end for start, end in date_spans):
            continue
        if value not in evidence.numbers:
            findings.append(
                _finding(
                    RULE_NUMBER,
                    Severity.WARNING,
                    sentence.section,
                    f"the draft gives the number {match.group()!r}, which is not in the "
                    f"session entries; check it or remove it ({where})",
                    text,
                )
            )
    for name in find_medications(text):
        if name.lower() not in evidence.medications:
            findings.append(
                _finding(
                    RULE_MEDICATION,
                    Severity.WARNING,
                    sentence.section,
                    f"the draft names the medication {name!r}, which is not in the session "
                    f"entries; remove it or add it to the session ({where})",
                    text,
                )
            )
    for name, pattern in _MENTAL_STATUS_PATTERNS.items():
        if pattern.search(text) and not pattern.search(evidence.text):
            findings.append(
                _finding(
                    RULE_FINDING,
                    Severity.WARNING,
                    sentence.section,
                    f"the draft reports a mental-status finding ({name}) that the session "
                    f"entries do not hold; remove it or add it to the observations ({where})",
                    text,
                )
            )
    for match in _QUOTE.finditer(text):
        quoted = match.group(1) or match.group(2) or ""
        if _normalise(quoted) and _normalise(quoted) not in evidence.text:
            findings.append(
                _finding(
                    RULE_QUOTE,
                    Severity.WARNING,
                    sentence.section,
                    f"the draft quotes {_excerpt(quoted, 60)}, which the session entries do not "
                    f"hold; remove the quote or add it to the session ({where})",
                    text,
                )
            )
    return findings


def _section_key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.casefold())


def ground_draft(
    details: SessionDetails, note_format: NoteFormat, model_text: str
) -> GroundedDraft:
    """The model's prose per section, with unsupported content reported or removed."""
    wanted = sections_for(note_format)
    wanted_by_key = {_section_key(name): name for name in wanted}
    model_text = _normalise_headings(model_text, wanted)
    evidence = _collect_evidence(details, note_format)
    findings: list[Finding] = []
    removed: list[str] = []

    # Sentence edits by offset: None removes the sentence, a string replaces it.
    edits: dict[int, tuple[Sentence, str | None]] = {}
    for sentence in split_sentences(model_text):
        if _section_key(sentence.section) not in wanted_by_key:
            continue  # preamble or a section the format does not have: dropped below
        section = wanted_by_key[_section_key(sentence.section)]
        contradictions = risk_contradictions_in(details.risk, [sentence])
        if contradictions:
            for contradiction in contradictions:
                findings.append(
                    _finding(
                        RULE_RISK,
                        Severity.ERROR,
                        section,
                        f"removed from the draft: {contradiction.message[0].lower()}"
                        f"{contradiction.message[1:]} (in {section}, {_excerpt(sentence.text)})",
                        sentence.text,
                    )
                )
            removed.append(sentence.text)
            edits[sentence.start] = (sentence, None)
            continue
        scrubbed = scrub_identifiers(sentence.text, details.client)
        if scrubbed.found:
            findings.append(
                _finding(
                    RULE_IDENTIFIER,
                    Severity.WARNING,
                    section,
                    f"the draft gave the client's {' and '.join(scrubbed.found)}, which belongs "
                    f"in the header only; it was replaced (in {section}, "
                    f"{_excerpt(scrubbed.text)})",
                    scrubbed.text,
                )
            )
            edits[sentence.start] = (sentence, scrubbed.text)
        findings.extend(_unsupported(sentence, scrubbed.text, evidence))

    edited = model_text
    for start in sorted(edits, reverse=True):
        sentence, replacement = edits[start]
        edited = edited[:start] + (replacement or "") + edited[sentence.end :]

    bodies: dict[str, str] = {}
    for part in split_sections(edited):
        key = _section_key(part.name)
        body = _tidy(part.body)
        if key in wanted_by_key and wanted_by_key[key] not in bodies:
            bodies[wanted_by_key[key]] = body
        elif body:
            where = "before the first section" if part.name == HEADER_SECTION else "as"
            label = "" if part.name == HEADER_SECTION else f' "{part.name}"'
            findings.append(
                _finding(
                    RULE_EXTRA_TEXT,
                    Severity.INFO,
                    part.name,
                    f"text the model wrote {where}{label} is not part of the "
                    f"{note_format.value.upper()} format and was left out",
                    "",
                )
            )

    composed = compose_sections(details, note_format)
    filled: list[str] = []
    for name in wanted:
        if not bodies.get(name):
            filled.append(name)
            bodies[name] = composed[name]
            findings.append(
                _finding(
                    RULE_SECTION_MISSING,
                    Severity.WARNING,
                    name,
                    f"the model wrote no {name} section; clinote's composed {name} is used "
                    "instead: read it before signing",
                    "",
                )
            )
    return GroundedDraft(
        sections={name: bodies[name] for name in wanted},
        filled_from_composer=tuple(filled),
        removed_sentences=tuple(removed),
        findings=tuple(findings),
    )


_FENCE = re.compile(r"^[ \t]*```[\w-]*[ \t]*\n?", re.MULTILINE)


def _normalise_headings(text: str, sections: tuple[str, ...]) -> str:
    """Code fences out; "### Data", "**Data:**" or "Data:" alone on a line become "## Data"."""
    text = _FENCE.sub("", text)
    names = "|".join(re.escape(name) for name in sections)
    heading = re.compile(
        rf"^[ \t]*(?:#{{1,6}}[ \t]*)?(?:\*\*|__)?[ \t]*({names})[ \t]*:?[ \t]*(?:\*\*|__)?[ \t]*:?[ \t]*$",
        re.IGNORECASE | re.MULTILINE,
    )
    by_key = {name.casefold(): name for name in sections}
    return heading.sub(lambda match: f"## {by_key[match.group(1).casefold()]}", text)


def _tidy(body: str) -> str:
    """Collapse what a removed sentence leaves: double spaces, empty bullets, blank runs."""
    lines = []
    for line in body.split("\n"):
        line = re.sub(r"[ \t]{2,}", " ", line).rstrip()
        if re.fullmatch(r"\s*(?:[-*+]|\d+[.)])\s*", line):
            continue
        lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
