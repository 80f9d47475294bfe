"""What a check or the grounding pass found: the shape every reviewer speaks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"  # blocks signing
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    rule_id: str  # stable, e.g. "RISK-NOT-ASSESSED"
    severity: Severity
    section: str  # note section it is about ("Header", "Assessment", ...), or ""
    message: str  # what a reviewer would object to, and how to fix it
    field: str = ""  # session-file field to fix, e.g. "risk.safety_plan"; "" if none
    sentence: str = ""  # the sentence of the text it is about, when there is one

    def as_line(self) -> str:
        """`<severity> <RULE-ID>: <message>`, as the command line prints it."""
        return f"{self.severity.value} {self.rule_id}: {self.message}"


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def by_severity(findings: list[Finding] | tuple[Finding, ...]) -> list[Finding]:
    """Errors first, then warnings, then information; each group in its given order."""
    return sorted(findings, key=lambda finding: SEVERITY_ORDER[finding.severity])


def has_errors(findings: list[Finding] | tuple[Finding, ...]) -> bool:
    return any(finding.severity is Severity.ERROR for finding in findings)


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def excerpt(text: str, limit: int = 60) -> str:
    """Note text fit to quote inside a message: one line, no control characters, short."""
    cleaned = " ".join(_UNPRINTABLE.sub(" ", text).split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1].rstrip() + "…"
