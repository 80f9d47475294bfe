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
PLAN-MISSING, PLAN-WEAK, PLAN-NO-NEXT-SESSION, CLONED-NOTE, PLAN-OUTDATED.
"""

from __future__ import annotations

import re
from datetime import date

from core.billing import CPT_MINUTES, TELEHEALTH_MODIFIERS, suggest_cpt_code
from core.findings import Finding, Severity
from core.lexicon import CONTINUE_PHRASES, NEEDS_PURPOSE, find_named_interventions, named_technique
from core.lexicon import find_weak_phrases as _find_weak_phrases
from core.measures import phq9_item9
from core.model import (
    GoalProgress,
    HomicidalIdeation,
    Instrument,
    NoteFormat,
    RiskLevel,
    SelfHarm,
    Service,
    SessionDetails,
    Setting,
    SuicidalIdeation,
)
from core.note_text import HEADER_SECTION, section_named, split_sections, split_sentences
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

# A modifier counts when written with its code: "90834-95", "90834 (modifier 95)".
_CPT_CODE = re.compile(
    r"\b(9083[2479]|9084[067]|90853)\b"
    r"(?:\s*-\s*|\s+\(?modifier\s+|\s+mod\.?\s+)?(?:(?<=[-\s])(?P<modifier>9[35])\b)?",
    re.IGNORECASE,
)
_STATED_MINUTES = re.compile(r"\((\d{1,3})\s+minutes?\)|\b(\d{1,3})\s+min(?:utes?)?\b")
_SERVICES_FOR_CODE: dict[str, tuple[Service, ...]] = {
    "90832": (Service.INDIVIDUAL,),
    "90834": (Service.INDIVIDUAL,),
    "90837": (Service.INDIVIDUAL,),
    "90847": (Service.FAMILY_WITH_CLIENT, Service.COUPLES),
    "90846": (Service.FAMILY_WITHOUT_CLIENT,),
    "90853": (Service.GROUP,),
    "90839": (Service.CRISIS,),
    "90840": (Service.CRISIS,),
}
_CRISIS_ADD_ON_MINIMUM = 75
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
    findings += _check_header(details, text)
    findings += _check_billing(details, text)
    if held:
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
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return sorted(findings, key=lambda finding: order[finding.severity])


def _section(details: SessionDetails, topic: str) -> str:
    return _SECTION_FOR[topic].get(details.format, _SECTION_DEFAULT[topic])


# --- header and billing ------------------------------------------------------


def _date_forms(day: date) -> tuple[str, ...]:
    return (
        day.isoformat(),
        f"{day.month}/{day.day}/{day.year}",
        f"{day.month:02d}/{day.day:02d}/{day.year}",
        f"{day.day} {day:%B %Y}",
        f"{day:%B} {day.day}, {day.year}",
        f"{day:%b} {day.day}, {day.year}",
    )


def _time_forms(moment) -> tuple[str, ...]:
    hour12 = moment.hour % 12 or 12
    return (f"{moment:%H:%M}", f"{moment.hour}:{moment:%M}", f"{hour12}:{moment:%M}")


def _check_header(details: SessionDetails, text: str) -> list[Finding]:
    def missing(message: str, field: str) -> Finding:
        return Finding("HEADER-MISSING", Severity.ERROR, HEADER_SECTION, message, field)

    findings = []
    client, session = details.client, details.session
    if not client.code.strip():
        findings.append(
            missing("no client identifier: enter the client code printed on notes", "client.code")
        )
    if not client.name.strip():
        findings.append(missing("no client name: enter the client's name", "client.name"))
    if session.minutes <= 0:
        findings.append(
            Finding(
                "TIME-INVALID",
                Severity.ERROR,
                HEADER_SECTION,
                f"the session ends at {session.end:%H:%M}, not after its start at "
                f"{session.start:%H:%M}: correct the start or end time",
                "session.end",
            )
        )
    if session.attendance.session_held and not client.diagnoses:
        findings.append(
            Finding(
                "DIAGNOSIS-MISSING",
                Severity.WARNING,
                HEADER_SECTION,
                "no diagnosis: payers need a diagnosis consistent with the symptoms documented; "
                "add the ICD-10 code and label",
                "client.diagnoses",
            )
        )
    if not text.strip():
        findings.append(
            Finding(
                "NOTE-EMPTY",
                Severity.ERROR,
                "",
                "the note has no text: compose or write the note before checking or signing it",
            )
        )
        return findings
    if client.code.strip() and client.code.strip() not in text:
        findings.append(
            missing(
                "the note text does not show the client code: put it in the header",
                "client.code",
            )
        )
    if not any(form in text for form in _date_forms(session.date)):
        findings.append(
            missing(
                f"the note text does not show the date of service ({session.date.isoformat()}): "
                "put it in the header",
                "session.date",
            )
        )
    for label, moment, field in (
        ("start", session.start, "session.start"),
        ("end", session.end, "session.end"),
    ):
        if not any(
            re.search(rf"(?<![\d:]){re.escape(form)}(?!\d)", text) for form in _time_forms(moment)
        ):
            findings.append(
                missing(
                    f"the note text does not show the {label} time ({moment:%H:%M}); several "
                    "payers require exact start and stop times: put them in the header",
                    field,
                )
            )
    for diagnosis in client.diagnoses:
        if diagnosis.code.strip() and diagnosis.code not in text:
            findings.append(
                Finding(
                    "DIAGNOSIS-MISSING",
                    Severity.WARNING,
                    HEADER_SECTION,
                    f"the note text does not show diagnosis {diagnosis.code}: list the "
                    "diagnoses in the header",
                    "client.diagnoses",
                )
            )
    return findings


def _check_billing(details: SessionDetails, text: str) -> list[Finding]:
    session = details.session
    minutes = session.minutes
    findings: list[Finding] = []

    def finding(rule: str, severity: Severity, message: str, field: str) -> None:
        findings.append(Finding(rule, severity, HEADER_SECTION, message, field))

    codes = list(_CPT_CODE.finditer(text))
    if not session.attendance.session_held:
        if codes:
            finding(
                "CPT-MISSED-SESSION",
                Severity.ERROR,
                f"the note shows CPT code {codes[0].group(1)} for a session that was not held: "
                "a missed session is not billable as psychotherapy; remove the code",
                "session.attendance",
            )
        return findings
    if minutes > 0 and not suggest_cpt_code(session).billable:
        finding(
            "CPT-NOT-BILLABLE",
            Severity.WARNING,
            f"{suggest_cpt_code(session).reason}: check the start and end times, "
            "or document the contact without a psychotherapy code",
            "session.end",
        )
    header = split_sections(text)[0].body or text
    stated = _STATED_MINUTES.search(header)
    if stated and minutes > 0:
        stated_minutes = int(stated.group(1) or stated.group(2))
        if stated_minutes != minutes:
            finding(
                "MINUTES-MISMATCH",
                Severity.ERROR,
                f"the note states {stated_minutes} minutes but {session.start:%H:%M}-"
                f"{session.end:%H:%M} is {minutes}: correct the times or the text",
                "session.end",
            )
    expected_modifier = TELEHEALTH_MODIFIERS.get(session.setting)
    # A code may appear more than once ("90834-95 (... 90834 is 38-52 minutes)"):
    # its modifier is the one written with it anywhere.
    modifiers: dict[str, str | None] = {}
    for match in codes:
        modifiers[match.group(1)] = modifiers.get(match.group(1)) or match.group("modifier")
    for code, modifier in modifiers.items():
        if session.service not in _SERVICES_FOR_CODE[code]:
            finding(
                "CPT-SERVICE",
                Severity.ERROR,
                f"CPT {code} is not a code for {session.service.value.replace('_', ' ')} "
                f"sessions: use the suggested code ({suggest_cpt_code(session).display()})",
                "session.service",
            )
            continue
        low, high = CPT_MINUTES.get(code, (_CRISIS_ADD_ON_MINIMUM if code == "90840" else 0, None))
        if minutes < low or (high is not None and minutes > high):
            span = f"{low}-{high}" if high is not None else f"{low} or more"
            finding(
                "CPT-MINUTES",
                Severity.ERROR,
                f"CPT {code} needs {span} minutes but the session lasted {minutes}: use "
                f"{suggest_cpt_code(session).display()} or correct the start and end times",
                "session.end",
            )
        if code != "90840":
            stated_modifier = modifier
            if expected_modifier and stated_modifier != expected_modifier:
                finding(
                    "CPT-MODIFIER",
                    Severity.WARNING,
                    f"a {session.setting.value.replace('_', ' ')} session is billed with "
                    f"modifier {expected_modifier}: add it to CPT {code}",
                    "session.setting",
                )
            elif session.setting is Setting.IN_PERSON and stated_modifier:
                finding(
                    "CPT-MODIFIER",
                    Severity.WARNING,
                    f"modifier {stated_modifier} is for telehealth but the session was in "
                    "person: remove it or correct the setting",
                    "session.setting",
                )
    return findings


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


def _check_interventions(details: SessionDetails, text: str) -> list[Finding]:
    section = _section(details, "interventions")
    named = [named_technique(entry.technique) for entry in details.interventions]
    # Hand-written text may name techniques the form does not list; the plan's
    # future techniques ("a thought record next session") do not count.
    prose = "\n".join(
        section.body
        for section in split_sections(text)
        if section.name not in (HEADER_SECTION, "Plan")
    )
    if not any(named) and not find_named_interventions(prose):
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
    if not plan and len(split_sections(text)) == 1:
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
    weak = [match for match in _find_weak_phrases(content) if match.phrase in CONTINUE_PHRASES]
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
