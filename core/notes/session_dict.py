"""Session details back to the session-file shape (the inverse of core.notes.session_file)."""

from __future__ import annotations

from typing import Any

from core.notes.model import (
    ClinicalAssessment,
    MeasureResult,
    SessionDetails,
    SessionInfo,
    Telehealth,
)


def _drop_empty(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value not in ("", None, [], {})}


def _session(info: SessionInfo) -> dict[str, Any]:
    data: dict[str, Any] = {
        "date": info.date.isoformat(),
        "start": info.start.strftime("%H:%M"),
        "end": info.end.strftime("%H:%M"),
        "service": info.service.value,
        "setting": info.setting.value,
        "attendance": info.attendance.value,
    }
    if not info.attendance.session_held and info.end == info.start:
        del data["end"]  # a missed session recorded without an end time
    return data | _drop_empty(
        {
            "number": info.number,
            "previous_date": info.previous_date.isoformat() if info.previous_date else None,
            "outreach": info.outreach,
        }
    )


def _measure(measure: MeasureResult) -> dict[str, Any]:
    previous = measure.previous
    return _drop_empty(
        {
            "instrument": measure.instrument.value,
            "items": list(measure.items) if measure.items is not None else None,
            "total": measure.total,
            "previous": (
                {"date": previous.date.isoformat(), "total": previous.total} if previous else None
            ),
        }
    )


def _assessment(assessment: ClinicalAssessment) -> dict[str, Any]:
    return _drop_empty(
        {
            "impression": assessment.impression,
            "impairments": [
                {"domain": i.domain.value, "description": i.description}
                for i in assessment.impairments
            ],
            "medical_necessity": assessment.medical_necessity,
        }
    )


def _telehealth(telehealth: Telehealth | None) -> dict[str, Any] | None:
    if telehealth is None:
        return None
    data = _drop_empty(
        {
            "client_location": telehealth.client_location,
            "provider_location": telehealth.provider_location,
            "consent": telehealth.consent,
            "audio_only_reason": telehealth.audio_only_reason,
        }
    )
    return data or None


def session_to_dict(details: SessionDetails) -> dict[str, Any]:
    """The session file for these details: parse_session(session_to_dict(d)) == d, minus context."""
    client = details.client
    risk = details.risk
    data: dict[str, Any] = {
        "client": _drop_empty(
            {
                "name": client.name,
                "code": client.code,
                "dob": client.dob.isoformat() if client.dob else None,
                "diagnoses": [{"code": d.code, "label": d.label} for d in client.diagnoses],
            }
        ),
        "session": _session(details.session),
    }
    if details.clinician is not None:
        data["clinician"] = {
            "name": details.clinician.name,
            "credentials": details.clinician.credentials,
        }
    data["format"] = details.format.value
    homework = details.homework
    data.update(
        _drop_empty(
            {
                "participants": [
                    {"role": p.role.value, "label": p.label} for p in details.participants
                ],
                "telehealth": _telehealth(details.telehealth),
                "presenting_concerns": details.presenting_concerns,
                "observations": details.observations,
                "interventions": [
                    _drop_empty(
                        {"modality": i.modality, "technique": i.technique, "detail": i.detail}
                    )
                    for i in details.interventions
                ],
                "response": details.response,
                "goals": [
                    _drop_empty(
                        {
                            "id": g.id,
                            "description": g.description,
                            "objectives": list(g.objectives),
                            "progress": g.progress.value,
                            "evidence": g.evidence,
                        }
                    )
                    for g in details.goals
                ],
                "homework": _drop_empty(
                    {
                        "reviewed": homework.reviewed,
                        "reviewed_status": (
                            homework.reviewed_status.value if homework.reviewed_status else None
                        ),
                        "assigned": homework.assigned,
                    }
                ),
                "measures": [_measure(m) for m in details.measures],
                "medications": [
                    _drop_empty({"name": m.name, "dose": m.dose, "prescriber": m.prescriber})
                    for m in details.medications
                ],
                "assessment": _assessment(details.assessment),
            }
        )
    )
    data["risk"] = _drop_empty(
        {
            "suicidal_ideation": risk.suicidal_ideation.value,
            "homicidal_ideation": risk.homicidal_ideation.value,
            "self_harm": risk.self_harm.value,
            "level": risk.level.value if risk.level else None,
            "details": risk.details,
            "safety_plan": risk.safety_plan,
            "actions": risk.actions,
            "rationale": risk.rationale,
            "means_safety": risk.means_safety,
        }
    )
    data.update(
        _drop_empty(
            {
                "plan": details.plan,
                "next_session": details.next_session.isoformat() if details.next_session else None,
            }
        )
    )
    return data
