"""Suggested psychotherapy CPT code from the minutes, the service and the setting."""

from __future__ import annotations

from dataclasses import dataclass

from core.notes.model import Attendance, Service, SessionInfo, Setting

INDIVIDUAL_MINIMUM = 16
FAMILY_MINIMUM = 26
CRISIS_MINIMUM = 30
CRISIS_FIRST_CODE_MAXIMUM = 74  # +90840 for each further 30 minutes past 74
CRISIS_ADD_ON_BLOCK = 30
GROUP_MAXIMUM_PARTICIPANTS = 12

# code -> (least minutes, most minutes or None), as domain.md's table states them.
CPT_MINUTES: dict[str, tuple[int, int | None]] = {
    "90832": (16, 37),
    "90834": (38, 52),
    "90837": (53, None),
    "90847": (26, None),
    "90846": (26, None),
    "90839": (30, 74),
}

MISSED_SESSION_LABELS: dict[Attendance, str] = {
    Attendance.NO_SHOW: "no-show",
    Attendance.LATE_CANCEL: "late cancellation",
}

TELEHEALTH_MODIFIERS: dict[Setting, str] = {
    Setting.TELEHEALTH_VIDEO: "95",
    Setting.TELEHEALTH_AUDIO: "93",
}


@dataclass(frozen=True)
class ServiceNames:
    """How one service reads in each place it is shown."""

    billed: str  # the note header and the CPT reason
    choice: str  # the note form's pick list
    column: str  # the client's list of notes, where columns are narrow


# The one table of service names; every screen and the note read theirs from here.
SERVICE_NAMES: dict[Service, ServiceNames] = {
    Service.INDIVIDUAL: ServiceNames("individual psychotherapy", "individual", "Individual"),
    Service.FAMILY_WITH_CLIENT: ServiceNames(
        "family psychotherapy with the client present", "family, client present", "Family"
    ),
    Service.FAMILY_WITHOUT_CLIENT: ServiceNames(
        "family psychotherapy without the client present",
        "family, client absent",
        "Family (no client)",
    ),
    Service.COUPLES: ServiceNames("couples psychotherapy", "couples", "Couples"),
    Service.GROUP: ServiceNames("group psychotherapy", "group", "Group"),
    Service.CRISIS: ServiceNames("crisis psychotherapy", "crisis", "Crisis"),
}
SERVICE_LABELS: dict[Service, str] = {
    service: names.billed for service, names in SERVICE_NAMES.items()
}


@dataclass(frozen=True)
class CptSuggestion:
    code: str | None  # None: not billable as psychotherapy
    reason: str
    modifier: str | None = None  # "95" video, "93" audio only
    add_on_code: str | None = None
    add_on_units: int = 0

    @property
    def billable(self) -> bool:
        return self.code is not None

    def display(self) -> str:
        """E.g. "90837-95", "90839 + 90840 x2", or "not billable"."""
        if self.code is None:
            return "not billable"
        suffix = f"-{self.modifier}" if self.modifier else ""
        text = f"{self.code}{suffix}"
        if self.add_on_code and self.add_on_units:
            units = f" x{self.add_on_units}" if self.add_on_units > 1 else ""
            text += f" + {self.add_on_code}{suffix}{units}"
        return text


def _minutes_text(minutes: int) -> str:
    return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"


def suggest_cpt_code(session: SessionInfo) -> CptSuggestion:
    """The code domain.md's table gives for this session, with the reason in words."""
    minutes = session.minutes
    modifier = TELEHEALTH_MODIFIERS.get(session.setting)
    service = SERVICE_LABELS[session.service]
    if not session.attendance.session_held:
        missed = MISSED_SESSION_LABELS.get(session.attendance, session.attendance.value)
        return CptSuggestion(None, f"{missed}: no psychotherapy service to bill")

    def billed(code: str, rule: str, crisis_add_on_units: int = 0) -> CptSuggestion:
        # The reason never repeats the code: the header shows it once, with its modifier.
        reason = f"{_minutes_text(minutes)} of {service} ({rule})"
        if modifier:
            reason += f"; modifier {modifier} for {_setting_words(session.setting)}"
        add_on_code = "90840" if crisis_add_on_units else None
        return CptSuggestion(code, reason, modifier, add_on_code, crisis_add_on_units)

    def not_billed(why: str) -> CptSuggestion:
        return CptSuggestion(None, f"{_minutes_text(minutes)} of {service}: {why}")

    match session.service:
        case Service.INDIVIDUAL:
            if minutes < INDIVIDUAL_MINIMUM:
                return not_billed(
                    f"under {INDIVIDUAL_MINIMUM} minutes is not billable as psychotherapy"
                )
            if minutes <= 37:
                return billed("90832", "range 16-37 minutes")
            if minutes <= 52:
                return billed("90834", "range 38-52 minutes")
            return billed("90837", "range 53 minutes or more")
        case Service.FAMILY_WITH_CLIENT | Service.COUPLES | Service.FAMILY_WITHOUT_CLIENT:
            code = "90846" if session.service is Service.FAMILY_WITHOUT_CLIENT else "90847"
            if minutes < FAMILY_MINIMUM:
                return not_billed(f"{code} is billable from {FAMILY_MINIMUM} minutes")
            return billed(code, f"50-minute code, billable from {FAMILY_MINIMUM} minutes")
        case Service.GROUP:
            return billed(
                "90853", f"per session, for at most {GROUP_MAXIMUM_PARTICIPANTS} participants"
            )
        case Service.CRISIS:
            if minutes < CRISIS_MINIMUM:
                return not_billed(f"90839 needs at least {CRISIS_MINIMUM} minutes")
            if minutes <= CRISIS_FIRST_CODE_MAXIMUM:
                return billed("90839", "range 30-74 minutes, once per day")
            units = 1 + (minutes - CRISIS_FIRST_CODE_MAXIMUM - 1) // CRISIS_ADD_ON_BLOCK
            return billed(
                "90839",
                f"first 74 minutes, then one add-on unit per further 30 minutes: {units}",
                crisis_add_on_units=units,
            )
    raise AssertionError(f"unhandled service {session.service}")


def _setting_words(setting: Setting) -> str:
    return {
        Setting.TELEHEALTH_VIDEO: "telehealth by video",
        Setting.TELEHEALTH_AUDIO: "telehealth by audio only",
    }.get(setting, setting.value)
