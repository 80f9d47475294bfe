"""The one registry of check rule ids, and where in a note each topic is written.

Every rule `core.checks.review.check_note` can raise is listed here with its
severity; docs/checks.md has a row for each (a test keeps the two in step).
Rule ids are stable: the TUI, the command line and reviewers' habits use them.
"""

from __future__ import annotations

from core.checks.findings import Severity
from core.notes.model import NoteFormat, SessionDetails

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

# rule id -> the severities it is raised with
RULES: dict[str, tuple[Severity, ...]] = {
    # size
    "NOTE-TOO-LONG": (E,),
    "FIELD-TOO-LONG": (E,),
    # header and billing (core/checks/header.py)
    "NOTE-EMPTY": (E,),
    "HEADER-MISSING": (E,),
    "TIME-INVALID": (E,),
    "DIAGNOSIS-MISSING": (W,),
    "MINUTES-MISMATCH": (E,),
    "CPT-MINUTES": (E,),
    "CPT-SERVICE": (E,),
    "CPT-NOT-BILLABLE": (W,),
    "CPT-MISSED-SESSION": (E,),
    "CPT-MODIFIER": (W,),
    # group sessions: another member named in a member's note (core/notes/group_session.py)
    "GROUP-OTHER-MEMBER": (E,),
    # clinical content (core/checks/review.py, core/checks/weak_note.py, core/checks/prose.py)
    "SERVICE-NOT-DOCUMENTED": (E,),
    "GOAL-NOT-LINKED": (W,),
    "GOAL-NO-EVIDENCE": (W,),
    "INTERVENTION-NOT-NAMED": (W,),
    "INTERVENTION-NO-PURPOSE": (W, INFO),
    "INTERVENTION-GENERIC": (W,),
    "RESPONSE-MISSING": (W,),
    "RESPONSE-BOILERPLATE": (W,),
    "PROGRESS-NO-EVIDENCE": (W,),
    "WEAK-PHRASE": (W,),
    "PLAN-MISSING": (W,),
    "PLAN-WEAK": (W,),
    "PLAN-NO-NEXT-SESSION": (INFO,),
    "CLONED-NOTE": (W,),
    "PLAN-OUTDATED": (W,),
    # completeness (core/checks/completeness.py)
    "MEDICAL-NECESSITY-MISSING": (W,),
    "TELEHEALTH-INCOMPLETE": (W,),
    "SERVICE-CODE-BASIS": (INFO,),
    # risk (core/checks/risk.py, core/checks/risk_contradictions.py)
    "RISK-NOT-ASSESSED": (W,),
    "RISK-NO-LEVEL": (E,),
    "RISK-NO-DETAILS": (W,),
    "RISK-NO-SAFETY-PLAN": (E,),
    "RISK-NO-ACTIONS": (E,),
    "PHQ9-ITEM9-UNADDRESSED": (E,),
    "RISK-CONTRADICTION": (E,),
    "NO-HARM-CONTRACT": (W,),
    # privacy (core/checks/privacy.py)
    "PROCESS-NOTE-CONTENT": (W,),
    "LONG-QUOTE": (W,),
    "PRIVACY-NAME": (W,),
    "PRIVACY-OTHERS-DETAILS": (W,),
    "PRIVACY-SPECULATION": (W,),
    # consistency (core/checks/consistency.py)
    "MINUTES-LATENESS": (W,),
    "MEASURE-MISMATCH": (W,),
    "RISK-CLIENT-ABSENT": (E,),
    "MISSED-SESSION-CONTENT": (W,),
}

# Header rules: left out for a pasted note that carries another system's header.
HEADER_RULES = frozenset({"HEADER-MISSING", "DIAGNOSIS-MISSING", "MINUTES-MISMATCH"})

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


def section_for(details: SessionDetails, topic: str) -> str:
    """The note section the composer writes a topic ("goals", "risk", ...) in."""
    return _SECTION_FOR[topic].get(details.format, _SECTION_DEFAULT[topic])
