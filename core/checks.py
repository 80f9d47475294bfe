"""The checks: what a payer's reviewer would object to in a progress note, and how to fix it.

`check_note(details, text)` reads both the structured session details and the
note text (composed, model-written or edited) and returns findings, errors
first. Errors block signing. The TUI re-runs this on every keystroke, so every
rule is a handful of precompiled regular expressions over the text.

Rule ids are stable; the TUI and the command line show them:
HEADER-MISSING, NOTE-EMPTY, TIME-INVALID, DIAGNOSIS-MISSING, MINUTES-MISMATCH,
CPT-MINUTES, CPT-SERVICE, CPT-NOT-BILLABLE, CPT-MISSED-SESSION, CPT-MODIFIER,
GOAL-NOT-LINKED, GOAL-NO-EVIDENCE, INTERVENTION-NOT-NAMED,
INTERVENTION-NO-PURPOSE, RESPONSE-MISSING, WEAK-PHRASE, RISK-NOT-ASSESSED,
RISK-NO-LEVEL, RISK-NO-DETAILS, RISK-NO-SAFETY-PLAN, RISK-NO-ACTIONS,
PHQ9-ITEM9-UNADDRESSED, RISK-CONTRADICTION, PROCESS-NOTE-CONTENT, LONG-QUOTE,
PLAN-MISSING, PLAN-WEAK, PLAN-NO-NEXT-SESSION, CLONED-NOTE, PLAN-OUTDATED,
SERVICE-NOT-DOCUMENTED.
docs/checks.md says when each fires and what the definitions are.
"""

from __future__ import annotations

import re
from datetime import date

from core.completeness_checks import check_completeness
from core.findings import Finding, Severity, by_severity
from core.header_checks import check_billing, check_header
from core.lexicon import (
    CONTINUE_PHRASES,
    NEEDS_PURPOSE,
    find_named_interventions,
    find_weak_phrases,
    named_technique,
)
from core.measures import phq9_item9
from core.model import (
    GoalProgress,
    HomicidalIdeation,
    Instrument,
    NoteFormat,
    RiskLevel,
    SelfHarm,
    SessionDetails,
    SuicidalIdeation,
)
from core.note_text import (
    HEADER_SECTION,
    has_headings,
    section_named,
    split_sections,
    split_sentences,
)
from core.prose_checks import (
    check_cloning,
    check_long_quotes,
    check_process_note_content,
    check_weak_phrases,
    concrete_word_count,
)
from core.risk_text import find_risk_contradictions, risk_contradictions_in

__all__ = ["check_note", "find_risk_contradictions"]

# Where the composer writes each topic, per format: the section a finding names
# when it is about something missing rather than about a sentence.
_SECTION_FOR: dict[str, dict[NoteFormat, str]] = {
    "goals": {
        NoteFormat.DAP: "Assessment",
        NoteFormat.SOAP: "Assessment",
        NoteFormat.GIRP: "Goals",
    },
    "interventions": {NoteFormat.DAP: "Data", NoteFormat.SOAP: "Objective"},
    "response": {NoteFormat.DAP: "Assessment", NoteFormat.SOAP: "Assessment"},
    "risk": {
        NoteFormat.DAP: "Assessment",
        NoteFormat.SOAP: "Assessment",
        NoteFormat.SIRP: "Situation",
    },
}
_SECTION_DEFAULT = {
    "goals": "Response",
    "interventions": "Intervention",
    "response": "Response",
    "risk": "Response",
}

# What a composer or a clinician writes for "nothing here".
_EMPTY_MARKERS = re.compile(
    r"\b(?:none|nothing|not)\s+(?:recorded|entered|documented|applicable)\b|\bn/?a\b|\btbd\b",
    re.IGNORECASE,
)
_PLAN_LABELS = re.compile(
    r"^\s*(?:[-*]\s*)?(?:plan|homework assigned|next session|referrals?)\s*:\s*",
    re.IGNORECASE | re.MULTILINE,
)
_PLAN_SCHEDULE = re.compile(
    r"\d|\b(?:weekly|biweekly|fortnightly|monthly|every\s+\w+|twice|next\s+session|"
    r"follow[-\s]?up)\b",
    re.IGNORECASE,
)
_CONCRETE_PLAN_WORDS = 3


def check_note(details: SessionDetails, text: str) -> list[Finding]:
    """Every finding for this note, errors first, then warnings, then information."""
    held = details.session.attendance.session_held
    sentences = split_sentences(text)
    findings: list[Finding] = []
    findings += check_header(details, text)
    findings += check_billing(details, text)
    if held:
        findings += _check_service_documented(details, text)
        findings += _check_goals(details)
        findings += _check_interventions(details, text)
        findings += _check_response(details)
        findings += _check_plan(details, text)
        findings += check_cloning(details, text)
    findings += _check_risk(details)
    findings += risk_contradictions_in(details.risk, sentences)
    findings += check_weak_phrases(details, text, sentences)
    findings += check_process_note_content(details, text, sentences)
    findings += check_long_quotes(details, text, sentences)
    findings += _check_plan_age(details)
    findings += check_completeness(details)
    return by_severity(findings)


def _section(details: SessionDetails, topic: str) -> str:
    return _SECTION_FOR[topic].get(details.format, _SECTION_DEFAULT[topic])


# --- clinical content ----------------------------------------------------------


def _check_goals(details: SessionDetails) -> list[Finding]:
    section = _section(details, "goals")
    addressed = [goal for goal in details.goals if goal.progress is not GoalProgress.NOT_ADDRESSED]
    if not addressed:
        return [
            Finding(
                "GOAL-NOT-LINKED",
                Severity.WARNING,
                section,
                "no treatment-plan goal is addressed: payers expect each note to show progress "
                "toward a plan goal; mark the goals worked on and their progress",
                "goals",
            )
        ]
    return [
        Finding(
            "GOAL-NO-EVIDENCE",
            Severity.WARNING,
            section,
            f"goal {index + 1} is marked {goal.progress.value.replace('_', ' ')} without "
            "evidence: add what shows it (a score, a count, an observed change)",
            f"goals[{index}].evidence",
        )
        for index, goal in enumerate(details.goals)
        if goal.progress is not GoalProgress.NOT_ADDRESSED and not goal.evidence.strip()
    ]


def _names_an_intervention_done(text: str) -> bool:
    """True when the note, outside its header and plan, names a technique from the lexicon."""
    # The plan's future techniques ("a thought record next session") were not done today.
    prose = text
    if has_headings(text):
        prose = "\n".join(
            section.body
            for section in split_sections(text)
            if section.name not in (HEADER_SECTION, "Plan")
        )
    return bool(find_named_interventions(prose))


def _check_service_documented(details: SessionDetails, text: str) -> list[Finding]:
    # A held session is billed as psychotherapy; with nothing done and nothing about the
    # client written, the note shows no service at all, and a reviewer denies the claim.
    described = (details.presenting_concerns, details.observations, details.response)
    if details.interventions or any(part.strip() for part in described):
        return []
    if _names_an_intervention_done(text):
        return []
    return [
        Finding(
            "SERVICE-NOT-DOCUMENTED",
            Severity.ERROR,
            _section(details, "interventions"),
            "the note documents no service: no intervention, and nothing in presenting "
            "concerns, observations or response; enter what was done in session and how the "
            "client responded, or set attendance to no-show or late cancel if it was missed",
            "interventions",
        )
    ]


def _check_interventions(details: SessionDetails, text: str) -> list[Finding]:
    section = _section(details, "interventions")
    named = [named_technique(entry.technique) for entry in details.interventions]
    # Hand-written text may name techniques the form does not list.
    if not any(named) and not _names_an_intervention_done(text):
        return [
            Finding(
                "INTERVENTION-NOT-NAMED",
                Severity.WARNING,
                section,
                'no named intervention: reviewers reject "discussed feelings"; name the '
                "technique used (e.g. cognitive restructuring, chain analysis) and what it was for",
                "interventions[0].technique" if details.interventions else "interventions",
            )
        ]
    findings = []
    for index, (entry, technique) in enumerate(zip(details.interventions, named, strict=True)):
        if technique is None or entry.detail.strip():
            continue
        weak_alone = technique in NEEDS_PURPOSE
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


def _check_response(details: SessionDetails) -> list[Finding]:
    if details.response.strip():
        return []
    return [
        Finding(
            "RESPONSE-MISSING",
            Severity.WARNING,
            _section(details, "response"),
            "the client's response to the interventions is not recorded: say how the client "
            "engaged and what changed in session",
            "response",
        )
    ]


def _check_plan(details: SessionDetails, text: str) -> list[Finding]:
    plan = section_named(text, "Plan")
    body = plan.body if plan else ""
    if not plan and not has_headings(text):
        body = details.plan  # plain text without headings: judge the plan that was entered
    content = _EMPTY_MARKERS.sub(" ", _PLAN_LABELS.sub(" ", body))
    if not content.strip(" \n.-*"):
        return [
            Finding(
                "PLAN-MISSING",
                Severity.WARNING,
                "Plan",
                "no plan: state the next session and frequency, homework and any referrals",
                "plan",
            )
        ]
    weak = [match for match in find_weak_phrases(content) if match.phrase in CONTINUE_PHRASES]
    remainder = content
    for match in reversed(weak):
        remainder = remainder[: match.start] + remainder[match.end :]
    if (
        weak
        and not _PLAN_SCHEDULE.search(remainder)
        and concrete_word_count(remainder) < _CONCRETE_PLAN_WORDS
    ):
        return [
            Finding(
                "PLAN-WEAK",
                Severity.WARNING,
                "Plan",
                f'"{weak[0].phrase}" alone is weak: state the next session and frequency, '
                "the homework and what the next sessions will work on",
                "plan",
            )
        ]
    if details.next_session is None and not _PLAN_SCHEDULE.search(content):
        return [
            Finding(
                "PLAN-NO-NEXT-SESSION",
                Severity.INFO,
                "Plan",
                "the plan gives no next session or frequency: add the next session date",
                "next_session",
            )
        ]
    return []


# --- risk ------------------------------------------------------------------------


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


def _check_risk(details: SessionDetails) -> list[Finding]:
    risk = details.risk
    section = _section(details, "risk")
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


def _check_plan_age(details: SessionDetails) -> list[Finding]:
    context = details.context
    today = context.today or date.today()
    problems = []
    if context.plan_date is not None and context.plan_date < _one_year_before(today):
        problems.append(
            f"the treatment plan dated {context.plan_date.isoformat()} is over a year old"
        )
    if context.plan_review_date is not None and context.plan_review_date < today:
        problems.append(f"its review date {context.plan_review_date.isoformat()} has passed")
    if not problems:
        return []
    message = "; ".join(problems)
    if message.startswith("its"):
        message = "the treatment plan's" + message[3:]
    return [
        Finding(
            "PLAN-OUTDATED",
            Severity.WARNING,
            "",
            f"{message}: review the plan with the client and update its goals and dates",
        )
    ]


def _one_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
