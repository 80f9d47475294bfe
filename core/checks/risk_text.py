"""Risk statements in prose: what each clause says about each risk item.

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
passive or active counts as reported, and keeps its qualifier: "denies active
SI" is a denial of active ideation only. A clause about the past ("resolved",
"previously", "last month") says nothing about today. When a list has a
stance before it and a different one after a verb ("denies suicidal
thoughts, and self-harm was not assessed") the last item takes its own.
Broad safety claims ("no safety concerns", "not a danger to self or
others", "no acute risk", "future-oriented") are read as denials of what
they cover; core/checks/risk_contradictions.py compares all of it with the input.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from enum import Enum
from itertools import accumulate

from core.notes.model import RiskLevel

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
        rf"|kill(?:ing)?\s+{_SELF}|want(?:s|ed|ing)?\s+to\s+die)"
    ),
    "hi": (
        r"(?:homicid(?:al|e)(?:\s+(?:ideation|thoughts?|urges?))?"
        r"|(?-i:\bHI\b)"
        r"|(?:thoughts?|intent)\s+(?:of|to)\s+(?:harm|hurt|kill)(?:ing)?\s+(?:others|someone|anyone)"
        r"|harm(?:ing)?\s+(?:to\s+)?others|(?:hurt|kill)(?:ing)?\s+(?:others|someone|anyone)"
        # "hurting himself or anyone else": the second item of a list.
        r"|(?<=\bor\s)(?:anyone|anybody|someone|others)(?:\s+else)?\b)"
    ),
    "sh": (
        # "recent" belongs to the topic ("denies recent self-harm"), not a report cue.
        r"(?:recent\s+)?(?:self[\s-]?harm(?:ing)?|self[\s-]?injur(?:y|ious\s+behaviou?r)"
        rf"|(?-i:\bNSSI\b)|(?:cut|burn)(?:ting|ning|ed|s)?\s+{_SELF})"
    ),
    "hurtself": rf"(?:hurt|harm|injur)(?:e|es|ed|ing|s)?\s+(?:{_SELF}|self\b)",
    # Broad safety claims: each stands for the items it covers (_BROAD_TOPICS).
    "safety": (
        r"(?:safety\s+(?:concerns?|issues?)"
        r"|danger(?:ous)?\s+to\s+(?:(?:him|her|them)sel(?:f|ves)|self)(?:\s*(?:or|and|/)\s*others)?)"
    ),
    "others": r"danger(?:ous)?\s+to\s+others",
    "acute": (
        r"(?:acute|imminent|immediate)\s+(?:safety\s+|suicide\s+)?risk\b"
        r"(?!\s+(?:for|of)\s+(?!suicide|self|harm|violence))"
    ),
    "future": r"future[\s-]?orient(?:ed|ation)",
}
_TOPICS = re.compile(
    # Every topic starts a word with one of these letters: checked once, the scan is
    # several times faster than trying each alternative at every word.
    r"\b(?=[abcdfhiknoprstw])(?:"
    + "|".join(
        f"(?P<{topic}>{pattern.replace('?P<qualifier>', f'?P<{topic}_qualifier>')})"
        for topic, pattern in _TOPIC_PATTERNS.items()
    )
    + ")",
    re.IGNORECASE,
)
# Order matters: "not assessed" before the bare "not" of a denial. Every cue
# starts a word; the leading \b says so once, which keeps the scan fast.
_CUES = re.compile(
    r"\b(?=[acdefhinoprsuwy])(?:(?P<not_assessed>\bnot\s+(?:been\s+|formally\s+)?(?:assessed|asked|screened|evaluated|explored|addressed)"
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
_COPULA = re.compile(r"\b(?:was|were|is|are|has|have|been)\b", re.IGNORECASE)
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
    r"\b(?=[shnrkdcfaoi])(?:suicid|homicid|self[\s-]?(?:harm|injur)|SI\b|HI\b|NSSI|risk|kill|die\b"
    r"|dead\b|harm|cut|burn|hurt|injur|safety|danger|future|others|anyone)",
    re.IGNORECASE,
)
# A clause about the past is not a claim about today: "the passive SI reported last
# month has resolved", "previously endorsed SI". A window up to today ("in the last
# month", "since last week", "in the past two weeks") is still current.
_PAST = re.compile(
    r"\b(?:resolved|previously|formerly|used\s+to|ago"
    r"|(?P<window>(?:since|in|over|during|within|for|throughout)\s+(?:the\s+)?)?last\s+"
    r"(?:week|month|year|session|visit|spring|summer|fall|autumn|winter|time)"
    r"|in\s+the\s+past\b(?!\s+(?:\d|few|two|three|four|several|couple|week|month|year|day)))\b",
    re.IGNORECASE,
)
# What each broad safety claim stands for. "acute" is a claim about the risk level
# (passive SI may well carry no acute risk); "future-oriented" implies that risk was
# assessed, so it contradicts only a risk that was not.
_BROAD_TOPICS: dict[str, tuple[str, ...]] = {
    "safety": ("si", "hi", "sh"),
    "hurtself": ("sh",),
    "others": ("hi",),
    "acute": ("level",),
    "future": ("si",),
}

_ITEMS = ("si", "hi", "sh")


@dataclass(frozen=True)
class RiskStatement:
    """One thing the prose says about one risk topic."""

    topic: str  # "si", "hi", "sh", or "level" (a claim of no acute risk)
    stance: Stance
    qualifier: str = ""  # "passive" or "active" when the text says which
    plan: bool | None = None  # True: "with a plan"; False: "no plan or intent"
    claim: str = ""  # the broad safety claim it was read from ("no safety concerns")
    implied: bool = False  # "future-oriented": only a sign that risk was assessed


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
        clause_statements, had_topic = _read_clause(clause)
        found_topic = found_topic or had_topic
        statements.extend(clause_statements)
        clause_start = clause_end
    if not found_topic and _GENERIC_NOT_ASSESSED.search(sentence):
        statements.extend(RiskStatement(topic, Stance.NOT_ASSESSED) for topic in _ITEMS)
    return statements


def _read_clause(clause: str) -> tuple[list[RiskStatement], bool]:
    """The clause's statements, and whether it mentions a risk topic at all."""
    mentions = list(_TOPICS.finditer(clause))
    if not mentions:
        return [], False
    if _is_about_the_past(clause):
        return [], True
    # "no plan or intent", "without a plan": denials of the plan, not of the ideation.
    cues = [
        cue
        for cue in _CUES.finditer(clause)
        if not (cue.lastgroup == "denied" and _PLAN_WORDS.match(clause, cue.end()))
    ]
    cue_starts = [cue.start() for cue in cues]
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
        # The nearest cue before the group, and the first after it (bisect: linear overall).
        before_index = bisect_right(cue_starts, group_start) - 1
        while before_index >= 0 and cues[before_index].end() > group_start:
            before_index -= 1
        before = cues[before_index] if before_index >= 0 else None
        if before is not None and before.start() < previous_end:
            before = None
        after_index = bisect_left(cue_starts, group_end)
        after = cues[after_index] if after_index < len(cues) else None
        if after is not None and (
            after.end() > next_start or not _CUE_GAP.match(clause[group_end : after.start()])
        ):
            after = None  # a cue further on is about something else ("..., no preparatory acts")
        stance_cue = before or after
        split_last = (
            before is not None
            and after is not None
            and _stance_splits(clause, group_end, before, after)
        )
        tail = clause[group_end:next_start]
        for position, mention in enumerate(group):
            cue = after if split_last and position == len(group) - 1 else stance_cue
            statements.extend(_statements_for(clause, mention, cue, cue is after, tail))
    return statements, True


def _is_about_the_past(clause: str) -> bool:
    return any(match.group("window") is None for match in _PAST.finditer(clause))


def _stance_splits(
    clause: str, group_end: int, before: re.Match[str], after: re.Match[str]
) -> bool:
    """Whether "denies suicidal thoughts, and self-harm was not assessed" gives the last
    item its own stance: a verb between it and a cue that disagrees."""
    if not _COPULA.search(clause, group_end, after.start()):
        return False  # "No SI, HI, or self-harm reported": one stance
    if after.lastgroup == "not_assessed":
        return before.lastgroup != "not_assessed"
    return after.lastgroup == "denied" and before.lastgroup == "reported"


def _statements_for(
    clause: str, mention: re.Match[str], cue: re.Match[str] | None, cue_after: bool, tail: str
) -> list[RiskStatement]:
    topic = mention.lastgroup or ""
    if topic in _BROAD_TOPICS:
        # The claim as written, with its cue: "No safety concerns", "not a danger to self".
        start = cue.start() if cue is not None and not cue_after else mention.start()
        return _broad_statements(topic, clause[start : mention.end()], cue)
    qualifier = _single_qualifier(mention) if topic == "si" else ""
    if topic == "si" and not qualifier and cue is not None and cue_after:
        # "SI: passive, no plan": the qualifier comes after the mention.
        cue_word = cue.group().lower()
        qualifier = cue_word if cue_word in ("passive", "active") else ""
    stance = _stance_of(cue, qualifier)
    if stance is None:
        return []
    plan: bool | None = None
    if topic == "si":
        if stance is Stance.DENIED and _DENIED_PLAN_ONLY.match(tail):
            # "denies SI with plan or intent": a denial of the plan only.
            return [RiskStatement("si", Stance.REPORTED, qualifier, plan=False)]
        if stance is Stance.REPORTED:
            if _PLAN_DENIED.search(tail):
                plan = False
            elif _PLAN_PRESENT.search(tail):
                plan = True
    return [RiskStatement(topic, stance, qualifier, plan)]


def _broad_statements(kind: str, text: str, cue: re.Match[str] | None) -> list[RiskStatement]:
    """A broad safety claim counts only as a denial: "no safety concerns", "not a danger
    to self or others"; "future-oriented" only when nothing negates it."""
    claim = " ".join(text.split())
    stance = _stance_of(cue, "")
    if kind == "future":
        if stance is not None:
            return []  # "not future-oriented" is a risk factor, not a claim of safety
        return [RiskStatement("si", Stance.DENIED, claim=claim, implied=True)]
    if stance is not Stance.DENIED:
        return []
    topics = _BROAD_TOPICS[kind]
    if kind == "safety" and "danger" in text.lower() and "other" not in text.lower():
        topics = ("si", "sh")  # "not a danger to self"
    return [RiskStatement(topic, Stance.DENIED, claim=claim) for topic in topics]


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


def mentions_risk(text: str) -> bool:
    """Whether the text has any word a risk statement needs (one quick scan)."""
    return _PREFILTER.search(text) is not None


def risk_sentence_indexes(sentences: list[str]) -> list[int]:
    """Indexes of the sentences that may hold a risk statement, in order."""
    # One scan of all sentences at once is several times faster than one per sentence.
    joined = "\n".join(sentences)
    starts = list(accumulate((len(sentence) + 1 for sentence in sentences), initial=0))
    return sorted(
        {bisect_right(starts, match.start()) - 1 for match in _PREFILTER.finditer(joined)}
    )
