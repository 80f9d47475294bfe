"""Checks that the note holds what payers look for first: medical necessity and the
telehealth facts, plus the reasoning behind the service code (an info finding, kept
out of the header so the header pastes cleanly into an EHR).

Rule ids: MEDICAL-NECESSITY-MISSING, TELEHEALTH-INCOMPLETE, SERVICE-CODE-BASIS.
"""

from __future__ import annotations

from core.checks.findings import Finding, Severity
from core.notes.billing import suggest_cpt_code
from core.notes.model import SessionDetails, Setting

_ASSESSMENT_SECTION = "Assessment"


def check_completeness(details: SessionDetails) -> list[Finding]:
    """Medical necessity, telehealth facts and the service code's basis, for a held session."""
    if not details.session.attendance.session_held:
        return []
    return [
        *_check_medical_necessity(details),
        *_check_telehealth(details),
        *_service_code_basis(details),
    ]


def _check_medical_necessity(details: SessionDetails) -> list[Finding]:
    if not details.assessment.is_empty:
        return []
    return [
        Finding(
            "MEDICAL-NECESSITY-MISSING",
            Severity.WARNING,
            _ASSESSMENT_SECTION,
            "no clinical impression, functional impairment or medical necessity: reviewers "
            'look for why this service is needed now; answer "What is your clinical '
            'impression today?" and "Why is this level of care needed now?"',
            "assessment.impression",
        )
    ]


def _check_telehealth(details: SessionDetails) -> list[Finding]:
    setting = details.session.setting
    if setting is Setting.IN_PERSON:
        return []
    telehealth = details.telehealth
    missing: list[tuple[str, str]] = []
    if telehealth is None or not telehealth.client_location.strip():
        missing.append(("where the client was", "telehealth.client_location"))
    if telehealth is None or not telehealth.provider_location.strip():
        missing.append(("where you were", "telehealth.provider_location"))
    if telehealth is None or telehealth.consent is None:
        missing.append(("consent to telehealth", "telehealth.consent"))
    if setting is Setting.TELEHEALTH_AUDIO and (
        telehealth is None or not telehealth.audio_only_reason.strip()
    ):
        missing.append(("why audio only", "telehealth.audio_only_reason"))
    if not missing:
        return []
    what = ", ".join(words for words, _ in missing)
    return [
        Finding(
            "TELEHEALTH-INCOMPLETE",
            Severity.WARNING,
            "Header",
            f"telehealth note without {what}: payers and licensure rules ask for the "
            "client's location (state), the clinician's location and consent; enter them",
            missing[0][1],
        )
    ]


def _service_code_basis(details: SessionDetails) -> list[Finding]:
    if details.session.minutes <= 0:
        return []
    cpt = suggest_cpt_code(details.session)
    if not cpt.billable:
        return []  # CPT-NOT-BILLABLE already says why
    return [
        Finding(
            "SERVICE-CODE-BASIS",
            Severity.INFO,
            "Header",
            f"service code {cpt.display()}: {cpt.reason}",
            "session.end",
        )
    ]
