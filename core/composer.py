"""The deterministic composer: session details to a complete Markdown progress note.

Every statement comes from the input. Free text is passed through as written
(only a final full stop is added); everything else is fixed wording chosen from
the structured fields. In particular a risk denial is written only for the items
recorded as denied.
"""

from __future__ import annotations

from core.billing import MISSED_SESSION_LABELS, SERVICE_LABELS, suggest_cpt_code
from core.formats import sections_for
from core.measures import describe_measure
from core.model import (
    Attendance,
    GoalProgress,
    HomicidalIdeation,
    NoteFormat,
    Risk,
    RiskLevel,
    SelfHarm,
    SessionDetails,
    Setting,
    Signature,
    SuicidalIdeation,
)
from core.records import signature_line

NOT_RECORDED = "none recorded"
RISK_NOT_ASSESSED = "Risk not assessed this session."

SETTING_LABELS: dict[Setting, str] = {
    Setting.IN_PERSON: "In person",
    Setting.TELEHEALTH_VIDEO: "Telehealth (video)",
    Setting.TELEHEALTH_AUDIO: "Telehealth (audio only)",
}

ATTENDANCE_LABELS: dict[Attendance, str] = {
    Attendance.ATTENDED: "Attended",
    Attendance.LATE_ARRIVAL: "Late arrival",
    Attendance.NO_SHOW: "No-show",
    Attendance.LATE_CANCEL: "Late cancellation",
}

PROGRESS_LABELS: dict[GoalProgress, str] = {
    GoalProgress.MET: "met",
    GoalProgress.PROGRESSING: "progressing",
    GoalProgress.MAINTAINING: "maintaining",
    GoalProgress.REGRESSING: "regressing",
    GoalProgress.NOT_ADDRESSED: "not addressed",
}

SUICIDAL_IDEATION_REPORTED: dict[SuicidalIdeation, str] = {
    SuicidalIdeation.PASSIVE: "passive suicidal ideation",
    SuicidalIdeation.ACTIVE_NO_PLAN: "active suicidal ideation without a plan",
    SuicidalIdeation.ACTIVE_WITH_PLAN: "active suicidal ideation with a plan",
}

ELEVATED_LEVELS = (RiskLevel.MODERATE, RiskLevel.HIGH, RiskLevel.IMMINENT)


# --- small text helpers -------------------------------------------------------------


def _sentence(text: str) -> str:
    """The clinician's text, trimmed, ending in punctuation."""
    text = " ".join(text.split())
    if text and text[-1] not in ".!?":
        text += "."
    return text


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join_words(words: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _labeled(label: str, text: str) -> str:
    return f"{label}: {_sentence(text)}" if text.strip() else ""


def _paragraphs(*blocks: str) -> str:
    return "\n\n".join(block for block in blocks if block)


# --- risk -----------------------------------------------------------------------------


def is_elevated_risk(risk: Risk) -> bool:
    """Any ideation, homicidal ideation, recent self-harm, or a level of moderate or above."""
    return (
        risk.suicidal_ideation in SUICIDAL_IDEATION_REPORTED
        or risk.homicidal_ideation is HomicidalIdeation.PRESENT
        or risk.self_harm is SelfHarm.RECENT
        or risk.level in ELEVATED_LEVELS
    )


def compose_risk_statement(risk: Risk) -> str:
    """The risk statement, separating reported, denied and not assessed; never a default denial."""
    reported: list[str] = []
    denied: list[str] = []
    not_assessed: list[str] = []

    if risk.suicidal_ideation in SUICIDAL_IDEATION_REPORTED:
        reported.append(SUICIDAL_IDEATION_REPORTED[risk.suicidal_ideation])
    elif risk.suicidal_ideation is SuicidalIdeation.DENIED:
        denied.append("suicidal ideation")
    else:
        not_assessed.append("suicidal ideation")

    if risk.homicidal_ideation is HomicidalIdeation.PRESENT:
        reported.append("homicidal ideation")
    elif risk.homicidal_ideation is HomicidalIdeation.DENIED:
        denied.append("homicidal ideation")
    else:
        not_assessed.append("homicidal ideation")

    if risk.self_harm is SelfHarm.RECENT:
        reported.append("recent self-harm")
    elif risk.self_harm is SelfHarm.DENIED:
        denied.append("recent self-harm")
    else:
        not_assessed.append("self-harm")

    anything_else = risk.level or risk.details.strip() or risk.safety_plan.strip()
    if len(not_assessed) == 3 and not anything_else and not risk.actions.strip():
        return RISK_NOT_ASSESSED

    elevated = is_elevated_risk(risk)
    sentences: list[str] = []
    if reported:
        sentences.append(f"Client reported {_join_words(reported)}.")
    if denied:
        sentences.append(f"Client denies {_join_words(denied)}.")
    if not_assessed:
        sentences.append(f"{_capitalized(_join_words(not_assessed))} not assessed this session.")
    if risk.details.strip():
        sentences.append(_labeled("Details", risk.details))
    if risk.level is not None:
        sentences.append(f"Clinician-assessed risk level: {risk.level.value}.")
    elif elevated:
        sentences.append(f"Clinician-assessed risk level: {NOT_RECORDED}.")
    if elevated or risk.safety_plan.strip():
        sentences.append(_labeled("Safety plan", risk.safety_plan or NOT_RECORDED))
    if elevated or risk.actions.strip():
        sentences.append(_labeled("Actions taken", risk.actions or NOT_RECORDED))
    return " ".join(sentences)


# --- header, measures and the blocks sections are built from ----------------------------


def compose_header(details: SessionDetails) -> str:
    """Title and header lines: client, date, times, service, setting, diagnoses, CPT code."""
    client = details.client
    info = details.session
    cpt = suggest_cpt_code(info)
    diagnoses = "; ".join(f"{d.code} {d.label}" for d in client.diagnoses) or NOT_RECORDED
    times = f"{info.start.strftime('%H:%M')}-{info.end.strftime('%H:%M')}"
    minutes = f"{info.minutes} minute" + ("" if info.minutes == 1 else "s")
    if info.minutes <= 0:
        # A form not yet filled in: say so rather than print a time nobody entered.
        time_line = "- Time: start and end not entered"
        cpt_line = "- Suggested CPT code: none until start and end times are entered"
    else:
        time_line = (
            f"- Time: {times} ({minutes})"
            if info.attendance.session_held
            else f"- Scheduled time: {times}"
        )
        cpt_line = f"- Suggested CPT code: {cpt.display()}; {cpt.reason}"
    lines = [
        "# Progress note",
        "",
        f"- Client: {client.name} ({client.code})",
        f"- Date of service: {info.date.isoformat()}",
        time_line,
        f"- Service: {_capitalized(SERVICE_LABELS[info.service])}",
        f"- Setting: {SETTING_LABELS[info.setting]}",
        f"- Attendance: {ATTENDANCE_LABELS[info.attendance]}",
        f"- Diagnoses: {diagnoses}",
        cpt_line,
    ]
    if details.clinician is not None:
        lines.append(f"- Clinician: {details.clinician.name}, {details.clinician.credentials}")
    return "\n".join(lines)


def compose_measures_text(details: SessionDetails) -> str:
    """One line per measure (total, band, item 9, change from the last score); "" if none."""
    return "\n".join(
        "- " + describe_measure(measure, details.context.previous_scores, details.session.date)
        for measure in details.measures
    )


def _measures_block(details: SessionDetails) -> str:
    text = compose_measures_text(details)
    return f"Measures:\n{text}" if text else ""


def _interventions_block(details: SessionDetails, *, labeled: bool = True) -> str:
    lines = []
    for intervention in details.interventions:
        name = _capitalized(intervention.technique.strip())
        if intervention.modality.strip():
            name += f" ({intervention.modality.strip()})"
        detail = _sentence(intervention.detail)
        lines.append(f"- {name}: {detail}" if detail else f"- {name}.")
    if not lines:
        return f"Interventions: {NOT_RECORDED}." if labeled else f"{_capitalized(NOT_RECORDED)}."
    body = "\n".join(lines)
    return f"Interventions:\n{body}" if labeled else body


def _goals_block(details: SessionDetails, *, labeled: bool = True) -> str:
    addressed = [g for g in details.goals if g.progress is not GoalProgress.NOT_ADDRESSED]
    skipped = [g for g in details.goals if g.progress is GoalProgress.NOT_ADDRESSED]
    if not details.goals:
        if labeled:
            return f"Progress toward treatment-plan goals: {NOT_RECORDED}."
        return f"Treatment-plan goals addressed: {NOT_RECORDED}."
    lines = []
    for goal in addressed:
        evidence = _sentence(goal.evidence) or f"{NOT_RECORDED}."
        lines.append(
            f"- {_sentence(goal.description)} Progress: {PROGRESS_LABELS[goal.progress]}."
            f" Evidence: {evidence}"
        )
    if skipped:
        names = "; ".join(" ".join(g.description.split()).rstrip(".") for g in skipped)
        lines.append(f"- Not addressed this session: {names}.")
    body = "\n".join(lines)
    return f"Progress toward treatment-plan goals:\n{body}" if labeled else body


def _risk_block(details: SessionDetails) -> str:
    return f"Risk: {compose_risk_statement(details.risk)}"


def _plan_block(details: SessionDetails, *, with_homework: bool = True) -> str:
    next_session = details.next_session.isoformat() if details.next_session else ""
    return _paragraphs(
        _sentence(details.plan) or f"Plan: {NOT_RECORDED}.",
        _labeled("Homework assigned", details.homework.assigned) if with_homework else "",
        f"Next session: {next_session}." if next_session else "",
    )


def _presenting(details: SessionDetails) -> str:
    return _labeled("Presenting concerns", details.presenting_concerns)


def _observations(details: SessionDetails) -> str:
    return _labeled("Observations", details.observations)


def _homework_reviewed(details: SessionDetails) -> str:
    return _labeled("Homework reviewed", details.homework.reviewed)


def _response(details: SessionDetails, *, labeled: bool = True) -> str:
    if not labeled:
        return _sentence(details.response)
    return _labeled("Response to interventions", details.response)


def _diagnoses_under_treatment(details: SessionDetails) -> str:
    diagnoses = "; ".join(f"{d.code} {d.label}" for d in details.client.diagnoses)
    return f"Diagnoses under treatment: {diagnoses}." if diagnoses else ""


# --- sections -----------------------------------------------------------------------------


def _held_session_sections(details: SessionDetails, note_format: NoteFormat) -> list[str]:
    d = details
    plan = _plan_block(d)
    match note_format:
        case NoteFormat.DAP:
            return [
                _paragraphs(
                    _presenting(d),
                    _observations(d),
                    _interventions_block(d),
                    _homework_reviewed(d),
                    _measures_block(d),
                ),
                _paragraphs(_response(d), _goals_block(d), _risk_block(d)),
                plan,
            ]
        case NoteFormat.BIRP:
            return [
                _paragraphs(
                    _presenting(d), _observations(d), _homework_reviewed(d), _measures_block(d)
                ),
                _interventions_block(d, labeled=False),
                _paragraphs(_response(d, labeled=False), _goals_block(d), _risk_block(d)),
                plan,
            ]
        case NoteFormat.SOAP:
            return [
                _paragraphs(_presenting(d), _homework_reviewed(d)),
                _paragraphs(_observations(d), _interventions_block(d), _measures_block(d)),
                _paragraphs(_response(d), _goals_block(d), _risk_block(d)),
                plan,
            ]
        case NoteFormat.GIRP:
            return [
                _goals_block(d, labeled=False),
                _paragraphs(_interventions_block(d, labeled=False), _homework_reviewed(d)),
                _paragraphs(
                    _presenting(d),
                    _observations(d),
                    _measures_block(d),
                    _response(d),
                    _risk_block(d),
                ),
                plan,
            ]
        case NoteFormat.PIRP:
            return [
                _paragraphs(
                    _presenting(d),
                    _diagnoses_under_treatment(d),
                    _observations(d),
                    _measures_block(d),
                ),
                _paragraphs(_interventions_block(d, labeled=False), _homework_reviewed(d)),
                _paragraphs(_response(d, labeled=False), _goals_block(d), _risk_block(d)),
                plan,
            ]
        case NoteFormat.SIRP:
            return [
                _paragraphs(_presenting(d), _observations(d), _measures_block(d), _risk_block(d)),
                _paragraphs(_interventions_block(d, labeled=False), _homework_reviewed(d)),
                _paragraphs(_response(d, labeled=False), _goals_block(d)),
                plan,
            ]
    raise AssertionError(f"unhandled format {note_format}")


def _missed_session_sections(details: SessionDetails, note_format: NoteFormat) -> list[str]:
    info = details.session
    start = info.start.strftime("%H:%M")
    if info.attendance is Attendance.NO_SHOW:
        what = f"Client did not attend the session scheduled for {start} and did not cancel"
    else:
        what = f"Client cancelled the session scheduled for {start} with late notice"
    missed = MISSED_SESSION_LABELS[info.attendance]
    opening = f"{what} ({missed}). No psychotherapy service was provided."
    risk = details.risk
    # A missed session says nothing about risk unless the clinician assessed it (e.g. by phone).
    risk_text = "" if compose_risk_statement(risk) == RISK_NOT_ASSESSED else _risk_block(details)
    notes = [
        _labeled("Clinician notes", text)
        for text in (details.presenting_concerns, details.observations)
    ]
    first = _paragraphs(opening, *notes, risk_text)
    sections = sections_for(note_format)
    middle = ["Not applicable: no session held."] * (len(sections) - 2)
    return [first, *middle, _plan_block(details, with_homework=False)]


def compose_sections(
    details: SessionDetails, note_format: NoteFormat | None = None
) -> dict[str, str]:
    """Section name -> body, in the format's order."""
    note_format = note_format or details.format
    if details.session.attendance.session_held:
        bodies = _held_session_sections(details, note_format)
    else:
        bodies = _missed_session_sections(details, note_format)
    return dict(zip(sections_for(note_format), bodies, strict=True))


def compose_signature_line(signature: Signature) -> str:
    """The line a signed note ends with, worded exactly as signing writes it."""
    return signature_line(signature.clinician_name, signature.credentials, signature.signed_at)


def compose_note(
    details: SessionDetails,
    format: NoteFormat | None = None,  # noqa: A002 - the documented keyword
    signature: Signature | None = None,
) -> str:
    """The complete Markdown note: header, the format's sections in order, signature line."""
    parts = [compose_header(details)]
    for name, body in compose_sections(details, format).items():
        parts.append(f"## {name}\n\n{body}")
    if signature is not None:
        parts.append("---\n\n" + compose_signature_line(signature))
    return "\n\n".join(parts) + "\n"
