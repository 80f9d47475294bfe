"""Grounding: what a draft invents is caught, what it drops is filled, and each finding names its sentence."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.checks.findings import Severity
from core.drafting.draft import assemble_note, draft_note
from core.drafting.grounding import ground_draft
from core.notes.composer import (
    compose_header,
    compose_measures_text,
    compose_risk_statement,
    compose_sections,
)
from core.notes.model import NoteFormat
from core.notes.note_text import split_sections
from core.notes.session_file import load_session_file
from tests.support.drafting_sessions import (
    GOOD_DRAFT,
    INVENTED_DENIAL,
    INVENTED_MEDICATION,
    INVENTED_QUOTE,
    INVENTING_DRAFT,
    chunked,
    passive_ideation_session,
)
from tests.support.ollama_standin import Script

DAP = NoteFormat.DAP
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def by_rule(findings, rule_id):
    return [finding for finding in findings if finding.rule_id == rule_id]


def body_of(note: str) -> str:
    """The note without clinote's header, where the client's name belongs."""
    return note.split("\n## ", 1)[1]


def test_an_invented_quote_medication_and_denial_are_each_caught(ollama_standin):
    ollama_standin.script = Script(chunks=chunked(INVENTING_DRAFT))
    result = draft_note(passive_ideation_session())

    (quote,) = by_rule(result.findings, "DRAFT-UNSUPPORTED-QUOTE")
    assert quote.severity is Severity.WARNING and quote.sentence == INVENTED_QUOTE
    assert "I cannot do this anymore" in quote.message
    (medication,) = by_rule(result.findings, "DRAFT-UNSUPPORTED-MEDICATION")
    assert medication.sentence == INVENTED_MEDICATION and "sertraline" in medication.message
    (denial,) = by_rule(result.findings, "DRAFT-RISK-CONTRADICTION")
    assert denial.severity is Severity.ERROR
    assert denial.sentence == INVENTED_DENIAL and denial.section == "Assessment"
    assert "passive" in denial.message and INVENTED_DENIAL in denial.message

    # The contradicting sentence is not kept; clinote's risk statement is.
    assert INVENTED_DENIAL not in result.text
    assert result.removed_sentences == (INVENTED_DENIAL,)
    assert "Client reported passive suicidal ideation." in result.text
    # Unsupported but not contradicting: kept for the clinician to judge.
    assert INVENTED_QUOTE in result.text and INVENTED_MEDICATION in result.text
    # The core checks ran on the final text, which no longer contradicts the risk.
    assert by_rule(result.findings, "RISK-CONTRADICTION") == []


def test_what_the_input_holds_is_not_reported():
    text = (
        '## Data\nThe client said "I keep thinking I will freeze up" and slept about 5 hours '
        "a night. Anxiety went from 8 to 5 of 10 (8/10 to 5/10). The client reported passive thoughts of not "
        "waking up.\n\n## Assessment\nWorry logs show two hours a day, down from three.\n\n"
        "## Plan\nWeekly individual CBT; next session on 2026-03-16 (March 16).\n"
    )
    grounded = ground_draft(passive_ideation_session(), DAP, text)
    assert grounded.findings == ()
    assert "passive thoughts of not waking up" in grounded.sections["Data"]


def test_unsupported_numbers_and_dates_are_warnings_naming_the_sentence():
    invented_number = "The client reported 96 panic attacks this month."
    invented_date = "The interview is on March 12."
    text = f"## Data\n{invented_number}\n\n## Assessment\n{invented_date}\n\n## Plan\nWeekly CBT.\n"
    grounded = ground_draft(passive_ideation_session(), DAP, text)
    (number,) = by_rule(grounded.findings, "DRAFT-UNSUPPORTED-NUMBER")
    assert number.sentence == invented_number and "'96'" in number.message
    (day,) = by_rule(grounded.findings, "DRAFT-UNSUPPORTED-DATE")
    assert day.sentence == invented_date and day.section == "Assessment"
    assert "'March 12'" in day.message


def test_mental_status_findings_must_come_from_the_input():
    invented = "The client was alert and oriented x3 with fair insight and judgment."
    observed = "The client was fidgeting early in the session and settled after breathing."
    text = (
        f"## Data\n{invented} {observed}\n\n## Assessment\nProgressing.\n\n## Plan\nWeekly CBT.\n"
    )
    grounded = ground_draft(passive_ideation_session(), DAP, text)
    found = by_rule(grounded.findings, "DRAFT-UNSUPPORTED-FINDING")
    assert {f.sentence for f in found} == {invented}
    assert ["alert and oriented", "insight", "judgment"] == [
        f.message.split("(")[1].split(")")[0] for f in found
    ]
    entered = passive_ideation_session(
        observations="Alert and oriented; insight and judgment fair."
    )
    assert by_rule(ground_draft(entered, DAP, text).findings, "DRAFT-UNSUPPORTED-FINDING") == []


def test_a_missing_section_is_filled_from_the_composer_and_reported():
    details = passive_ideation_session()
    text = GOOD_DRAFT.replace(
        GOOD_DRAFT[GOOD_DRAFT.index("## Assessment") : GOOD_DRAFT.index("## Plan")], ""
    )
    grounded = ground_draft(details, DAP, text)
    assert grounded.filled_from_composer == ("Assessment",)
    assert grounded.sections["Assessment"] == compose_sections(details, DAP)["Assessment"]
    (missing,) = by_rule(grounded.findings, "DRAFT-SECTION-MISSING")
    assert missing.section == "Assessment" and missing.severity is Severity.WARNING


def test_a_sentence_that_names_the_client_is_de_identified(ollama_standin):
    named = GOOD_DRAFT.replace(
        "The client reported worry",
        "Riley Chen (RC-2208, born 04/19/1987) reported worry",
    ).replace("The client rated", "Riley rated")
    ollama_standin.script = Script(chunks=chunked(named))
    result = draft_note(passive_ideation_session())
    body = body_of(result.text)
    for identifier in ("Riley", "Chen", "RC-2208", "1987"):
        assert identifier not in body
    assert "Riley Chen (RC-2208)" in compose_header(passive_ideation_session())
    assert result.text.startswith(compose_header(passive_ideation_session()))
    found = by_rule(result.findings, "DRAFT-IDENTIFIER")
    assert [f.section for f in found] == ["Data", "Assessment"]
    assert found[0].sentence.startswith(
        "The client ([identifier removed], born [identifier removed])"
    )
    assert found[1].sentence.startswith("The client rated anxiety")


def test_headings_the_model_decorates_are_still_its_sections():
    text = (
        "Here is the progress note you asked for:\n```markdown\n**Data:**\nThe client reported "
        "worry about a job interview.\n### Assessment\nWorry is progressing.\nPlan:\n"
        "Weekly individual CBT.\n```\n## Summary\nA summary nobody asked for.\n"
    )
    grounded = ground_draft(passive_ideation_session(), DAP, text)
    assert grounded.filled_from_composer == ()
    assert grounded.sections == {
        "Data": "The client reported worry about a job interview.",
        "Assessment": "Worry is progressing.",
        "Plan": "Weekly individual CBT.",
    }
    extra = by_rule(grounded.findings, "DRAFT-EXTRA-TEXT")
    assert [f.section for f in extra] == ["Header", "Summary"]
    assert all(f.severity is Severity.INFO for f in extra)


def test_every_sentence_finding_names_a_sentence_of_the_draft(ollama_standin):
    ollama_standin.script = Script(chunks=chunked(INVENTING_DRAFT))
    result = draft_note(passive_ideation_session())
    grounding = [f for f in result.findings if f.rule_id.startswith("DRAFT-UNSUPPORTED")]
    grounding += by_rule(result.findings, "DRAFT-RISK-CONTRADICTION")
    assert len(grounding) == 3
    for finding in grounding:
        assert finding.sentence and finding.sentence in INVENTING_DRAFT
        assert finding.sentence[:40] in finding.message


def test_the_core_checks_run_on_the_final_text(ollama_standin):
    weak = GOOD_DRAFT.replace(
        "Weekly individual CBT.", "Weekly individual CBT. Discussed feelings about the interview."
    )
    ollama_standin.script = Script(chunks=chunked(weak))
    result = draft_note(passive_ideation_session())
    assert any(
        f.rule_id == "WEAK-PHRASE" and "Discussed feelings" in f.sentence for f in result.findings
    )


def test_risk_and_scores_go_where_the_composer_puts_them_in_each_format():
    details = passive_ideation_session()
    sirp_draft = (
        "## Situation\nThe client reported worry about a job interview.\n\n## Intervention\n"
        "Diaphragmatic breathing to lower arousal.\n\n## Response\nAnxiety went from 8 to 5 of 10."
        "\n\n## Plan\nWeekly individual CBT.\n"
    )
    note, findings, filled, removed = assemble_note(details, NoteFormat.SIRP, sirp_draft)
    sections = {section.name: section.body for section in split_sections(note)}
    assert compose_risk_statement(details.risk) in sections["Situation"]
    assert compose_measures_text(details) in sections["Situation"]
    assert compose_risk_statement(details.risk) not in sections["Response"]
    assert (filled, removed) == ((), ())


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.json")), ids=lambda path: path.stem)
@pytest.mark.parametrize("note_format", list(NoteFormat))
def test_the_composers_own_text_passes_grounding_untouched(example, note_format):
    details = load_session_file(example)
    sections = compose_sections(details, note_format)
    as_model_text = "\n\n".join(f"## {name}\n{body}" for name, body in sections.items())
    grounded = ground_draft(details, note_format, as_model_text)
    assert grounded.findings == ()
    assert grounded.sections == sections


def test_a_quote_that_ends_with_its_own_full_stop_is_still_checked():
    details = passive_ideation_session()
    quoted = 'The client said "I want to give up on everything." The plan was reviewed.'
    grounded = ground_draft(
        details, NoteFormat.DAP, GOOD_DRAFT.replace("## Plan", f"{quoted}\n\n## Plan")
    )
    quotes = [f for f in grounded.findings if f.rule_id == "DRAFT-UNSUPPORTED-QUOTE"]
    assert len(quotes) == 1 and "I want to give up on everything" in quotes[0].message
