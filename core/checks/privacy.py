"""Privacy rules: a progress note is read by clients and payers, so it keeps others out.

PROCESS-NOTE-CONTENT and LONG-QUOTE find what belongs in psychotherapy notes
(45 CFR 164.501); PRIVACY-NAME finds people other than the client named (the
chart refers to them by role or label: "partner", "Partner B", "a peer");
PRIVACY-OTHERS-DETAILS finds other people's health, legal, immigration or
sexual details; PRIVACY-SPECULATION finds guesses about motives or dynamics.
All are warnings: the clinician decides, but a reviewer would ask.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from core.checks.findings import Finding, Severity, excerpt
from core.checks.prose import field_for_passage
from core.checks.quotes import find_quotes
from core.notes.lexicon import find_process_note_markers
from core.notes.model import SessionDetails
from core.notes.note_text import HEADER_SECTION, Sentence, has_headings, sentence_at, word_count

# Quotes longer than this many words read as verbatim disclosure, which
# belongs in psychotherapy notes; a short quote of the client's words is fine.
LONG_QUOTE_WORDS = 15

_RELATION = (
    r"(?:partner|husband|wife|boyfriend|girlfriend|spouse|fianc[eé]e?|mother|father|mom|mum|dad"
    r"|step(?:mother|father|mom|dad)|sister|brother|son|daughter|child|friend|boss|manager"
    r"|supervisor|co-?worker|colleague|roommate|ex|ex-(?:husband|wife|partner)|uncle|aunt"
    r"|cousin|grand(?:mother|father|ma|pa)|niece|nephew|neighbou?r|teacher|peer)"
)
# Someone other than the client: a relation word, perhaps with a name ("her partner
# Mark", "sister, Ana,"), "named Jo", or a label ("Partner B"). One scan finds both the
# people mentioned and the names given; the lookahead lets the engine skip most words.
_PERSON = re.compile(
    rf"\b(?=[abcdefghmnprstuwABCDEFGHMNPRSTUW])(?i:{_RELATION})(?:'s|s)?\b"
    r"(?:,?\s+(?:(?i:named|called)\s+)?(?P<name>[A-Z][a-z]{1,20})\b)?"
    r"|\b(?i:named|called)\s+(?P<named>[A-Z][a-z]{1,20})\b"
    r"|\b(?:Partner|Parent|Member|Participant)\s+[A-Z0-9]\b"
    r"|\b(?i:group\s+members?|other\s+members?)\b"
)
_NOT_NAMES = frozenset(
    """Client Clients The This That These Those He She They It I We You His Her Their Its Our
    My Mr Mrs Ms Dr And But Or So If When While After Before During Per Partner Group Session
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May
    June July August September October November December Christmas Thanksgiving Easter
    Ramadan English Spanish Later Then Today Tonight Yesterday Tomorrow Also However Now Next
    Both All Everyone Nobody Someone Afterwards Still Although Because Since Until Unless
    Despite Otherwise Meanwhile Overall Plan Homework Risk Goal Goals""".split()
)
_SENSITIVE = {
    "health": r"HIV|AIDS|STIs?|STDs?|hepatitis|cancer|chemo\w*|diagnos(?:ed|is)|bipolar"
    r"|schizophreni\w*|dementia|pregnan\w*|miscarriage|abortion|overdos\w*|rehab|detox"
    r"|psychiatric|hospitali[sz]ed|addict\w*|alcoholi\w*|(?:drug|substance)\s+use",
    "legal": r"arrest\w*|jail\w*|prison|incarcerat\w*|charged|convict\w*|probation|parole|DUI"
    r"|DWI|felony|misdemeanou?r|warrant|lawsuit|restraining\s+order|criminal\s+record",
    "immigration": r"undocumented|immigration|visa|deport\w*|green\s+card|asylum|ICE"
    r"|citizenship|refugee\s+status",
    "sexual": r"sexual\w*|sex\b|affair|infidelity|porn\w*|erectile|impoten\w*|intercourse"
    r"|orgasm\w*|gay|lesbian|bisexual",
}
_SENSITIVE_REGEX = re.compile(
    "|".join(f"(?P<{kind}>\\b(?:{pattern})\\b)" for kind, pattern in _SENSITIVE.items()),
    re.IGNORECASE,
)
_DETAIL_REACH = 60  # characters after a mention of someone else that speak of them
_SPECULATION = re.compile(
    r"\b(?=[ipslmcwd])(?:(?:is|are|was|were)\s+(?:probably|likely|possibly|perhaps|presumably)"
    r"\s+(?:why|because|due\s+to|rooted\s+in|driven\s+by|a\s+way\s+to|an\s+attempt\s+to)"
    r"|(?:probably|likely|perhaps|possibly|presumably)\s+(?:because|why|stems?|due\s+to)"
    r"|(?:may|might|could)\s+(?:be\s+)?(?:why|explain\s+why|stem\s+from|be\s+rooted\s+in"
    r"|be\s+driven\s+by|be\s+a\s+way\s+to)"
    r"|(?:seems|appears)\s+to\s+(?:stem|come)\s+from|deep\s+down|secretly\s+(?:wants|wishes|fears)"
    r"|which\s+(?:is\s+)?why\s+(?:she|he|they)\s+(?:seeks?|needs?|wants?))\b",
    re.IGNORECASE,
)


def _quote_spans(text: str) -> list[tuple[int, int]]:
    return [(quote.start, quote.end) for quote in find_quotes(text)]


def _quoted(spans: list[tuple[int, int]], position: int) -> bool:
    # The quotes do not overlap and come in order: one bisect, not a scan.
    index = bisect_right(spans, (position, -1)) - 1
    return index >= 0 and spans[index][0] < position < spans[index][1]


def _prose_sentence(sentences: list[Sentence], position: int, text: str) -> Sentence | None:
    sentence = sentence_at(sentences, position)
    if sentence is None or (sentence.section == HEADER_SECTION and has_headings(text)):
        return None
    return sentence


def check_process_note_content(
    details: SessionDetails, text: str, sentences: list[Sentence]
) -> list[Finding]:
    """PROCESS-NOTE-CONTENT: the therapist's own feelings, transference, speculation."""
    kinds_by_sentence: dict[Sentence, list[str]] = {}
    # "I felt abandoned" in the client's quoted words is not the therapist's feeling.
    quotes = _quote_spans(text)
    for match in find_process_note_markers(text):
        if _quoted(quotes, match.start):
            continue
        sentence = sentence_at(sentences, match.start)
        if sentence is not None:
            kinds = kinds_by_sentence.setdefault(sentence, [])
            if match.phrase not in kinds:
                kinds.append(match.phrase)
    return [
        Finding(
            "PROCESS-NOTE-CONTENT",
            Severity.WARNING,
            sentence.section,
            f"this sentence records {kind}: that belongs in separate psychotherapy notes "
            "(45 CFR 164.501), not in the progress note clients and payers read; remove it "
            "or restate it as what the client said or did",
            field_for_passage(details, sentence.text),
            sentence.text,
        )
        for sentence, kinds in kinds_by_sentence.items()
        for kind in kinds
    ]


def check_long_quotes(
    details: SessionDetails, text: str, sentences: list[Sentence]
) -> list[Finding]:
    """LONG-QUOTE: a verbatim quote longer than LONG_QUOTE_WORDS words."""
    findings = []
    for quote in find_quotes(text):
        quoted = quote.text
        words = word_count(quoted)
        if words <= LONG_QUOTE_WORDS:
            continue
        sentence = sentence_at(sentences, quote.start + 1)
        findings.append(
            Finding(
                "LONG-QUOTE",
                Severity.WARNING,
                sentence.section if sentence else "",
                f"a verbatim quote of {words} words (more than {LONG_QUOTE_WORDS}): intimate "
                "disclosures belong in psychotherapy notes; summarize it in your words and "
                "keep at most a short quote",
                field_for_passage(details, quoted),
                sentence.text if sentence else "",
            )
        )
    return findings


def check_people(details: SessionDetails, text: str, sentences: list[Sentence]) -> list[Finding]:
    """PRIVACY-NAME and PRIVACY-OTHERS-DETAILS, from one scan for people other than the client."""
    matches = list(_PERSON.finditer(text))
    names = _names_given(details, text, sentences, matches)
    mentions = [
        (
            match.start(),
            match.end(),
            match.group().split()[0] if match.group("name") else match.group(),
        )
        for match in matches
    ]
    occurrences: dict[str, int] = dict.fromkeys(names, 0)
    if names:
        # Every place a name found above appears counts as a mention of that person.
        named = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b")
        for match in named.finditer(text):
            occurrences[match.group()] += 1
            mentions.append((match.start(), match.end(), match.group()))
        mentions.sort()
    return _name_findings(details, sentences, names, occurrences) + _check_others_details(
        details, text, sentences, mentions
    )


def _names_given(
    details: SessionDetails, text: str, sentences: list[Sentence], matches: list[re.Match[str]]
) -> dict[str, int]:
    """Each name given to someone other than the client -> where it is first given."""
    own = set(re.findall(r"[A-Za-z]+", details.client.name))
    names: dict[str, int] = {}
    for match in matches:
        name = match.group("name") or match.group("named")
        if name is None or name in own or name in _NOT_NAMES or name in names:
            continue
        if _prose_sentence(sentences, match.start(), text) is not None:
            names[name] = match.start()
    return names


def _name_findings(
    details: SessionDetails,
    sentences: list[Sentence],
    names: dict[str, int],
    occurrences: dict[str, int],
) -> list[Finding]:
    """PRIVACY-NAME: a person other than the client named in the note."""
    findings = []
    for name, first in names.items():
        count = occurrences[name]
        sentence = sentence_at(sentences, first)
        findings.append(
            Finding(
                "PRIVACY-NAME",
                Severity.WARNING,
                sentence.section if sentence else "",
                f'"{name}" names someone other than the client'
                + (f" ({count} times)" if count > 1 else "")
                + ': the client\'s chart refers to others by role or label ("partner", '
                '"Partner B", "her sister"); replace the name',
                field_for_passage(details, sentence.text) if sentence else "",
                sentence.text if sentence else "",
            )
        )
    return findings


def _check_others_details(
    details: SessionDetails,
    text: str,
    sentences: list[Sentence],
    mentions: list[tuple[int, int, str]],
) -> list[Finding]:
    """PRIVACY-OTHERS-DETAILS: someone else's health, legal, immigration or sexual detail."""
    quoted = _quote_spans(text)
    flagged: dict[Sentence, tuple[str, str]] = {}
    # Few sentences mention someone else: look for a detail only just after each mention.
    for _, end, who in mentions:
        detail = _SENSITIVE_REGEX.search(text, end, min(len(text), end + _DETAIL_REACH))
        if detail is None:
            continue
        between = text[end : detail.start()]
        if re.search(r"\bclient\b|[.;\n]", between, re.IGNORECASE):
            continue
        sentence = _prose_sentence(sentences, detail.start(), text)
        if sentence is None or sentence in flagged or _quoted(quoted, detail.start()):
            continue
        flagged[sentence] = (detail.lastgroup or "personal", " ".join(who.split()))
    return [
        Finding(
            "PRIVACY-OTHERS-DETAILS",
            Severity.WARNING,
            sentence.section,
            f"this sentence gives {kind} details about someone other than the client "
            f"({excerpt(who, 30)}): the client's "
            "progress note keeps other people's health, legal, immigration and sexual details "
            'out; say only what bears on the client (e.g. "a family member\'s illness")',
            field_for_passage(details, sentence.text),
            sentence.text,
        )
        for sentence, (kind, who) in flagged.items()
    ]


def check_speculation(
    details: SessionDetails, text: str, sentences: list[Sentence]
) -> list[Finding]:
    """PRIVACY-SPECULATION: a guess about motives or dynamics ("is probably why she ...")."""
    quoted = _quote_spans(text)
    findings: list[Finding] = []
    seen: set[Sentence] = set()
    for match in _SPECULATION.finditer(text):
        sentence = _prose_sentence(sentences, match.start(), text)
        if sentence is None or sentence in seen or _quoted(quoted, match.start()):
            continue
        seen.add(sentence)
        findings.append(
            Finding(
                "PRIVACY-SPECULATION",
                Severity.WARNING,
                sentence.section,
                f'"{" ".join(match.group().split())}" speculates about motives or dynamics: '
                "that belongs in psychotherapy notes, not in the record clients and payers "
                "read; write what the client said or did and your assessment of it",
                field_for_passage(details, sentence.text),
                sentence.text,
            )
        )
    return findings
