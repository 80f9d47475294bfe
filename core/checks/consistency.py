"""Consistency rules: the text against what was entered, and against who was there.

MINUTES-LATENESS: the text says the client arrived late or left early, while
the billed times do not show it. MEASURE-MISMATCH: a score stated in the text
(goal evidence included) differs from the measure entered. RISK-CLIENT-ABSENT:
a risk statement from a client who was not in the session. MISSED-SESSION-
CONTENT: clinical content or a risk statement in a no-show or late-cancel note.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, time, timedelta

from core.checks.findings import Finding, Severity
from core.checks.prose import field_for_passage
from core.checks.risk_text import Stance, read_risk_statements, risk_sentence_indexes
from core.notes.billing import suggest_cpt_code
from core.notes.lexicon import find_named_interventions
from core.notes.model import Instrument, Service, SessionDetails
from core.notes.note_text import HEADER_SECTION, Sentence, has_headings, sentence_at

_NUMBER_WORDS = {"five": 5, "ten": 10, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40}
_LATENESS = re.compile(
    r"\b(?=[\dftFT])(?P<n>\d{1,3}|five|ten|fifteen|twenty|thirty|forty)[\s-]*min(?:ute)?s?\s+(?P<kind>late|early)\b",
    re.IGNORECASE,
)
_ENDING = re.compile(
    r"\b(?:left|leave|leaving|ended?|ending|stopped|cut\s+short|had\s+to\s+go)\b", re.I
)
_RAN_OVER = re.compile(r"\b(?:ended?|ran|finished|over)\b", re.IGNORECASE)

_INSTRUMENT = re.compile(r"\b(?P<name>PHQ-?9|GAD-?7|PCL-?5)\b", re.IGNORECASE)
_CHANGE = re.compile(
    r"[^.;\n\d]{0,40}?\b(?:from\s+\d{1,2}\s+to|(?:down|up|dropped|fell|rose|decreased|increased"
    r"|improved|reduced)\s+to)\s+(?P<n>\d{1,2})\b",
    re.IGNORECASE,
)
_DIRECT = re.compile(
    r"(?:\s+(?:total|score))*\s*(?:(?::|=|of|was|is|at|today|now)\s*)*(?P<n>\d{1,2})\b"
    r"(?!\.\d|\s*%|\s*\+|\s+or\s+(?:more|less|above|below|higher|lower))",
    re.IGNORECASE,
)
_HISTORY = re.compile(
    r"[^,;(.\n]{0,40}?\b(?:intake|baseline|last|previous(?:ly)?|prior|ago|before|earlier|was)\b",
    re.IGNORECASE,
)
_INSTRUMENT_BY_KEY = {"phq9": Instrument.PHQ9, "gad7": Instrument.GAD7, "pcl5": Instrument.PCL5}

_ATTRIBUTED = re.compile(
    r"\b(?:per|according\s+to|reports?\s+that|reported\s+that|said\s+that|states?\s+that"
    r"|stated\s+that|mother|father|parents?|partner|spouse|sibling|sister|brother|caregiver"
    r"|guardian|family|teacher)\b",
    re.IGNORECASE,
)
_CLINICAL = re.compile(
    r"\b(?=[ampoeirc])(?:affect|mood|presented\s+(?:as|with)|mental\s+status|oriented|engaged"
    r"|receptive|insight|judgment|progress(?:ing)?\s+toward|interventions?|processed|explored"
    r"|rated|coping\s+skills)\b",
    re.IGNORECASE,
)
_CONTACT = re.compile(
    r"\b(?:call(?:ed|s)?|phone[ds]?|voicemail|text(?:ed)?\s+message|texted|e-?mail(?:ed)?"
    r"|outreach|contacted|letter|portal)\b",
    re.IGNORECASE,
)


def _in_prose(sentence: Sentence | None, text: str) -> bool:
    return sentence is not None and not (sentence.section == HEADER_SECTION and has_headings(text))


def _shows_time(sentence: str, moment: time) -> bool:
    hour12 = moment.hour % 12 or 12
    forms = (f"{moment:%H:%M}", f"{moment.hour}:{moment:%M}", f"{hour12}:{moment:%M}")
    return any(re.search(rf"(?<![\d:]){re.escape(form)}(?!\d)", sentence) for form in forms)


def check_lateness(details: SessionDetails, text: str, sentences: list[Sentence]) -> list[Finding]:
    """MINUTES-LATENESS: "arrived 15 minutes late" while the billed times run from the start."""
    session = details.session
    if not session.attendance.session_held or session.minutes <= 0:
        return []
    for match in _LATENESS.finditer(text):
        sentence = sentence_at(sentences, match.start())
        if not _in_prose(sentence, text) or sentence is None:
            continue
        word = match.group("n").lower()
        lost = int(word) if word.isdigit() else _NUMBER_WORDS[word]
        late = match.group("kind").lower() == "late"
        if (
            late
            and _RAN_OVER.search(sentence.text)
            and not re.search(r"\barriv", sentence.text, re.I)
        ):
            continue  # "the session ran 10 minutes late": more time, not less
        if not late and not _ENDING.search(sentence.text):
            continue  # "arrived 5 minutes early" costs no time
        if _shows_time(sentence.text, session.start if late else session.end):
            continue  # "arrived at 09:15, 15 minutes late": the times were adjusted
        if not 0 < lost < session.minutes:
            continue
        start, end = (
            _shifted(session.start, lost if late else 0),
            _shifted(session.end, 0 if late else -lost),
        )
        actual = replace(session, start=start, end=end)
        what = "arrived" if late else "left"
        field = "session.start" if late else "session.end"
        time_word = "start" if late else "end"
        return [
            Finding(
                "MINUTES-LATENESS",
                Severity.WARNING,
                sentence.section,
                f"the note says the client {what} {lost} minutes {match.group('kind').lower()}, "
                f"but {session.start:%H:%M}-{session.end:%H:%M} bills {session.minutes} minutes: "
                "bill only the time of psychotherapy; if the session ran "
                f"{start:%H:%M}-{end:%H:%M}, set the {time_word} time ({actual.minutes} minutes, "
                f"{suggest_cpt_code(actual).display()}), or write the actual {time_word} time in "
                "the sentence",
                field,
                sentence.text,
            )
        ]
    return []


def _shifted(moment: time, minutes: int) -> time:
    return (datetime.combine(datetime.min, moment) + timedelta(minutes=minutes)).time()


def check_measure_mentions(
    details: SessionDetails, text: str, sentences: list[Sentence]
) -> list[Finding]:
    """MEASURE-MISMATCH: a score in the text that differs from the measure entered."""
    entered: dict[Instrument, set[int]] = {}
    for measure in details.measures:
        entered.setdefault(measure.instrument, set()).add(measure.score)
    if not entered:
        return []
    findings: list[Finding] = []
    for match in _INSTRUMENT.finditer(text):
        instrument = _INSTRUMENT_BY_KEY[match.group("name").lower().replace("-", "")]
        if instrument not in entered:
            continue
        stated = _CHANGE.match(text, match.end()) or _DIRECT.match(text, match.end())
        if stated is None or _HISTORY.match(text, stated.end()):
            continue
        score = int(stated.group("n"))
        sentence = sentence_at(sentences, match.start())
        if score in entered[instrument] or sentence is None:
            continue
        scores = " or ".join(str(value) for value in sorted(entered[instrument]))
        findings.append(
            Finding(
                "MEASURE-MISMATCH",
                Severity.WARNING,
                sentence.section,
                f"the text gives {instrument.value} {score}, but the {instrument.value} entered "
                f"for this session scores {scores}: correct the sentence or the measure",
                field_for_passage(details, sentence.text) or "measures",
                sentence.text,
            )
        )
    return findings


def client_absent(details: SessionDetails) -> bool:
    """Whether the identified client was not in the session (family session without them)."""
    return details.session.service is Service.FAMILY_WITHOUT_CLIENT


def check_absent_client_risk(details: SessionDetails, sentences: list[Sentence]) -> list[Finding]:
    """RISK-CLIENT-ABSENT: a risk statement from a client who was not there."""
    if not client_absent(details):
        return []
    findings = []
    for index in risk_sentence_indexes([sentence.text for sentence in sentences]):
        sentence = sentences[index]
        statements = read_risk_statements(sentence.text)
        if not any(s.stance in (Stance.DENIED, Stance.REPORTED) for s in statements):
            continue
        if _ATTRIBUTED.search(sentence.text):
            continue  # "per mother's report, ..."
        findings.append(
            Finding(
                "RISK-CLIENT-ABSENT",
                Severity.ERROR,
                sentence.section,
                "the client was not present (family session without the client), so this risk "
                'statement cannot come from the client: attribute it to who said it ("per '
                "mother's report\") or remove it",
                field_for_passage(details, sentence.text) or "risk.suicidal_ideation",
                sentence.text,
            )
        )
    return findings


def check_missed_session_content(
    details: SessionDetails, text: str, sentences: list[Sentence]
) -> list[Finding]:
    """MISSED-SESSION-CONTENT: clinical content or risk statements in a missed-session note."""
    if details.session.attendance.session_held:
        return []
    candidates: set[int] = set(risk_sentence_indexes([s.text for s in sentences]))
    starts = {sentence.start: index for index, sentence in enumerate(sentences)}
    positions = [match.start() for match in _CLINICAL.finditer(text)]
    positions += [  # techniques planned for next time are not content of today
        match.start
        for match in find_named_interventions(text)
        if (sentence := sentence_at(sentences, match.start)) is None or sentence.section != "Plan"
    ]
    for position in positions:
        sentence = sentence_at(sentences, position)
        if sentence is not None:
            candidates.add(starts[sentence.start])
    findings = []
    for index in sorted(candidates):
        sentence = sentences[index]
        if not _in_prose(sentence, text) or _CONTACT.search(sentence.text):
            continue
        statements = read_risk_statements(sentence.text)
        is_risk = any(s.stance in (Stance.DENIED, Stance.REPORTED) for s in statements)
        named = sentence.section != "Plan" and find_named_interventions(sentence.text)
        if not is_risk and not _CLINICAL.search(sentence.text) and not named:
            continue
        what = "a risk statement" if is_risk else "clinical content"
        findings.append(
            Finding(
                "MISSED-SESSION-CONTENT",
                Severity.WARNING,
                sentence.section,
                f"this note is for a missed session ({details.session.attendance.value.replace('_', ' ')}) "
                f"but the sentence gives {what}: a missed-session note documents attendance and "
                'follow-up only; if you spoke with the client, say how ("by phone at 09:15")',
                "session.attendance",
                sentence.text,
            )
        )
    return findings
