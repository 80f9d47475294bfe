"""The checks: what a payer's reviewer would object to in a progress note, and how to fix it.

`check_note(details, text)` reads both the structured session details and the
note text (composed, model-written, edited or pasted) and returns findings,
errors first. Errors block signing. Every rule is a handful of precompiled,
linear-time regular expressions over the text, so a full note checks in a
few milliseconds and a pathological one cannot hang the editor.

The rules live in one module per family: header_checks (header, billing),
weak_note_checks, plan_checks, prose_checks (weak phrases, cloning), risk_checks and
risk_contradictions, privacy_checks, consistency_checks. Their ids are
registered in core/checks/rules.py; docs/checks.md says when each fires.
"""

from __future__ import annotations

from datetime import date

from core.checks.completeness import check_completeness
from core.checks.consistency import (
    check_absent_client_risk,
    check_lateness,
    check_measure_mentions,
    check_missed_session_content,
)
from core.checks.findings import Finding, Severity, by_severity
from core.checks.header import check_billing, check_header
from core.checks.plan import check_plan
from core.checks.privacy import (
    check_long_quotes,
    check_people,
    check_process_note_content,
    check_speculation,
)
from core.checks.prose import check_cloning, check_weak_phrases, free_text_fields
from core.checks.risk import check_no_harm_contract, check_structured_risk
from core.checks.risk_contradictions import find_risk_contradictions, risk_contradictions_in
from core.checks.rules import section_for
from core.checks.weak_note import (
    check_boilerplate_response,
    check_generic_interventions,
    check_interventions,
    check_progress_claims,
    check_response,
    names_a_specific_intervention,
)
from core.notes.model import GoalProgress, SessionDetails
from core.notes.note_text import split_sentences

__all__ = ["MAX_FIELD_CHARS", "MAX_NOTE_CHARS", "check_note", "find_risk_contradictions"]

# Far above any real note (a progress note runs 1,000-5,000 characters); beyond
# this the checks refuse rather than spend seconds, and say so.
MAX_NOTE_CHARS = 200_000
MAX_FIELD_CHARS = 20_000


def check_note(details: SessionDetails, text: str, *, body_only: bool = False) -> list[Finding]:
    """Every finding for this note, errors first, then warnings, then information.

    body_only: the note carries another system's header (pasted from an EHR), so
    the rules that read clinote's header (client code, date, times, minutes,
    diagnoses in the text) are left out.
    """
    too_long = _check_length(details, text)
    if too_long:
        return too_long
    held = details.session.attendance.session_held
    sentences = split_sentences(text)
    findings: list[Finding] = []
    findings += check_header(details, text, body_only=body_only)
    findings += check_billing(details, text, body_only=body_only)
    if held:
        findings += _check_service_documented(details, text)
        findings += _check_goals(details)
        findings += check_interventions(details, text)
        findings += check_generic_interventions(details, text, sentences)
        findings += check_response(details)
        findings += check_boilerplate_response(details, text, sentences)
        findings += check_plan(details, text)
        findings += check_cloning(details, text)
    findings += check_structured_risk(details)
    findings += risk_contradictions_in(details.risk, sentences)
    findings += check_no_harm_contract(sentences, text)
    weak = check_weak_phrases(details, text, sentences)
    findings += weak
    if held:
        weak_sentences = {finding.sentence for finding in weak}
        findings += check_progress_claims(details, text, sentences, weak_sentences)
    findings += check_process_note_content(details, text, sentences)
    findings += check_long_quotes(details, text, sentences)
    findings += check_people(details, text, sentences)
    findings += check_speculation(details, text, sentences)
    findings += check_lateness(details, text, sentences)
    findings += check_measure_mentions(details, text, sentences)
    findings += check_absent_client_risk(details, sentences)
    findings += check_missed_session_content(details, text, sentences)
    findings += _check_plan_age(details)
    findings += check_completeness(details)
    return by_severity(findings)


def _check_length(details: SessionDetails, text: str) -> list[Finding]:
    findings = []
    if len(text) > MAX_NOTE_CHARS:
        findings.append(
            Finding(
                "NOTE-TOO-LONG",
                Severity.ERROR,
                "",
                f"the note is {len(text):,} characters, over the {MAX_NOTE_CHARS:,} clinote "
                "checks (a progress note runs 1,000-5,000): shorten it; it was not checked",
            )
        )
    for field, value in free_text_fields(details):
        if len(value) > MAX_FIELD_CHARS:
            findings.append(
                Finding(
                    "FIELD-TOO-LONG",
                    Severity.ERROR,
                    "",
                    f"{field} is {len(value):,} characters, over the {MAX_FIELD_CHARS:,} a "
                    "field may hold: shorten it; the note was not checked",
                    field,
                )
            )
    return findings


# --- clinical content ----------------------------------------------------------


def _check_goals(details: SessionDetails) -> list[Finding]:
    section = section_for(details, "goals")
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


def _check_service_documented(details: SessionDetails, text: str) -> list[Finding]:
    # A held session is billed as psychotherapy; with nothing done and nothing about the
    # client written, the note shows no service at all, and a reviewer denies the claim.
    described = (details.presenting_concerns, details.observations, details.response)
    if details.interventions or any(part.strip() for part in described):
        return []
    if names_a_specific_intervention(text, generic_counts=True):
        return []
    return [
        Finding(
            "SERVICE-NOT-DOCUMENTED",
            Severity.ERROR,
            section_for(details, "interventions"),
            "the note documents no service: no intervention, and nothing in presenting "
            "concerns, observations or response; enter what was done in session and how the "
            "client responded, or set attendance to no-show or late cancel if it was missed",
            "interventions",
        )
    ]


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
