"""Risk checks: the structured risk entered, and what the text promises about safety.

RISK-NOT-ASSESSED and the elevated-risk rules read the risk fields; the
prose is compared with them in core/checks/risk_contradictions.py. NO-HARM-CONTRACT
reads the text: a no-harm ("no-suicide") contract has no evidence of
protecting anyone, and guidelines advise a safety plan instead.
"""

from __future__ import annotations

import re

from core.checks.findings import Finding, Severity, excerpt
from core.checks.rules import section_for
from core.notes.measures import phq9_item9
from core.notes.model import (
    HomicidalIdeation,
    Instrument,
    RiskLevel,
    SelfHarm,
    SessionDetails,
    SuicidalIdeation,
)
from core.notes.note_text import Sentence, sentence_at

_NO_HARM_CONTRACT = re.compile(
    r"\b(?=[cnsa])(?:contract(?:ed|s|ing)?\s+(?:for|to)\s+(?:safety|(?:no|not)\s+(?:self[\s-]?harm|harm|suicide))"
    r"|no[\s-](?:harm|suicide|self[\s-]?harm)\s+(?:contract|agreement)s?"
    r"|safety\s+contract(?:s|ed)?|suicide\s+prevention\s+contract)\b",
    re.IGNORECASE,
)


def check_no_harm_contract(sentences: list[Sentence], text: str) -> list[Finding]:
    """NO-HARM-CONTRACT: a no-harm or safety contract, wherever it appears."""
    findings: list[Finding] = []
    seen: set[int] = set()
    for match in _NO_HARM_CONTRACT.finditer(text):
        sentence = sentence_at(sentences, match.start())
        if sentence is None or sentence.start in seen:
            continue
        seen.add(sentence.start)
        findings.append(
            Finding(
                "NO-HARM-CONTRACT",
                Severity.WARNING,
                sentence.section,
                f'"{excerpt(match.group())}": no-harm (no-suicide) contracts have no '
                "evidence of keeping clients safe and guidelines advise against relying on "
                "them; document the safety plan instead (e.g. Stanley-Brown: warning signs, "
                "coping strategies, contacts, means safety)",
                "risk.safety_plan",
                sentence.text,
            )
        )
    return findings


def _elevated_reasons(details: SessionDetails) -> list[str]:
    risk = details.risk
    reasons = []
    if risk.suicidal_ideation not in (SuicidalIdeation.DENIED, SuicidalIdeation.NOT_ASSESSED):
        reasons.append(f"{risk.suicidal_ideation.value.replace('_', ' ')} suicidal ideation")
    if risk.homicidal_ideation is HomicidalIdeation.PRESENT:
        reasons.append("homicidal ideation")
    if risk.self_harm is SelfHarm.RECENT:
        reasons.append("recent self-harm")
    if risk.level in (RiskLevel.MODERATE, RiskLevel.HIGH, RiskLevel.IMMINENT):
        reasons.append(f"{risk.level.value} risk level")
    return reasons


def check_structured_risk(details: SessionDetails) -> list[Finding]:
    risk = details.risk
    section = section_for(details, "risk")
    findings: list[Finding] = []

    def finding(rule: str, severity: Severity, message: str, field: str) -> None:
        findings.append(Finding(rule, severity, section, message, field))

    not_assessed = [
        (name, field)
        for name, field, unassessed in (
            (
                "suicidal ideation",
                "risk.suicidal_ideation",
                risk.suicidal_ideation is SuicidalIdeation.NOT_ASSESSED,
            ),
            (
                "homicidal ideation",
                "risk.homicidal_ideation",
                risk.homicidal_ideation is HomicidalIdeation.NOT_ASSESSED,
            ),
            ("self-harm", "risk.self_harm", risk.self_harm is SelfHarm.NOT_ASSESSED),
        )
        if unassessed
    ]
    if details.session.attendance.session_held and not_assessed:
        names = ", ".join(name for name, _ in not_assessed)
        finding(
            "RISK-NOT-ASSESSED",
            Severity.WARNING,
            f"risk not assessed ({names}): reviewers expect a risk statement each session; "
            "if you asked, record the answers; if not, the note must say so",
            not_assessed[0][1],
        )
    reasons = _elevated_reasons(details)
    if reasons:
        what = " and ".join(reasons)
        ideation = [reason for reason in reasons if not reason.endswith("risk level")]
        if ideation and risk.level is None:
            finding(
                "RISK-NO-LEVEL",
                Severity.ERROR,
                f"{what} is documented without your risk level: enter low, moderate, high "
                "or imminent",
                "risk.level",
            )
        if not risk.details.strip():
            finding(
                "RISK-NO-DETAILS",
                Severity.WARNING,
                f"{what} is documented without what was reported: describe the ideation, "
                "plan, intent and protective factors as the client described them",
                "risk.details",
            )
        if not risk.safety_plan.strip():
            finding(
                "RISK-NO-SAFETY-PLAN",
                Severity.ERROR,
                f"{what} without a documented safety plan: record the safety planning done "
                "(e.g. a Stanley-Brown plan: warning signs, coping, contacts, means safety)",
                "risk.safety_plan",
            )
        if not risk.actions.strip():
            finding(
                "RISK-NO-ACTIONS",
                Severity.ERROR,
                f"{what} without documented actions: record what you did (e.g. follow-up "
                "call, emergency contact, higher level of care, consultation)",
                "risk.actions",
            )
    for measure in details.measures:
        if measure.instrument is not Instrument.PHQ9:
            continue
        item9 = phq9_item9(measure)
        if not item9:
            continue
        unassessed = risk.suicidal_ideation is SuicidalIdeation.NOT_ASSESSED
        denied_without_follow_up = (
            risk.suicidal_ideation is SuicidalIdeation.DENIED and not risk.details.strip()
        )
        if unassessed or denied_without_follow_up:
            finding(
                "PHQ9-ITEM9-UNADDRESSED",
                Severity.ERROR,
                f"PHQ-9 item 9 (thoughts of death or self-harm) scored {item9} but suicidal "
                + (
                    "ideation was not assessed: assess it and document the follow-up"
                    if unassessed
                    else "ideation is recorded as denied with no follow-up: record in the "
                    "risk details what you asked about the item and what the client said"
                ),
                "risk.suicidal_ideation" if unassessed else "risk.details",
            )
    return findings
