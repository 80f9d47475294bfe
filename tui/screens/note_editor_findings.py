"""What the editor lists as findings: the form's own, the checks', the draft's, duplicates.

The form reports an entry it cannot read (a time, a score) better than the checks
can, so the checks' findings on a time not entered yet are left out, and the model
draft's grounding findings are listed once even when the checks found them too.
"""

from __future__ import annotations

from core.checks.findings import Finding
from core.notes.records import RULE_FORM_INPUT

# Checks on the session times that mean nothing while a time is not entered: the form
# then gives both the same placeholder, and its own finding already says what to fix.
TIME_FIELDS = {"session.start", "session.end"}
PLACEHOLDER_TIME_RULES = {"TIME-INVALID", "HEADER-MISSING"}


def without_placeholder_times(form: list[Finding], checked: list[Finding]) -> list[Finding]:
    """The checks' findings, less those on times the form already reports as not entered."""
    if not any(finding.field in TIME_FIELDS for finding in form):
        return checked
    return [
        finding
        for finding in checked
        if not (finding.rule_id in PLACEHOLDER_TIME_RULES and finding.field in TIME_FIELDS)
    ]


def live_findings(
    form: list[Finding],
    checked: list[Finding],
    duplicate: list[Finding],
    grounding: list[Finding] | None = None,
) -> list[Finding]:
    """Everything the editor lists while the note is written; `grounding`: a model draft's."""
    findings = form + without_placeholder_times(form, checked) + duplicate
    if grounding is not None:
        # The draft's findings repeat the checks it ran on the same text: keep one of each.
        kept = without_placeholder_times(form, grounding)
        findings += [finding for finding in kept if finding not in findings]
    return findings


def signing_findings(form: list[Finding], stored_blockers: list[Finding]) -> list[Finding]:
    """What blocks signing: the form's own findings name each unread entry better than
    the stored note's FORM-INPUT findings, so those are replaced by the form's."""
    others = [finding for finding in stored_blockers if finding.rule_id != RULE_FORM_INPUT]
    return form + without_placeholder_times(form, others)
