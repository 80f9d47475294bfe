"""The risk block of a composed note: one line each for what was reported (or denied,
or not assessed), the clinician's level and rationale, the safety plan, means safety
and actions. A risk item is denied only when it was recorded as denied."""

from __future__ import annotations

from core.notes.compose_text import NOT_RECORDED, capitalized, join_words, labeled, sentence
from core.notes.model import HomicidalIdeation, Risk, RiskLevel, SelfHarm, SuicidalIdeation

RISK_NOT_ASSESSED = "Risk not assessed this session."

SUICIDAL_IDEATION_REPORTED: dict[SuicidalIdeation, str] = {
    SuicidalIdeation.PASSIVE: "passive suicidal ideation",
    SuicidalIdeation.ACTIVE_NO_PLAN: "active suicidal ideation without a plan",
    SuicidalIdeation.ACTIVE_WITH_PLAN: "active suicidal ideation with a plan",
}

ELEVATED_LEVELS = (RiskLevel.MODERATE, RiskLevel.HIGH, RiskLevel.IMMINENT)


def is_elevated_risk(risk: Risk) -> bool:
    """Any ideation, homicidal ideation, recent self-harm, or a level of moderate or above."""
    return (
        risk.suicidal_ideation in SUICIDAL_IDEATION_REPORTED
        or risk.homicidal_ideation is HomicidalIdeation.PRESENT
        or risk.self_harm is SelfHarm.RECENT
        or risk.level in ELEVATED_LEVELS
    )


def _sorted_items(risk: Risk) -> tuple[list[str], list[str], list[str]]:
    """(reported, denied, not assessed) item names."""
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
    return reported, denied, not_assessed


def _nothing_recorded(risk: Risk) -> bool:
    texts = (risk.details, risk.safety_plan, risk.actions, risk.rationale, risk.means_safety)
    _, _, not_assessed = _sorted_items(risk)
    return len(not_assessed) == 3 and risk.level is None and not any(t.strip() for t in texts)


def compose_risk_statement(risk: Risk, *, informant: str | None = None) -> str:
    """The risk block, one line each; never a default denial.

    `informant` ("mother") when the client was not present: what was reported comes
    "per mother's report" and no denial is put in the absent client's mouth.
    """
    if _nothing_recorded(risk):
        if informant is not None:
            return "Risk not assessed this session (client not present)."
        return RISK_NOT_ASSESSED
    reported, denied, not_assessed = _sorted_items(risk)
    first: list[str] = []
    if informant is not None:
        # Reported and denied stay in separate sentences, so a denial never reads as
        # covering what was reported.
        if reported:
            first.append(f"Per {informant}'s report, the client had {join_words(reported)}.")
        if denied:
            first.append(f"Per {informant}'s report, no {join_words(denied, 'or')}.")
    else:
        if reported:
            first.append(f"Client reported {join_words(reported)}.")
        if denied:
            first.append(f"Client denies {join_words(denied)}.")
    if not_assessed:
        first.append(f"{capitalized(join_words(not_assessed))} not assessed.")
    if risk.details.strip():
        first.append(sentence(risk.details))
    lines = [" ".join(first)]

    elevated = is_elevated_risk(risk)
    if risk.level is not None or elevated or risk.rationale.strip():
        level = f"{risk.level.value}." if risk.level is not None else f"{NOT_RECORDED}."
        rationale = sentence(risk.rationale)
        lines.append(f"Risk level: {level}" + (f" {rationale}" if rationale else ""))
    for label, text in (
        ("Safety plan", risk.safety_plan),
        ("Means safety", risk.means_safety),
        ("Actions", risk.actions),
    ):
        if text.strip():
            lines.append(labeled(label, text))
        elif elevated:
            lines.append(f"{label}: {NOT_RECORDED}.")
    return "\n\n".join(lines)


def compose_risk_block(risk: Risk, *, informant: str | None = None) -> str:
    """The risk statement as the note shows it, its first line labelled "Risk:"."""
    statement = compose_risk_statement(risk, informant=informant)
    if statement.startswith("Risk not assessed"):
        return statement
    return "Risk: " + statement
