"""The blocks a composed note's sections are made of, each in clinical prose.

Free text is used as the clinician wrote it: joined, punctuated and ordered,
never rephrased. The composer's own words are connectives and computed facts
(scores, bands, changes, dates). Only the risk block, `Homework:` and
`Next session:` lines carry a label.
"""

from __future__ import annotations

from core.notes.compose_risk import compose_risk_block
from core.notes.compose_text import clause, join_words, lower_first, paragraphs, sentence
from core.notes.measures import describe_measure
from core.notes.model import (
    GoalProgress,
    HomeworkStatus,
    ImpairmentDomain,
    ParticipantRole,
    Service,
    SessionDetails,
)

PROGRESS_WORDS: dict[GoalProgress, str] = {
    GoalProgress.MET: "Met",
    GoalProgress.PROGRESSING: "Progressing",
    GoalProgress.MAINTAINING: "Maintaining",
    GoalProgress.REGRESSING: "Regressing",
}

HOMEWORK_STATUS_WORDS: dict[HomeworkStatus, str] = {
    HomeworkStatus.COMPLETED: "completed",
    HomeworkStatus.PARTIAL: "partly completed",
    HomeworkStatus.NOT_COMPLETED: "not completed",
    HomeworkStatus.NOT_REVIEWED: "not reviewed",
}

IMPAIRMENT_WORDS: dict[ImpairmentDomain, str] = {
    ImpairmentDomain.WORK: "work",
    ImpairmentDomain.SCHOOL: "school",
    ImpairmentDomain.SOCIAL: "social functioning",
    ImpairmentDomain.FAMILY: "family functioning",
    ImpairmentDomain.SELF_CARE: "self-care",
    ImpairmentDomain.SLEEP: "sleep",
    ImpairmentDomain.HEALTH: "health",
    ImpairmentDomain.OTHER: "",
}

# A detail that starts like this reads on from the technique without a comma:
# "chain analysis of Saturday's urge", "psychoeducation on flooding".
_FOLLOWS_DIRECTLY = ("of ", "on ", "for ", "to ", "with ", "about ", "in ", "around ", "as ")


def informant(details: SessionDetails) -> str | None:
    """Who reported, when the client was not present ("mother"); None when the client was."""
    if details.session.service is not Service.FAMILY_WITHOUT_CLIENT:
        return None
    labels = [
        clause(p.label)
        for p in details.participants
        if p.role is not ParticipantRole.CLIENT and p.label.strip()
    ]
    return join_words(labels) if labels else "the family"


def report(details: SessionDetails) -> str:
    """What was reported today, as written; "per mother's report" when the client was absent."""
    text = sentence(details.presenting_concerns)
    who = informant(details)
    if text and who is not None and who.lower() not in text[:60].lower():
        text = f"Per {who}'s report, {lower_first(text)}"
    return text


def medications(details: SessionDetails) -> str:
    items = []
    for medication in details.medications:
        item = " ".join(part for part in (clause(medication.name), clause(medication.dose)) if part)
        if medication.prescriber.strip():
            item += f", prescribed by {clause(medication.prescriber)}"
        items.append(item)
    if not items:
        return ""
    who = informant(details)
    opening = f"Per {who}'s report, the client takes" if who else "Client reports taking"
    return f"{opening} {'; '.join(items)}."


def homework_review(details: SessionDetails) -> str:
    homework = details.homework
    reviewed = clause(homework.reviewed)
    status = homework.reviewed_status
    if status is not None:
        what = f" ({lower_first(reviewed)})" if reviewed else ""
        return f"Last session's homework{what} was {HOMEWORK_STATUS_WORDS[status]}."
    if reviewed:
        return f"Last session's homework was reviewed: {sentence(homework.reviewed)}"
    return ""


def observations(details: SessionDetails) -> str:
    return sentence(details.observations)


def response(details: SessionDetails) -> str:
    return sentence(details.response)


def interventions(details: SessionDetails) -> str:
    used = []
    for entry in details.interventions:
        technique = clause(entry.technique)
        if not technique:
            continue
        if entry.modality.strip():
            technique += f" ({clause(entry.modality)})"
        detail = clause(entry.detail)
        if detail:
            joiner = " " if detail.lower().startswith(_FOLLOWS_DIRECTLY) else ", "
            technique += joiner + detail
        used.append(technique)
    if not used:
        return ""
    listed = used[0] if len(used) == 1 else "; ".join(used[:-1]) + "; and " + used[-1]
    return f"Clinician used {listed}."


def measures(details: SessionDetails) -> str:
    """One sentence per measure: score, band, change from the previous score with its date."""
    return " ".join(
        describe_measure(measure, details.context.previous_scores, details.session.date)
        for measure in details.measures
    )


def goals(details: SessionDetails) -> str:
    """One line per goal addressed, with objectives and evidence; the rest listed once."""
    lines = []
    deferred: list[tuple[int, str]] = []
    for number, goal in enumerate(details.goals, start=1):
        description = clause(goal.description)
        if goal.progress is GoalProgress.NOT_ADDRESSED:
            deferred.append((number, description))
            continue
        line = f"Goal {number}: {description}"
        objectives = [clause(text) for text in goal.objectives if text.strip()]
        if objectives:
            noun = "objective" if len(objectives) == 1 else "objectives"
            line += f" ({noun}: {'; '.join(objectives)})"
        evidence = clause(goal.evidence)
        progress = PROGRESS_WORDS[goal.progress]
        line += f". {progress}: {evidence}." if evidence else f". {progress}."
        lines.append(line)
    if deferred:
        numbers = join_words([str(number) for number, _ in deferred])
        names = "; ".join(description for _, description in deferred)
        if len(deferred) == 1:
            lines.append(f"Goal {numbers} ({names}) was not addressed this session.")
        else:
            lines.append(f"Goals {numbers} ({names}) were not addressed this session.")
    return paragraphs(*lines)


def impression(details: SessionDetails) -> str:
    return sentence(details.assessment.impression)


def impairments(details: SessionDetails) -> str:
    items = []
    for impairment in details.assessment.impairments:
        description = clause(impairment.description)
        domain = IMPAIRMENT_WORDS[impairment.domain]
        if domain and description:
            items.append(f"{domain} ({description})")
        elif description or domain:
            items.append(description or domain)
    return f"Functional impairment in {join_words(items)}." if items else ""


def medical_necessity(details: SessionDetails) -> str:
    return sentence(details.assessment.medical_necessity)


def risk(details: SessionDetails) -> str:
    return compose_risk_block(details.risk, informant=informant(details))


def plan(details: SessionDetails, *, with_homework: bool = True) -> str:
    next_session = details.next_session.isoformat() if details.next_session else ""
    assigned = sentence(details.homework.assigned) if with_homework else ""
    return paragraphs(
        sentence(details.plan),
        f"Homework: {assigned}" if assigned else "",
        f"Next session: {next_session}." if next_session else "",
    )
