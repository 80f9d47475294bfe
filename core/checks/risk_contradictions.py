"""RISK-CONTRADICTION: risk statements in prose compared with the structured risk entered.

`core.checks.risk_text` reads what each sentence says (denied, reported, not assessed,
per item); this module says where that disagrees with the risk fields. A
denial of an item nobody asked about is the fault clinicians cite most, so it
is an error; so is a broad safety claim ("no safety concerns", "not a danger
to self or others") over an item that was not assessed or is present.
"""

from __future__ import annotations

from core.checks.findings import Finding, Severity, excerpt
from core.checks.risk_text import (
    RULE_ID,
    RiskStatement,
    Stance,
    read_risk_level,
    read_risk_statements,
    risk_sentence_indexes,
)
from core.notes.model import Risk, RiskLevel, SuicidalIdeation
from core.notes.note_text import Sentence, split_sentences

_FIELD = {
    "si": "risk.suicidal_ideation",
    "hi": "risk.homicidal_ideation",
    "sh": "risk.self_harm",
    "level": "risk.level",
}
_TOPIC_NAME = {
    "si": "suicidal ideation",
    "hi": "homicidal ideation",
    "sh": "self-harm",
    "level": "acute risk",
}
_SI_PRESENT = (
    SuicidalIdeation.PASSIVE,
    SuicidalIdeation.ACTIVE_NO_PLAN,
    SuicidalIdeation.ACTIVE_WITH_PLAN,
)
_ELEVATED_LEVELS = (RiskLevel.MODERATE, RiskLevel.HIGH, RiskLevel.IMMINENT)


def _recorded(risk: Risk, topic: str) -> str:
    return {
        "si": risk.suicidal_ideation.value,
        "hi": risk.homicidal_ideation.value,
        "sh": risk.self_harm.value,
    }[topic]


def _level_claim_mismatch(risk: Risk) -> tuple[str, str] | None:
    # "No acute risk" speaks for the clinician's level: it needs suicidal ideation
    # assessed, and it cannot stand beside a moderate or higher level.
    if risk.suicidal_ideation is SuicidalIdeation.NOT_ASSESSED and risk.level is None:
        return ("denied without asking", "not_assessed")
    if risk.level in _ELEVATED_LEVELS:
        return ("denied", f"a {risk.level.value} risk level")
    return None


def _mismatch(risk: Risk, statement: RiskStatement) -> tuple[str, str] | None:
    """(kind, recorded value) when the statement disagrees with the structured risk."""
    if statement.topic == "level":
        return _level_claim_mismatch(risk) if statement.stance is Stance.DENIED else None
    recorded = _recorded(risk, statement.topic)
    if statement.implied:  # "future-oriented": only says that risk was assessed
        return ("denied without asking", recorded) if recorded == "not_assessed" else None
    if statement.stance is Stance.DENIED and recorded == "not_assessed":
        return ("denied without asking", recorded)
    if statement.stance is Stance.DENIED and recorded != "denied":
        if statement.topic == "si" and _denies_the_other_kind(risk, statement.qualifier):
            return None  # "denies active SI" beside passive SI recorded
        return ("denied", recorded)
    if statement.stance is Stance.NOT_ASSESSED and recorded != "not_assessed":
        return ("not assessed", recorded)
    if statement.stance is Stance.REPORTED and recorded in ("denied", "not_assessed"):
        return ("reported", recorded)
    return None


def _denies_the_other_kind(risk: Risk, qualifier: str) -> bool:
    recorded = risk.suicidal_ideation
    if qualifier == "active":
        return recorded is SuicidalIdeation.PASSIVE
    if qualifier == "passive":
        return recorded in (SuicidalIdeation.ACTIVE_NO_PLAN, SuicidalIdeation.ACTIVE_WITH_PLAN)
    return False


def _recorded_words(topic: str, value: str) -> str:
    if topic == "level":
        return value
    return f"{_TOPIC_NAME[topic]}: {value.replace('_', ' ')}"


def _mismatch_message(kind: str, claim: str, topics_recorded: list[tuple[str, str]]) -> str:
    claim = excerpt(claim)
    named = [_TOPIC_NAME[topic] for topic, _ in topics_recorded]
    names = " and ".join(named) if len(named) < 3 else ", ".join(named[:-1]) + " and " + named[-1]
    verb = "were" if len(topics_recorded) > 1 else "was"
    them = "them" if len(topics_recorded) > 1 else "it"
    recorded = ", ".join(_recorded_words(topic, value) for topic, value in topics_recorded)
    says = (
        f'the note\'s "{claim}" denies {names}' if claim else f"the note says {names} {verb} denied"
    )
    if kind == "denied without asking":
        if topics_recorded[0][0] == "level":
            return (
                f'the note\'s "{claim}" claims a risk assessment, but suicidal ideation is '
                "recorded as not assessed and no risk level was entered: never write a safety "
                "claim nobody assessed; say risk was not assessed, or record the assessment"
            )
        return (
            f"{says}, but the risk input records {them} as not assessed: never write a denial "
            "that was not asked; say it was not assessed, or record the denial in the risk fields"
        )
    if kind == "denied":
        return f"{says}, but the risk input records {recorded}: correct the sentence or the risk fields"
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
    for index in risk_sentence_indexes([sentence.text for sentence in sentences]):
        sentence = sentences[index]
        # One finding per sentence and kind: "Risk not assessed" against three
        # denials is one mistake, not three.
        grouped: dict[tuple[str, str], list[tuple[str, str]]] = {}
        details: list[str] = []
        for statement in read_risk_statements(sentence.text):
            mismatch = _mismatch(risk, statement)
            if mismatch:
                kind, recorded = mismatch
                topics = grouped.setdefault((kind, statement.claim), [])
                if (statement.topic, recorded) not in topics:
                    topics.append((statement.topic, recorded))
            elif statement.topic == "si" and statement.stance is Stance.REPORTED:
                reason = _si_detail_contradiction(risk.suicidal_ideation, statement)
                if reason and reason not in details:
                    details.append(reason)
        for (kind, claim), topics_recorded in grouped.items():
            message = _mismatch_message(kind, claim, topics_recorded)
            findings.append(_finding(message, _FIELD[topics_recorded[0][0]], sentence))
        for reason in details:
            findings.append(_finding(reason, _FIELD["si"], sentence))
        stated_level = read_risk_level(sentence.text)
        if stated_level is not None:
            reason = _level_contradiction(risk, stated_level)
            if reason:
                findings.append(_finding(reason, "risk.level", sentence))
    return findings


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
