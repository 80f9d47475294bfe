"""The note's header, laid out for pasting into an EHR: one fact a line.

The reasoning behind the service code is not here (it is an info finding): the
header says only what the EHR field expects, e.g. "Service code: 90834-95".
"""

from __future__ import annotations

from core.notes.billing import SERVICE_LABELS, suggest_cpt_code
from core.notes.compose_text import NOT_RECORDED, capitalized, clause, time_since
from core.notes.model import Attendance, ParticipantRole, Service, SessionDetails, Setting

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

ROLE_WORDS: dict[ParticipantRole, str] = {
    ParticipantRole.CLIENT: "client",
    ParticipantRole.PARTNER: "partner",
    ParticipantRole.PARENT: "parent",
    ParticipantRole.GUARDIAN: "guardian",
    ParticipantRole.SIBLING: "sibling",
    ParticipantRole.FAMILY_MEMBER: "family member",
    ParticipantRole.OTHER: "other",
}


def _time_line(details: SessionDetails) -> str:
    info = details.session
    start = info.start.strftime("%H:%M")
    if not info.attendance.session_held:
        if info.end == info.start:
            return f"- Scheduled time: {start}"
        return f"- Scheduled time: {start}-{info.end.strftime('%H:%M')}"
    if info.minutes <= 0:
        # A form not yet filled in: say so rather than print a time nobody entered.
        return "- Time: start and end not entered"
    minutes = f"{info.minutes} minute" + ("" if info.minutes == 1 else "s")
    return f"- Time: {start}-{info.end.strftime('%H:%M')} ({minutes})"


def _service_code_line(details: SessionDetails) -> str:
    info = details.session
    if info.attendance.session_held and info.minutes <= 0:
        return "- Service code: none until start and end times are entered"
    cpt = suggest_cpt_code(info)
    return f"- Service code: {cpt.display() if cpt.billable else 'none (not billable)'}"


def _session_line(details: SessionDetails) -> str:
    info = details.session
    number = info.number or details.context.session_number
    previous = info.previous_date or details.context.previous_session_date
    parts = []
    if number is not None and info.attendance.session_held:
        parts.append(f"Session {number}")
    if previous is not None and previous < info.date:
        seen = f"last seen {previous.isoformat()}, {time_since(previous, info.date)}"
        parts.append(seen if parts else capitalized(seen))
    return "- " + "; ".join(parts) if parts else ""


def _participants_line(details: SessionDetails) -> str:
    people = [
        f"{clause(p.label)} ({ROLE_WORDS[p.role]})" for p in details.participants if p.label.strip()
    ]
    if details.session.service is Service.FAMILY_WITHOUT_CLIENT:
        people.append("client not present")
    return f"- Participants: {'; '.join(people)}" if people else ""


def _telehealth_line(details: SessionDetails) -> str:
    setting = details.session.setting
    if setting is Setting.IN_PERSON:
        return ""
    tele = details.telehealth
    parts = ["video" if setting is Setting.TELEHEALTH_VIDEO else "audio only"]
    if setting is Setting.TELEHEALTH_AUDIO:
        reason = clause(tele.audio_only_reason) if tele else ""
        parts[0] += f" ({reason})" if reason else " (reason not recorded)"
    client_at = clause(tele.client_location) if tele else ""
    provider_at = clause(tele.provider_location) if tele else ""
    parts.append(f"client at {client_at}" if client_at else "client location not recorded")
    parts.append(
        f"clinician at {provider_at}" if provider_at else "clinician location not recorded"
    )
    consent = tele.consent if tele else None
    if consent is None:
        parts.append("consent to telehealth not recorded")
    else:
        parts.append(f"consent to telehealth {'obtained' if consent else 'not obtained'}")
    return "- Telehealth: " + "; ".join(parts)


def compose_header(details: SessionDetails) -> str:
    """Title and header lines: client, date, times, service, session, participants, code."""
    client = details.client
    info = details.session
    diagnoses = "; ".join(f"{d.code} {d.label}" for d in client.diagnoses) or NOT_RECORDED
    review = details.context.plan_review_date
    lines = [
        "# Progress note",
        "",
        f"- Client: {client.name} ({client.code})",
        f"- Date of service: {info.date.isoformat()}",
        _time_line(details),
        f"- Service: {capitalized(SERVICE_LABELS[info.service])}",
        f"- Setting: {SETTING_LABELS[info.setting]}",
        _telehealth_line(details),
        f"- Attendance: {ATTENDANCE_LABELS[info.attendance]}",
        _session_line(details),
        _participants_line(details),
        f"- Diagnoses: {diagnoses}",
        _service_code_line(details),
        f"- Treatment plan review due: {review.isoformat()}" if review else "",
    ]
    if details.clinician is not None:
        lines.append(f"- Clinician: {details.clinician.name}, {details.clinician.credentials}")
    return "\n".join(line for index, line in enumerate(lines) if line or index == 1)
