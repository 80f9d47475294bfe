"""Checks of the note's header and billing: who, when, how long, and the CPT code.

Part of `core.checks.review`; a reviewer rejects a note that does not identify the
client and the exact time of service, or bills a code the minutes do not
support.
"""

from __future__ import annotations

import re
from datetime import date, time

from core.checks.findings import Finding, Severity
from core.notes.billing import CPT_MINUTES, TELEHEALTH_MODIFIERS, suggest_cpt_code
from core.notes.model import Service, SessionDetails, Setting
from core.notes.note_text import HEADER_SECTION, split_sections

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


def _date_forms(day: date) -> tuple[str, ...]:
    return (
        day.isoformat(),
        f"{day.month}/{day.day}/{day.year}",
        f"{day.month:02d}/{day.day:02d}/{day.year}",
        f"{day.day} {day:%B %Y}",
        f"{day:%B} {day.day}, {day.year}",
        f"{day:%b} {day.day}, {day.year}",
        # As EHR headers print it: "4/8/25", "2025/04/08", "08-Apr-2025".
        f"{day.month}/{day.day}/{day:%y}",
        f"{day:%m/%d/%y}",
        f"{day:%Y/%m/%d}",
        f"{day:%d-%b-%Y}",
    )


def _time_forms(moment: time) -> tuple[str, ...]:
    hour12 = moment.hour % 12 or 12
    return (f"{moment:%H:%M}", f"{moment.hour}:{moment:%M}", f"{hour12}:{moment:%M}")


def check_header(details: SessionDetails, text: str, *, body_only: bool = False) -> list[Finding]:
    """Client, date, times and diagnoses; body_only leaves out what reads the text's header."""

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
    if body_only:
        return findings  # another system's header: its layout is not clinote's to check
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


def check_billing(details: SessionDetails, text: str, *, body_only: bool = False) -> list[Finding]:
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
            f"{suggest_cpt_code(session).reason}; check the start and end times, "
            "or document the contact without a psychotherapy code",
            "session.end",
        )
    header = split_sections(text)[0].body or text
    stated = None if body_only else _STATED_MINUTES.search(header)
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
