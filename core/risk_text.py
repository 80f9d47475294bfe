"""Risk statements in prose, compared with the structured risk the clinician entered.

A note that says "denies suicidal ideation" when nobody asked is the most-cited
fault of note writers, so the composer's and the model's text are both read
back here. The reading is deliberately conservative: a statement counts only
when a cue word gives it a stance (denied, reported, not assessed), because a
false alarm on a correct note teaches clinicians to ignore the check.

How a stance is found, per clause (split at ";", "but", "however", ...):
topics joined only by list glue ("SI, HI and self-harm", "SI/HI") share one
stance; it comes from the nearest cue before the group ("denies", "no",
"reports", "not assessed"), else from the first cue after it ("SI: denied",
"self-harm was not assessed"). A cue like "history of", "urges to", "screened
for" or "safety plan" makes the mention neutral. A bare mention qualified as
passive or active counts as reported.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from enum import Enum
from itertools import accumulate

from core.findings import Finding, Severity
from core.model import Risk, RiskLevel, SuicidalIdeation
from core.note_text import Sentence, split_sentences

RULE_ID = "RISK-CONTRADICTION"


class Stance(Enum):
    DENIED = "denied"
    REPORTED = "reported"
    NOT_ASSESSED = "not assessed"


_SELF = r"(?:him|her|them|my|your)sel(?:f|ves)"
_POSS = r"(?:his|her|their|my|one's)"
_TOPIC_PATTERNS = {
    "si": (
        r"(?:(?P<qualifier>passive|active)(?:\s*(?:or|and|/)\s*(?:passive|active))?\s+)?"
        r"(?:suicid(?:al|e|ality)(?:\s+(?:ideation|thoughts?|thinking|urges?))?"
        r"|(?-i:\bSI\b)"
        rf"|(?:thoughts?|wish(?:es)?)\s+(?:of|to)\s+(?:die|dying|being\s+dead|be\s+dead|killing\s+{_SELF}|ending\s+{_POSS}\s+life)"
        rf"|kill(?:ing)?\s+{_SELF})"
    ),
    "hi": (
        r"(?:homicid(?:al|e)(?:\s+(?:ideation|thoughts?|urges?))?"
        r"|(?-i:\bHI\b)"
        r"|(?:thoughts?|intent)\s+(?:of|to)\s+(?:harm|hurt|kill)(?:ing)?\s+(?:others|someone|anyone)"
        r"|harm(?:ing)?\s+(?:to\s+)?others)"
    ),
    "sh": (
        # "recent" belongs to the topic ("denies recent self-harm"), not a report cue.
        r"(?:recent\s+)?(?:self[\s-]?harm(?:ing)?|self[\s-]?injur(?:y|ious\s+behaviou?r)"
        rf"|(?-i:\bNSSI\b)|(?:cut|burn)(?:ting|ning|ed|s)?\s+{_SELF})"
    ),
}
_TOPICS = re.compile(
    "|".join(
        f"(?P<{topic}>\\b{pattern.replace('?P<qualifier>', f'?P<{topic}_qualifier>')})"
        for topic, pattern in _TOPIC_PATTERNS.items()
    ),
    re.IGNORECASE,
)
# Order matters: "not assessed" before the bare "not" of a denial. Every cue
# starts a word; the leading \b says so once, which keeps the scan fast.
_CUES = re.compile(
    r"\b(?:(?P<not_assessed>\bnot\s+(?:been\s+|formally\s+)?(?:assessed|asked|screened|evaluated|explored|addressed)"
    r"|\b(?:did\s+not|didn't|was\s+unable\s+to|were\s+unable\s+to|could\s+not)\s+(?:assess|ask|screen|evaluate)"
    r"|\bdeferred\b|\bunassessed\b)"
    r"|(?P<neutral>\b(?:assess(?:ed|ing)?|screen(?:ed|ing)?|evaluat(?:ed|ing))\s+for\b"
    r"|\b(?:asked|inquired|enquired|educated|psychoeducation)\s+(?:about|on|regarding)\b"
    r"|\bhistory\s+of\b|\brisk\s+(?:of|for)\b|\burges?\s+(?:to|for)\b|\binstead\s+of\b"
    r"|\brather\s+than\b|\bsafety\s+plan\w*|\bprevention\b|\bif\b|\bwhen\b|\bshould\b)"
    r"|(?P<denied>\b(?:(?:did|does|do|was|were)\s+not|didn't|doesn't)\s+(?:report|endors|express|disclos|describ|acknowledg|admit)\w*"
    r"|\b(?:denie[sd]|deny(?:ing)?|negative\s+for|without|absence\s+of|free\s+of"
    r"|no|not|never|nor|none|absent|rules?\s+out|ruled\s+out)\b)"
    r"|(?P<reported>\b(?:report(?:s|ed|ing)?|endors(?:es|ed|ing)|express(?:es|ed|ing)"
    r"|disclos(?:es|ed|ing)|acknowledg(?:es|ed|ing)|admit(?:s|ted|ting)|describ(?:es|ed|ing)"
    r"|positive\s+for|experienc(?:es|ed|ing)|present|endorsement|recent|ongoing|passive|active"
    r"|yes)\b))",
    re.IGNORECASE,
)
# What follows a mention and makes it about something other than the stance.
_NEUTRAL_AFTER = re.compile(
    r"\s*(?:urges?|history|risk|screening|screen|assessment|prevention|safety|protocol|hotline|lifeline)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(
    r";|—|\s-\s|\bbut\b|\bhowever\b|\balthough\b|\bthough\b|\bwhereas\b|\bwhile\b|\byet\b",
    re.IGNORECASE,
)
_LIST_GLUE = re.compile(r"^[\s,/&]*(?:(?:and|or|nor|and/or)\b)?[\s,/&]*$", re.IGNORECASE)
_PLAN_PRESENT = re.compile(
    r"\b(?:with|has|have|had|reports?|reported|described?)\s+(?:a\s+)?(?:specific\s+|clear\s+)?plan\b",
    re.IGNORECASE,
)
_PLAN_DENIED = re.compile(
    r"\b(?:no|without|denie[sd]|deny(?:ing)?|nor)\s+(?:a\s+|any\s+)?(?:specific\s+|current\s+)?"
    r"(?:plan|intent)\b",
    re.IGNORECASE,
)
# What may stand between a mention and a cue that follows it: "SI: denied",
# "self-harm was not assessed", "SI, HI and self-harm were all denied".
_CUE_GAP = re.compile(
    r"^[\s:,()\-–]*(?:(?:was|were|is|are|has|have|been|also|all|both|each|currently|"
    r"reported|assessed)\s+(?:as\s+)?){0,3}$",
    re.IGNORECASE,
)
_PLAN_WORDS = re.compile(
    r"\s+(?:a\s+|any\s+)?(?:specific\s+|current\s+)?(?:plan|intent)\b", re.IGNORECASE
)
_DENIED_PLAN_ONLY = re.compile(
    r"^\s*(?:with\s+(?:a\s+)?(?:plan|intent)|plan|intent)\b", re.IGNORECASE
)
_GENERIC_NOT_ASSESSED = re.compile(
    r"\brisk\b(?:\s+(?:assessment|screening))?\s+(?:was\s+|were\s+)?not\s+(?:assessed|screened|evaluated|completed)"
    r"|\b(?:did\s+not|didn't|was\s+unable\s+to)\s+(?:assess|screen|evaluate)\s+(?:for\s+)?risk\b"
    r"|\brisk\s+(?:assessment\s+)?(?:was\s+)?deferred\b",
    re.IGNORECASE,
)
_LEVEL = re.compile(
    r"\b(?P<a>low|moderate|high|imminent)(?:\s+(?:acute|chronic|overall|current))?\s+"
    r"(?:suicide\s+|suicidal\s+|safety\s+)?risk\b(?!\s+(?:for|of)\s+(?!suicide|self|harm|violence))"
    r"|\brisk\s+level\s*(?:is\s+|was\s+|:\s*|of\s+|assessed\s+as\s+|rated\s+(?:as\s+)?)?(?P<b>low|moderate|high|imminent)\b"
    r"|\brisk\s+(?:was\s+|is\s+)?(?:assessed|rated|judged|estimated)\s+(?:as|at)\s+(?P<c>low|moderate|high|imminent)\b",
    re.IGNORECASE,
)
# Sentences without any of these words say nothing about risk: skip them.
_PREFILTER = re.compile(
    r"\b(?=[shnrkdc])(?:suicid|homicid|self[\s-]?(?:harm|injur)|SI\b|HI\b|NSSI|risk|kill|die\b"
    r"|dead\b|harm|cut|burn)",
    re.IGNORECASE,
)

_FIELD = {
    "si": "risk.suicidal_ideation",
    "hi": "risk.homicidal_ideation",
    "sh": "risk.self_harm",
}
_TOPIC_NAME = {"si": "suicidal ideation", "hi": "homicidal ideation", "sh": "self-harm"}


@dataclass(frozen=True)
class RiskStatement:
    """One thing the prose says about one risk topic."""

    topic: str  # "si", "hi", "sh"
    stance: Stance
    qualifier: str = ""  # "passive" or "active" when the text says which
    plan: bool | None = None  # True: "with a plan"; False: "no plan or intent"


def read_risk_statements(sentence: str) -> list[RiskStatement]:
    """What one sentence says about suicidal ideation, homicidal ideation and self-harm."""
    if not _PREFILTER.search(sentence):
        return []  # the common case, decided by one quick scan
    statements: list[RiskStatement] = []
    clause_start = 0
    found_topic = False
    for clause_end in [match.start() for match in _CLAUSE_BREAK.finditer(sentence)] + [
        len(sentence)
    ]:
        clause = sentence[clause_start:clause_end]
        clause_statements = _read_clause(clause)
        found_topic = found_topic or bool(_TOPICS.search(clause))
        statements.extend(clause_statements)
        clause_start = clause_end
    if not found_topic and _GENERIC_NOT_ASSESSED.search(sentence):
        statements.extend(RiskStatement(topic, Stance.NOT_ASSESSED) for topic in _FIELD)
    return statements


def _read_clause(clause: str) -> list[RiskStatement]:
    mentions = list(_TOPICS.finditer(clause))
    if not mentions:
        return []
    # "no plan or intent", "without a plan": denials of the plan, not of the ideation.
    cues = [
        cue
        for cue in _CUES.finditer(clause)
        if not (cue.lastgroup == "denied" and _PLAN_WORDS.match(clause, cue.end()))
    ]
    groups: list[list[re.Match[str]]] = [[mentions[0]]]
    for previous, mention in zip(mentions, mentions[1:], strict=False):
        if _LIST_GLUE.match(clause[previous.end() : mention.start()]):
            groups[-1].append(mention)
        else:
            groups.append([mention])
    statements: list[RiskStatement] = []
    for index, group in enumerate(groups):
        group_start, group_end = group[0].start(), group[-1].end()
        previous_end = groups[index - 1][-1].end() if index else 0
        next_start = groups[index + 1][0].start() if index + 1 < len(groups) else len(clause)
        if _NEUTRAL_AFTER.match(clause, group_end):
            continue
        before = [cue for cue in cues if previous_end <= cue.start() and cue.end() <= group_start]
        after = [cue for cue in cues if group_end <= cue.start() and cue.end() <= next_start]
        # A neutral cue before the mention ("urges to", "history of") settles it.
        if after and not _CUE_GAP.match(clause[group_end : after[0].start()]):
            after = []  # a cue further on is about something else ("..., no preparatory acts")
        stance_cue = before[-1] if before else (after[0] if after else None)
        for mention in group:
            topic = mention.lastgroup or ""
            qualifier = _single_qualifier(mention) if topic == "si" else ""
            if topic == "si" and not qualifier and stance_cue in after:
                # "SI: passive, no plan": the qualifier comes after the mention.
                cue_word = stance_cue.group().lower() if stance_cue else ""
                qualifier = cue_word if cue_word in ("passive", "active") else ""
            stance = _stance_of(stance_cue, qualifier)
            if stance is None:
                continue
            tail = clause[group_end:next_start]
            plan: bool | None = None
            if topic == "si":
                if stance is Stance.DENIED and _DENIED_PLAN_ONLY.match(tail):
                    # "denies SI with plan or intent": a denial of the plan only.
                    statements.append(RiskStatement("si", Stance.REPORTED, qualifier, plan=False))
                    continue
                if stance is Stance.REPORTED:
                    if _PLAN_DENIED.search(tail):
                        plan = False
                    elif _PLAN_PRESENT.search(tail):
                        plan = True
            statements.append(RiskStatement(topic, stance, qualifier, plan))
    return statements


def _single_qualifier(mention: re.Match[str]) -> str:
    # "passive or active SI" names both: there is no single qualifier to compare.
    qualifier = (mention.group("si_qualifier") or "").lower()
    words = mention.group().lower().split()
    if qualifier and "passive" in words and "active" in words:
        return ""
    return qualifier


def _stance_of(cue: re.Match[str] | None, qualifier: str) -> Stance | None:
    if cue is None:
        return Stance.REPORTED if qualifier else None
    return {
        "denied": Stance.DENIED,
        "reported": Stance.REPORTED,
        "not_assessed": Stance.NOT_ASSESSED,
    }.get(cue.lastgroup or "")


def read_risk_level(sentence: str) -> RiskLevel | None:
    """The clinician's risk level the sentence states, if it states one."""
    match = _LEVEL.search(sentence)
    if not match:
        return None
    return RiskLevel((match.group("a") or match.group("b") or match.group("c")).lower())


def _recorded(risk: Risk, topic: str) -> str:
    return {
        "si": risk.suicidal_ideation.value,
        "hi": risk.homicidal_ideation.value,
        "sh": risk.self_harm.value,
    }[topic]


def _mismatch(risk: Risk, statement: RiskStatement) -> tuple[str, str] | None:
    """(kind, recorded value) when the statement disagrees with the structured risk."""
    recorded = _recorded(risk, statement.topic)
    if statement.stance is Stance.DENIED and recorded == "not_assessed":
        return ("denied without asking", recorded)
    if statement.stance is Stance.DENIED and recorded != "denied":
        return ("denied", recorded)
    if statement.stance is Stance.NOT_ASSESSED and recorded != "not_assessed":
        return ("not assessed", recorded)
    if statement.stance is Stance.REPORTED and recorded in ("denied", "not_assessed"):
        return ("reported", recorded)
    return None


def _mismatch_message(kind: str, topics_recorded: list[tuple[str, str]]) -> str:
    names = " and ".join(_TOPIC_NAME[topic] for topic, _ in topics_recorded)
    verb = "were" if len(topics_recorded) > 1 else "was"
    recorded = ", ".join(
        f"{_TOPIC_NAME[topic]}: {value.replace('_', ' ')}" for topic, value in topics_recorded
    )
    if kind == "denied without asking":
        return (
            f"the note says {names} {verb} denied, but the risk input records them as not "
            "assessed: never write a denial that was not asked; say it was not assessed, "
            "or record the denial in the risk fields"
        ).replace("them", "them" if len(topics_recorded) > 1 else "it")
    if kind == "reported":
        return (
            f"the note describes {names}, but the risk input records {recorded}: "
            "record what was reported in the risk fields or correct the sentence"
        )
    return (
        f"the note says {names} {verb} {kind}, but the risk input records {recorded}: "
        "correct the sentence or the risk fields"
    )


def _si_detail_contradiction(recorded: SuicidalIdeation, statement: RiskStatement) -> str | None:
    active = recorded in (SuicidalIdeation.ACTIVE_NO_PLAN, SuicidalIdeation.ACTIVE_WITH_PLAN)
    recorded_words = recorded.value.replace("_", " ")
    if statement.qualifier == "active" and not active:
        return (
            f"the note calls the suicidal ideation active, but the risk input records "
            f"{recorded_words}; correct the sentence or the risk fields"
        )
    if statement.qualifier == "passive" and active:
        return (
            f"the note calls the suicidal ideation passive, but the risk input records "
            f"{recorded_words}; correct the sentence or the risk fields"
        )
    if statement.plan is True and recorded is not SuicidalIdeation.ACTIVE_WITH_PLAN:
        return (
            f"the note says there is a plan, but the risk input records {recorded_words}; "
            f"correct the sentence or the risk fields"
        )
    if statement.plan is False and recorded is SuicidalIdeation.ACTIVE_WITH_PLAN:
        return (
            "the note says there is no plan, but the risk input records active ideation "
            "with a plan; correct the sentence or the risk fields"
        )
    return None


def _level_contradiction(risk: Risk, stated: RiskLevel) -> str | None:
    if risk.level is None:
        return (
            f"the note states a {stated.value} risk level, but no risk level was entered; "
            f"enter the level you assessed or remove it from the text"
        )
    if risk.level is not stated:
        return (
            f"the note states a {stated.value} risk level, but the risk input records "
            f"{risk.level.value}; correct the sentence or the risk level"
        )
    return None


def risk_contradictions_in(risk: Risk, sentences: list[Sentence]) -> list[Finding]:
    """RISK-CONTRADICTION findings for already split sentences (see find_risk_contradictions)."""
    findings: list[Finding] = []
    for sentence in _sentences_about_risk(sentences):
        # One finding per sentence and kind: "Risk not assessed" against three
        # denials is one mistake, not three.
        grouped: dict[str, list[tuple[str, str]]] = {}
        details: list[tuple[str, str]] = []
        for statement in read_risk_statements(sentence.text):
            mismatch = _mismatch(risk, statement)
            if mismatch:
                kind, recorded = mismatch
                topics = grouped.setdefault(kind, [])
                if (statement.topic, recorded) not in topics:
                    topics.append((statement.topic, recorded))
            elif statement.topic == "si" and statement.stance is Stance.REPORTED:
                reason = _si_detail_contradiction(risk.suicidal_ideation, statement)
                if reason and (reason, "") not in details:
                    details.append((reason, ""))
        for kind, topics_recorded in grouped.items():
            message = _mismatch_message(kind, topics_recorded)
            findings.append(_finding(message, _FIELD[topics_recorded[0][0]], sentence))
        for reason, _ in details:
            findings.append(_finding(reason, _FIELD["si"], sentence))
        stated_level = read_risk_level(sentence.text)
        if stated_level is not None:
            reason = _level_contradiction(risk, stated_level)
            if reason:
                findings.append(_finding(reason, "risk.level", sentence))
    return findings


def _sentences_about_risk(sentences: list[Sentence]) -> list[Sentence]:
    # One scan of all sentences at once is several times faster than one per sentence.
    joined = "\n".join(sentence.text for sentence in sentences)
    starts = list(accumulate((len(sentence.text) + 1 for sentence in sentences), initial=0))
    indexes = sorted(
        {bisect_right(starts, match.start()) - 1 for match in _PREFILTER.finditer(joined)}
    )
    return [sentences[index] for index in indexes]


def find_risk_contradictions(risk: Risk, text: str) -> list[Finding]:
    """Errors for each sentence whose risk statement disagrees with the structured risk."""
    return risk_contradictions_in(risk, split_sentences(text))


def _finding(reason: str, field: str, sentence: Sentence) -> Finding:
    return Finding(
        rule_id=RULE_ID,
        severity=Severity.ERROR,
        section=sentence.section,
        message=reason[0].upper() + reason[1:],
        field=field,
        sentence=sentence.text,
    )
