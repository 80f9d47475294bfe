"""Typed one-line entries for lists the form asks as one question: participants,
impairments and medications. Each parses to the model or names what to correct,
and turns back into the same text, so a reopened draft shows what was entered."""

from __future__ import annotations

import re

from core.notes.model import (
    Impairment,
    ImpairmentDomain,
    Medication,
    Participant,
    ParticipantRole,
)

_ROLES = {role.value.replace("_", " "): role for role in ParticipantRole}
_DOMAINS = {domain.value.replace("_", "-"): domain for domain in ImpairmentDomain} | {
    domain.value: domain for domain in ImpairmentDomain
}
_LABELLED = re.compile(r"^(?P<label>[^()]+?)\s*(?:\((?P<role>[^()]*)\))?$")
_MEDICATION = re.compile(r"^(?P<name>[^\d(]+?)\s*(?P<dose>\d[^()]*?)?\s*(?:\((?P<by>[^()]*)\))?$")


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split(";") if item.strip()]


def parse_participants(text: str) -> tuple[Participant, ...] | str:
    """ "Partner B (partner); mother (parent)": label and role; a role left out is "other"."""
    people = []
    for item in _items(text):
        match = _LABELLED.match(item)
        if match is None:
            return "Who else was there: write each as label (role), separated by ;."
        role_text = (match.group("role") or "other").strip().lower().replace("_", " ")
        if role_text not in _ROLES:
            allowed = ", ".join(_ROLES)
            return f"Who else was there: the role in brackets is one of {allowed}."
        people.append(Participant(_ROLES[role_text], match.group("label").strip()))
    return tuple(people)


def participants_text(participants: tuple[Participant, ...]) -> str:
    return "; ".join(f"{p.label} ({p.role.value.replace('_', ' ')})" for p in participants)


def parse_impairments(text: str) -> tuple[Impairment, ...] | str:
    """ "work: missed two shifts; sleep: waking at 4 a.m." (area, then how)."""
    found = []
    for item in _items(text):
        area, _, how = item.partition(":")
        domain = _DOMAINS.get(area.strip().lower().replace(" ", "-"))
        if domain is None or not how.strip():
            allowed = ", ".join(d.value.replace("_", "-") for d in ImpairmentDomain)
            return f"Impairments: write each as area: how ({allowed}), separated by ;."
        found.append(Impairment(domain, how.strip()))
    return tuple(found)


def impairments_text(impairments: tuple[Impairment, ...]) -> str:
    return "; ".join(f"{i.domain.value.replace('_', '-')}: {i.description}" for i in impairments)


def parse_medications(text: str) -> tuple[Medication, ...]:
    """ "sertraline 50 mg daily (primary care)": name, dose from the first digit, prescriber."""
    found = []
    for item in _items(text):
        match = _MEDICATION.match(item)
        if match is None:
            found.append(Medication(item))
            continue
        found.append(
            Medication(
                match.group("name").strip(),
                (match.group("dose") or "").strip(),
                (match.group("by") or "").strip(),
            )
        )
    return tuple(found)


def medications_text(medications: tuple[Medication, ...]) -> str:
    parts = []
    for medication in medications:
        text = " ".join(part for part in (medication.name, medication.dose) if part)
        parts.append(text + (f" ({medication.prescriber})" if medication.prescriber else ""))
    return "; ".join(parts)
