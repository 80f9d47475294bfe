"""Plan rules: PLAN-MISSING, PLAN-WEAK and PLAN-NO-NEXT-SESSION.

A reviewer wants a plan that says what the next sessions will work on, the
homework and the frequency. "Continue current plan" is weak with or without a
date after it; the message gives an example built from the note's own
technique, topic and homework.
"""

from __future__ import annotations

import re

from core.checks.findings import Finding, Severity, excerpt
from core.checks.prose import concrete_word_count
from core.checks.weak_note import is_generic_technique, note_topic
from core.notes.lexicon import (
    CONTINUE_PHRASES,
    find_named_interventions,
    find_weak_phrases,
    named_technique,
)
from core.notes.model import SessionDetails
from core.notes.note_text import has_headings, section_named

# What a composer or a clinician writes for "nothing here".
_EMPTY_MARKERS = re.compile(
    r"\b(?:none|nothing|not)\s+(?:recorded|entered|documented|applicable)\b|\bn/?a\b|\btbd\b",
    re.IGNORECASE,
)
_PLAN_LABELS = re.compile(
    r"^\s*(?:[-*]\s*)?(?:plan|homework assigned|next session|referrals?)\s*:\s*",
    re.IGNORECASE | re.MULTILINE,
)
_PLAN_SCHEDULE = re.compile(
    r"\d|\b(?:weekly|biweekly|fortnightly|monthly|every\s+\w+|twice|next\s+session|"
    r"follow[-\s]?up)\b",
    re.IGNORECASE,
)
# A date is when, not what: "Continue current plan. Next session: April 15." stays weak.
_DATE_WORDS = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b"
    r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\b(?:am|pm|date|scheduled|same|time)\b",
    re.IGNORECASE,
)
# Where a plan starts in a note without headings.
_PLAN_START = re.compile(
    r"^\s*(?:[-*]\s*)?plan\s*:|\bcontinue\s+(?:with\s+)?(?:the\s+)?current\s+(?:plan|treatment)\b",
    re.IGNORECASE | re.MULTILINE,
)
_CONCRETE_PLAN_WORDS = 3


def _plan_body(details: SessionDetails, text: str) -> str:
    plan = section_named(text, "Plan")
    if plan:
        return plan.body
    if has_headings(text):
        return ""
    start = _PLAN_START.search(text)  # plain text: from where the plan starts
    return text[start.start() :] if start else details.plan


def check_plan(details: SessionDetails, text: str) -> list[Finding]:
    body = _plan_body(details, text)
    content = _EMPTY_MARKERS.sub(" ", _PLAN_LABELS.sub(" ", body))
    if not content.strip(" \n.-*"):
        return [
            Finding(
                "PLAN-MISSING",
                Severity.WARNING,
                "Plan",
                "no plan: state the next session and frequency, homework and any referrals",
                "plan",
            )
        ]
    weak = [match for match in find_weak_phrases(content) if match.phrase in CONTINUE_PHRASES]
    remainder = content
    for match in reversed(weak):
        remainder = remainder[: match.start] + remainder[match.end :]
    scheduled = bool(_PLAN_SCHEDULE.search(remainder))
    what = _DATE_WORDS.sub(" ", _PLAN_SCHEDULE.sub(" ", remainder))
    if weak and concrete_word_count(what) < _CONCRETE_PLAN_WORDS:
        return [
            Finding(
                "PLAN-WEAK",
                Severity.WARNING,
                "Plan",
                f'"{weak[0].phrase}"'
                + (" with only a date" if scheduled else " alone")
                + " is weak: a reviewer wants what the next sessions will work on, the homework "
                f'and the frequency, e.g. "{_plan_example(details, text)}"',
                "plan",
            )
        ]
    if details.next_session is None and not _PLAN_SCHEDULE.search(content):
        return [
            Finding(
                "PLAN-NO-NEXT-SESSION",
                Severity.INFO,
                "Plan",
                "the plan gives no next session or frequency: add the next session date",
                "next_session",
            )
        ]
    return []


def _plan_example(details: SessionDetails, text: str) -> str:
    techniques = [named_technique(entry.technique) for entry in details.interventions]
    specific = [name for name in techniques if name and not is_generic_technique(name)]
    if not specific:
        specific = [
            match.phrase
            for match in find_named_interventions(text)
            if not is_generic_technique(text[match.start : match.end])
        ]
    named = specific[0] if specific else "a thought record"
    topic = note_topic(details, text)
    homework = excerpt(details.homework.assigned.strip().rstrip(".")) or f"a daily log of {topic}"
    return f"Weekly sessions; next session: {named} on {topic}; homework: {homework}"
