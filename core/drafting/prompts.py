"""What the model is told: the system prompt, the de-identified facts, the options.

The prompt carries the clinician's entries and nothing that identifies the
client: no name, code or date of birth, and no risk data, because the risk
statement, the header, the measure scores and the CPT code are clinote's own
deterministic text.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.drafting.deidentify import scrub_identifiers
from core.notes.formats import SECTION_GUIDANCE, format_label, sections_for
from core.notes.measures import severity_band
from core.notes.model import GoalProgress, NoteFormat, Service, SessionDetails

DRAFT_SEED = 42  # the same entries give the same draft
DRAFT_TEMPERATURE = 0.2  # low: clinical prose, not invention
# num_predict is sized from the entries: the note restates them as prose, so
# it asks for half as much again as the facts, plus a heading and a line per
# section; never under the floor (a sparse session still gets its sections)
# nor over the ceiling (a 300-word note is about 400 tokens).
OUTPUT_TOKEN_FLOOR = 512
OUTPUT_TOKEN_CEILING = 2048
OUTPUT_TOKENS_PER_SECTION = 48
MIN_CONTEXT = 4096
CONTEXT_STEP = 1024
# English clinical prose runs about four characters a token; three
# over-estimates on purpose, so the window is never too small.
CHARACTERS_PER_TOKEN = 3
MESSAGE_OVERHEAD_TOKENS = 16  # chat template tokens per message

SYSTEM_PROMPT = """\
You write the prose of a psychotherapy progress note for a licensed clinician, \
using only the clinician's own entries.

Rules:
- Use only the facts given. Do not add symptoms, events, quotes, mental-status \
findings, diagnoses, medications, numbers or dates that are not in the facts.
- Write clinical prose: paragraphs of full sentences. Do not start lines with \
field labels such as "Presenting concerns:" or "Response:". You may join and \
smooth the clinician's entries into sentences; keep their meaning and details.
- Put each entry in the section the format asks for it, as described under \
each heading. The assessment paragraph interprets only from the entries given \
(impression, impairments, progress, necessity): never add a clinical claim, \
advice or recommendation of your own.
- Quote the client only where the facts quote the client, word for word.
- Do not write about suicidal ideation, homicidal ideation, self-harm, risk or \
safety planning: clinote adds its own risk statement.
- Do not write measure scores: clinote adds them with their change. You may \
name the severity given. Never give screening advice.
- Call the client "the client". Never use or invent a name, age or date of birth. \
Other people present are named only by the label given (e.g. "Partner B", \
"mother"). When the client was not present, attribute what is known to the \
person who reported it ("per mother's report").
- Third person, past tense, plain professional prose. No speculation about the \
client's inner dynamics and nothing about the therapist's own feelings.
- Write each section under a heading line "## <Section>", exactly the headings \
asked for, in that order, with nothing before the first heading.
- If the facts say nothing for a section, write "Not documented this session."
"""


@dataclass(frozen=True)
class DraftPrompt:
    messages: tuple[dict[str, str], ...]
    estimated_tokens: int  # an upper estimate of the prompt's tokens
    output_tokens: int = OUTPUT_TOKEN_CEILING  # num_predict: what the note may need

    @property
    def user_text(self) -> str:
        return self.messages[-1]["content"]


def _line(label: str, value: str) -> str:
    return f"{label}: {' '.join(value.split())}" if value.strip() else ""


def _who_was_there(details: SessionDetails) -> str:
    labels = [f"{p.label} ({p.role.value.replace('_', ' ')})" for p in details.participants]
    line = f"Present: {'; '.join(labels)}." if labels else ""
    if details.session.service is Service.FAMILY_WITHOUT_CLIENT:
        line = (line + " " if line else "") + "The client was not present."
    return line


def _goal_lines(details: SessionDetails) -> list[str]:
    addressed = [g for g in details.goals if g.progress is not GoalProgress.NOT_ADDRESSED]
    deferred = [g for g in details.goals if g.progress is GoalProgress.NOT_ADDRESSED]
    lines = ["Treatment-plan goals addressed:"] if addressed else []
    for goal in addressed:
        text = f"- {goal.description}"
        if goal.objectives:
            text += f" (objectives: {'; '.join(goal.objectives)})"
        text += f": {goal.progress.value.replace('_', ' ')}"
        evidence = " ".join(goal.evidence.split())
        lines.append(text + (f". Evidence: {evidence}" if evidence else ""))
    if deferred:
        lines.append("Goals not addressed today: " + "; ".join(g.description for g in deferred))
    return lines


def _assessment_lines(details: SessionDetails) -> list[str]:
    assessment = details.assessment
    lines = [_line("Clinician's impression", assessment.impression)]
    if assessment.impairments:
        impairments = "; ".join(
            f"{i.domain.value.replace('_', ' ')}: {' '.join(i.description.split())}"
            for i in assessment.impairments
        )
        lines.append(f"Functional impairments: {impairments}.")
    lines.append(_line("Medical necessity (why this care, now)", assessment.medical_necessity))
    return lines


def _homework_lines(details: SessionDetails) -> list[str]:
    homework = details.homework
    status = homework.reviewed_status
    reviewed = _line("Homework from last session", homework.reviewed)
    if status is not None:
        reviewed = (reviewed or "Homework from last session") + (
            f" ({status.value.replace('_', ' ')})"
        )
    return [reviewed, _line("Homework assigned", homework.assigned)]


def describe_facts(details: SessionDetails) -> str:
    """The clinician's entries as plain lines, before de-identification."""
    session = details.session
    lines = [
        f"Service: {session.service.value.replace('_', ' ')} psychotherapy, "
        f"{session.setting.value.replace('_', ' ')}, {session.minutes} minutes, "
        f"attendance: {session.attendance.value.replace('_', ' ')}.",
        _who_was_there(details),
    ]
    if details.client.diagnoses:
        diagnoses = "; ".join(f"{d.label} ({d.code})" for d in details.client.diagnoses)
        lines.append(f"Diagnoses: {diagnoses}.")
    lines.append(_line("Presenting concerns", details.presenting_concerns))
    if details.medications:
        named = "; ".join(
            " ".join(part for part in (m.name, m.dose) if part)
            + (f", prescribed by {m.prescriber}" if m.prescriber else "")
            for m in details.medications
        )
        lines.append(f"Medications as reported: {named}.")
    lines.append(_line("Observations", details.observations))
    if details.interventions:
        lines.append("Interventions:")
        for intervention in details.interventions:
            named = ", ".join(p for p in (intervention.modality, intervention.technique) if p)
            detail = " ".join(intervention.detail.split())
            lines.append(f"- {named}" + (f": {detail}" if detail else ""))
    lines.append(_line("Client response", details.response))
    lines.extend(_goal_lines(details))
    lines.extend(_assessment_lines(details))
    lines.extend(_homework_lines(details))
    if details.measures:
        named = "; ".join(
            f"{m.instrument.value} {severity_band(m.instrument, m.score)}" for m in details.measures
        )
        lines.append(f"Measures given (severity): {named}.")
    lines.append(_line("Plan", details.plan))
    if details.next_session is not None:
        lines.append(f"Next session: {details.next_session.isoformat()}.")
    return "\n".join(line for line in lines if line)


def build_prompt(details: SessionDetails, note_format: NoteFormat) -> DraftPrompt:
    """The chat messages for one draft, with every client identifier removed."""
    sections = sections_for(note_format)
    guidance = SECTION_GUIDANCE[note_format]
    asked = "\n".join(f"## {name}\n({guidance[name]})" for name in sections)
    facts = scrub_identifiers(describe_facts(details), details.client).text
    # The rules (facts only, headings in order) are in the system prompt, once.
    user_text = (
        f"Write the {format_label(note_format)} progress note sections for one therapy "
        f"session.\n\nSections:\n{asked}\n\nFacts (the clinician's entries):\n{facts}\n"
    )
    messages = (
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": user_text},
    )
    return DraftPrompt(
        messages, estimate_tokens(messages), output_token_budget(facts, len(sections))
    )


def output_token_budget(facts: str, section_count: int) -> int:
    """num_predict for a note written from these facts, between the floor and the ceiling."""
    facts_tokens = -(-len(facts) // CHARACTERS_PER_TOKEN)
    wanted = facts_tokens * 3 // 2 + OUTPUT_TOKENS_PER_SECTION * section_count
    return max(OUTPUT_TOKEN_FLOOR, min(OUTPUT_TOKEN_CEILING, wanted))


def estimate_tokens(messages: tuple[dict[str, str], ...]) -> int:
    characters = sum(len(message["content"]) for message in messages)
    return -(-characters // CHARACTERS_PER_TOKEN) + MESSAGE_OVERHEAD_TOKENS * len(messages)


def context_size(
    estimated_prompt_tokens: int,
    model_context: int | None,
    output_tokens: int = OUTPUT_TOKEN_CEILING,
) -> int:
    """num_ctx: room for the prompt and the note, capped at what the model was trained on."""
    wanted = estimated_prompt_tokens + output_tokens
    size = max(MIN_CONTEXT, -(-wanted // CONTEXT_STEP) * CONTEXT_STEP)
    return min(size, model_context) if model_context else size


def draft_options(num_ctx: int, num_predict: int = OUTPUT_TOKEN_CEILING) -> dict[str, float | int]:
    """Ollama options: set num_ctx explicitly, since the default truncates silently."""
    return {
        "temperature": DRAFT_TEMPERATURE,
        "seed": DRAFT_SEED,
        "num_ctx": num_ctx,
        "num_predict": num_predict,
    }
