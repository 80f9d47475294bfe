"""Weak-note rules: what a reviewer reads as boilerplate, and what they want instead.

Generic interventions named alone ("CBT techniques and mindfulness"),
progress claimed without evidence ("making progress toward goals"), a
boilerplate response ("receptive and engaged") and a plan that only continues
each get a finding whose message gives an example drawn from the note's own
content (the plan's rules are in core/checks/plan.py). A sentence that goes on to say what exactly (a target, a number,
enough concrete words) is not flagged.
"""

from __future__ import annotations

import re

from core.checks.findings import Finding, Severity, excerpt
from core.checks.prose import concrete_word_count, field_for_passage
from core.checks.rules import section_for
from core.notes.lexicon import (
    NEEDS_PURPOSE,
    find_named_interventions,
    named_technique,
    normalize_term,
)
from core.notes.model import SessionDetails
from core.notes.note_text import (
    HEADER_SECTION,
    Sentence,
    has_headings,
    sentence_at,
    split_sections,
)

# Interventions a reviewer reads as generic unless the sentence says what they targeted.
_GENERIC_INTERVENTION = re.compile(
    r"\b(?=[cdamspertvgo])(?:(?P<modality>CBT|DBT|ACT|cognitive[\s-]behaviou?ral|solution[\s-]focused"
    r"|person[\s-]centered|strengths?[\s-]based|evidence[\s-]based|therapeutic|supportive"
    r"|coping|relaxation)\s+(?:techniques?|skills?|interventions?|strategies|tools|therapy"
    r"|counseling|approach(?:es)?)"
    r"|(?P<mindfulness>mindfulness)(?:\s+(?:techniques?|skills?|exercises?))?"
    r"|(?P<validation>validation)|(?P<psychoeducation>psychoeducation)"
    r"|(?P<support>(?:provided|offered|gave)\s+(?:emotional\s+)?support|emotional\s+support"
    r"|encouragement|active\s+listening))\b",
    re.IGNORECASE,
)
# Lexicon techniques that say no more than the generic words above.
_GENERIC_TERMS = frozenset(
    {
        "mindfulness",
        "validation",
        "acceptance",
        "willingness",
        "reflective listening",
        "summarizing",
        "mindfulness practice",
        "psychoeducation",
        "relaxation",
        "relaxation training",
    }
)
_PURPOSE = re.compile(
    r"\b(?:to|for|on|about|around|regarding|targeting|addressing|of|with|after|when|during)\s+(.*)",
    re.IGNORECASE | re.DOTALL,
)
# A generic word is an intervention only where the sentence says it was done:
# "Provided validation", "Interventions: mindfulness"; not "she seeks validation".
_DONE = re.compile(
    r"\b(?:used|uses|using|provided|provides|providing|offered|gave|utili[sz]ed|employed"
    r"|practi[cs]ed|taught|introduced|delivered|implemented|applied|facilitated|incorporated"
    r"|reviewed|engaged\s+(?:the\s+)?client\s+in|interventions?\s*:)",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^\s*[A-Za-z][A-Za-z -]{0,40}:\s*")
_SENTENCE_REST = re.compile(r"[^.!?\n]{0,300}")

_PROGRESS_CLAIM = re.compile(
    r"\b(?=[ibcmdpsh])(?:(?:is\s+)?making\s+(?:good\s+|steady\s+|some\s+|slow\s+|great\s+)?progress"
    r"(?:\s+(?:toward|towards|on)\s+(?:(?:his|her|their|the|treatment|therapy|therapeutic)\s+)*goals?)?"
    r"|continues?\s+to\s+(?:benefit|improve|progress|make\s+progress)\b(?:\s+from\s+(?:therapy|treatment|sessions?|services|counseling))?"
    r"|benefit(?:s|ed|ing)?\s+from\s+(?:therapy|treatment|(?:the\s+)?sessions?|services|counseling)"
    r"|(?:is\s+)?(?:progressing|doing)\s+well|showing\s+(?:improvement|progress)"
    r"|has\s+(?:improved|made\s+progress)|is\s+improving)\b",
    re.IGNORECASE,
)
_MEASURE_NAME = re.compile(r"\b(?:PHQ|GAD|PCL|C-SSRS|SUDS?|scale|score|rated|rating)\b", re.I)
_PROGRESS_EVIDENCE_WORDS = 3

_BOILERPLATE_RESPONSE = re.compile(
    r"\b(?=[rempcot])(?:(?:was\s+|were\s+|appeared\s+|remained\s+)?(?:receptive|engaged|cooperative"
    r"|participat(?:ed|ive)|attentive|open\s+to\s+(?:feedback|interventions?|suggestions))"
    r"(?:\s+(?:and|to|in|with|the|session|sessions|interventions?|feedback|well|actively|fully"
    r"|throughout|engaged|receptive|cooperative|attentive|participat(?:ed|ive)))*"
    r"|responded\s+(?:well|positively)(?:\s+to\s+(?:the\s+)?interventions?)?"
    r"|tolerated\s+(?:the\s+)?session\s+well)\b",
    re.IGNORECASE,
)


def _rest_of_sentence(text: str, end: int) -> str:
    match = _SENTENCE_REST.match(text, end)
    return match.group() if match else ""


def is_generic_technique(written: str) -> bool:
    """Whether a lexicon technique, as written, says no more than "mindfulness" does."""
    return normalize_term(written) in _GENERIC_TERMS or normalize_term(written) in {
        "present moment awareness",
        "acceptance willingness",
    }


def has_purpose(rest: str) -> bool:
    """Whether the words after an intervention say what it was for or about."""
    if re.search(r"\d", rest) or concrete_word_count(rest) >= 4:
        return True
    purpose = _PURPOSE.search(rest)
    return bool(purpose and concrete_word_count(purpose.group(1)) >= 2)


def names_a_specific_intervention(text: str, *, generic_counts: bool = False) -> bool:
    """A lexicon technique named outside header and plan; a generic one needs its target
    unless generic_counts (then "CBT techniques" shows that something was done)."""
    # The plan's future techniques ("a thought record next session") were not done today.
    prose = text
    if has_headings(text):
        prose = "\n".join(
            section.body
            for section in split_sections(text)
            if section.name not in (HEADER_SECTION, "Plan")
        )
    if generic_counts and _GENERIC_INTERVENTION.search(prose):
        return True
    for match in find_named_interventions(prose):
        written = normalize_term(prose[match.start : match.end])
        if (
            generic_counts
            or written not in _GENERIC_TERMS
            or has_purpose(_rest_of_sentence(prose, match.end))
        ):
            return True
    return False


def note_topic(details: SessionDetails, text: str) -> str:
    """A few words of what the session was about, for a message's example."""
    source = details.presenting_concerns
    if not source.strip():
        reported = re.search(
            r"\b(?:reported|reports|described|presented\s+with)\s+([^.;\n]{3,120})", text, re.I
        )
        source = reported.group(1) if reported else ""
    source = re.sub(r"^\s*(?:client\s+)?(?:reported|reports|described)\s+", "", source, flags=re.I)
    words = re.split(r"[.;\n]", source, maxsplit=1)[0].split()[:8]
    return excerpt(" ".join(words)) or "the presenting concern"


def check_interventions(details: SessionDetails, text: str) -> list[Finding]:
    section = section_for(details, "interventions")
    named = [named_technique(entry.technique) for entry in details.interventions]
    # Hand-written text may name techniques the form does not list.
    if not any(named) and not names_a_specific_intervention(text):
        return [
            Finding(
                "INTERVENTION-NOT-NAMED",
                Severity.WARNING,
                section,
                'no named intervention: reviewers reject "discussed feelings" or "CBT '
                'techniques"; name the technique used and what it was for, e.g. "used cognitive '
                f'restructuring to challenge predictions about {note_topic(details, text)}"',
                "interventions[0].technique" if details.interventions else "interventions",
            )
        ]
    findings = []
    for index, (entry, technique) in enumerate(zip(details.interventions, named, strict=True)):
        if technique is None or entry.detail.strip():
            continue
        weak_alone = technique in NEEDS_PURPOSE or normalize_term(entry.technique) in _GENERIC_TERMS
        findings.append(
            Finding(
                "INTERVENTION-NO-PURPOSE",
                Severity.WARNING if weak_alone else Severity.INFO,
                section,
                f"{technique} is named without its purpose"
                + (", and payers read it as weak on its own" if weak_alone else "")
                + ": say what it was used for",
                f"interventions[{index}].detail",
            )
        )
    return findings


def _generic_example(kind: str, topic: str) -> str:
    return {
        "modality": f"used cognitive restructuring to challenge predictions about {topic}",
        "mindfulness": f"led a 5-minute mindful breathing exercise to interrupt rumination about {topic}",
        "validation": f"validated the client's frustration about {topic} before problem-solving",
        "psychoeducation": f"psychoeducation on how avoidance keeps {topic} going",
        "support": f"problem-solving on {topic}: listed two options and chose one to try this week",
    }[kind]


def check_generic_interventions(
    details: SessionDetails, text: str, sentences: list[Sentence]
) -> list[Finding]:
    """INTERVENTION-GENERIC: a sentence names only generic interventions, without a target."""
    by_sentence: dict[Sentence, list[re.Match[str]]] = {}
    for match in _GENERIC_INTERVENTION.finditer(text):
        sentence = sentence_at(sentences, match.start())
        if sentence is None or sentence.section in (HEADER_SECTION, "Plan") and has_headings(text):
            continue
        by_sentence.setdefault(sentence, []).append(match)
    findings = []
    topic = ""
    for sentence, matches in by_sentence.items():
        last = matches[-1]
        leading = text[sentence.start : matches[0].start()]
        if leading.strip(" -*:") and not _DONE.search(leading):
            continue  # "she seeks validation": not something the clinician did
        if has_purpose(text[last.end() : sentence.end]) or _names_specific(sentence.text):
            continue
        field = field_for_passage(details, sentence.text)
        if field.startswith("interventions["):
            continue  # a form entry: INTERVENTION-NO-PURPOSE speaks for it
        topic = topic or note_topic(details, text)
        terms = " and ".join(dict.fromkeys(" ".join(m.group().split()) for m in matches))
        findings.append(
            Finding(
                "INTERVENTION-GENERIC",
                Severity.WARNING,
                sentence.section,
                f'"{terms}" named without a target or purpose: a reviewer wants the technique '
                f'and what it was for, e.g. "{_generic_example(matches[0].lastgroup or "support", topic)}"',
                field or "interventions",
                sentence.text,
            )
        )
    return findings


def _names_specific(sentence: str) -> bool:
    return any(
        normalize_term(sentence[match.start : match.end]) not in _GENERIC_TERMS
        for match in find_named_interventions(sentence)
    )


def check_progress_claims(
    details: SessionDetails,
    text: str,
    sentences: list[Sentence],
    already_weak: set[str],
) -> list[Finding]:
    """PROGRESS-NO-EVIDENCE: progress claimed without a score, a count or an observed change."""
    claims: dict[Sentence, list[re.Match[str]]] = {}
    for match in _PROGRESS_CLAIM.finditer(text):
        sentence = sentence_at(sentences, match.start())
        if sentence is None or sentence.text in already_weak or sentence.text.endswith(":"):
            continue
        claims.setdefault(sentence, []).append(match)
    findings = []
    for sentence, matches in claims.items():
        rest = sentence.text
        for match in reversed(matches):
            offset = match.start() - sentence.start
            rest = rest[:offset] + " " + rest[offset + len(match.group()) :]
        if (
            re.search(r"\d", rest)
            or _MEASURE_NAME.search(rest)
            or concrete_word_count(rest) >= _PROGRESS_EVIDENCE_WORDS
        ):
            continue
        claim = " ".join(matches[0].group().split())
        findings.append(
            Finding(
                "PROGRESS-NO-EVIDENCE",
                Severity.WARNING,
                sentence.section,
                f'"{claim}" without evidence: a reviewer wants what shows it (a score against '
                f'its baseline, a count, an observed change), e.g. "{_progress_example(details, text)}"',
                field_for_passage(details, sentence.text),
                sentence.text,
            )
        )
    return findings


def _progress_example(details: SessionDetails, text: str) -> str:
    for measure in details.measures:
        previous = [
            p for p in details.context.previous_scores if p.instrument is measure.instrument
        ]
        if previous:
            last = previous[-1]
            return f"{measure.instrument.value} {measure.score}, from {last.score} on {last.date.isoformat()}"
        return f"{measure.instrument.value} {measure.score} today, against its baseline"
    for goal in details.goals:
        if goal.evidence.strip():
            return excerpt(goal.evidence.strip())
    return f"{note_topic(details, text)} on two of seven days this week, down from five"


def check_response(details: SessionDetails) -> list[Finding]:
    if details.response.strip():
        return []
    return [
        Finding(
            "RESPONSE-MISSING",
            Severity.WARNING,
            section_for(details, "response"),
            "the client's response to the interventions is not recorded: say how the client "
            "engaged and what changed in session",
            "response",
        )
    ]


def check_boilerplate_response(
    details: SessionDetails, text: str, sentences: list[Sentence]
) -> list[Finding]:
    """RESPONSE-BOILERPLATE: "receptive and engaged" with nothing about what changed."""
    flagged: dict[Sentence, str] = {}
    for match in _BOILERPLATE_RESPONSE.finditer(text):
        sentence = sentence_at(sentences, match.start())
        if sentence is None or sentence in flagged:
            continue
        offset = match.start() - sentence.start
        rest = sentence.text[:offset] + " " + sentence.text[offset + len(match.group()) :]
        if not _says_nothing_more(_LABEL.sub("", rest, count=1)):
            continue
        flagged[sentence] = " ".join(match.group().split())
    findings = []
    index_of = (
        {sentence.start: index for index, sentence in enumerate(sentences)} if flagged else {}
    )
    for sentence, phrase in flagged.items():
        index = index_of.get(sentence.start, -1)
        following = sentences[index + 1] if 0 <= index < len(sentences) - 1 else None
        field = field_for_passage(details, sentence.text)
        if field == "response":
            # From the form: judged on the whole response entered.
            if not _says_nothing_more(_BOILERPLATE_RESPONSE.sub(" ", details.response)):
                continue
        elif (
            following is not None
            and following.section == sentence.section
            and following not in flagged
            and (re.search(r"\d", following.text) or concrete_word_count(following.text) >= 4)
        ):
            continue  # the next sentence says what the client did
        findings.append(
            Finding(
                "RESPONSE-BOILERPLATE",
                Severity.WARNING,
                sentence.section,
                f'"{phrase}" is all the response says: a reviewer wants what the client did '
                'with the intervention and what changed, e.g. "Client identified two thoughts '
                f'about {note_topic(details, text)} and rated anxiety down from 7 to 4 of 10"',
                field or "response",
                sentence.text,
            )
        )
    return findings


def _says_nothing_more(rest: str) -> bool:
    return not re.search(r"\d", rest) and concrete_word_count(rest) < 2
