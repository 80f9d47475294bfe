"""Three stand-in models for `clinote eval`: one faithful, one that lies, one that is cut off.

Each writes its draft from the prompt it is sent, as a model would: the section
headings asked for, and the clinician's facts (already de-identified) as prose.
"""

from __future__ import annotations

from typing import Any

from tests.support.ollama_standin import Script, StandInModel

GOOD, LIAR, CUTTER = "faithful:1b", "liar:1b", "cutter:1b"
EVAL_MODELS = [StandInModel(GOOD), StandInModel(LIAR), StandInModel(CUTTER)]
INVENTED_QUOTE = 'The client said "I want to give up on everything."'
INVENTED_MEDICATION = "The client started fluoxetine 20 mg last week."
INVENTED_DENIAL = "The client denies suicidal ideation."
EVAL_DURATION_NS = 2_000_000_000


def _asked(body: dict[str, Any]) -> tuple[list[str], dict[str, str], list[str]]:
    """(sections asked for, facts by label, intervention lines) from the user message."""
    text = body["messages"][-1]["content"]
    asked_part, _, facts_part = text.partition("Facts (the clinician's entries):")
    sections = [line[3:].strip() for line in asked_part.splitlines() if line.startswith("## ")]
    facts: dict[str, str] = {}
    interventions = []
    for line in facts_part.splitlines():
        if line.startswith("- ") and ": " in line and "," in line.partition(":")[0]:
            interventions.append(line[2:].partition(": ")[2].rstrip("."))
        label, separator, value = line.partition(": ")
        if separator and not line.startswith("- "):
            facts[label] = value.strip()
    return sections, facts, interventions


def faithful_draft(body: dict[str, Any]) -> str:
    sections, facts, interventions = _asked(body)
    opening = " ".join(facts.get(k, "") for k in ("Presenting concerns", "Observations")).strip()
    used = "; ".join(interventions)
    middle = [f"The clinician {used}." if used else "", facts.get("Client response", "")]
    bodies = [opening, *[part for part in middle if part], facts.get("Plan", "")]
    if len(sections) == 3:  # DAP, SOAP: the middle parts share a section
        bodies = [opening, " ".join(part for part in middle if part), facts.get("Plan", "")]
    parts = []
    for index, name in enumerate(sections):
        text = bodies[index] if index < len(bodies) and bodies[index] else ""
        if index == len(sections) - 1:
            text = facts.get("Plan", "")
        parts.append(f"## {name}\n{text or 'Not documented this session.'}\n")
    return "\n".join(parts)


def lying_draft(body: dict[str, Any]) -> str:
    sections, _, _ = _asked(body)
    draft = faithful_draft(body)
    first, second = f"## {sections[0]}\n", f"## {sections[1]}\n"
    draft = draft.replace(first, f"{first}{INVENTED_QUOTE} {INVENTED_MEDICATION} ", 1)
    return draft.replace(second, f"{second}{INVENTED_DENIAL} ", 1)


def _chunks(text: str) -> list[str]:
    return [text[index : index + 16] for index in range(0, len(text), 16)]


def eval_reply(model: str, body: dict[str, Any]) -> Script:
    """The stand-in's answer for each of the three models."""
    if model == LIAR:
        return Script(chunks=_chunks(lying_draft(body)), eval_duration_ns=EVAL_DURATION_NS)
    draft = faithful_draft(body)
    if model == CUTTER:  # stops in the first section, at its length limit
        cut = draft[: draft.index("\n## ")][:60]
        return Script(chunks=_chunks(cut), done_reason="length", eval_duration_ns=EVAL_DURATION_NS)
    return Script(chunks=_chunks(draft), eval_duration_ns=EVAL_DURATION_NS)
