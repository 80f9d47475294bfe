"""What reaches the model: de-identified facts, the format's headings, no risk and no scores."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from core.drafting.deidentify import scrub_identifiers
from core.drafting.draft import draft_note
from core.drafting.prompts import (
    MIN_CONTEXT,
    OUTPUT_TOKEN_CEILING,
    OUTPUT_TOKEN_FLOOR,
    build_prompt,
    context_size,
)
from core.notes.formats import sections_for
from core.notes.model import Client, NoteFormat
from tests.support.drafting_sessions import GOOD_DRAFT, chunked, passive_ideation_session
from tests.support.ollama_standin import Script

IDENTIFIERS = ("Riley", "Chen", "RC-2208", "1987-04-19", "04/19/1987")


def test_the_prompt_sent_over_the_wire_holds_no_identifier(ollama_standin):
    ollama_standin.script = Script(chunks=chunked(GOOD_DRAFT))
    draft_note(passive_ideation_session())
    (request,) = ollama_standin.chat_requests
    sent = "\n".join(message["content"] for message in request.body["messages"])
    for identifier in IDENTIFIERS:
        assert identifier.lower() not in sent.lower()
    # The clinician's own words survive, with the client named as "the client".
    assert "The client reported worry about a job interview" in sent
    assert "'I keep thinking I will freeze up'" in sent


def test_the_prompt_holds_no_risk_data_and_no_scores():
    details = passive_ideation_session()
    text = build_prompt(details, NoteFormat.DAP).user_text
    for clinote_writes_this in (
        details.risk.details,
        details.risk.safety_plan,
        details.risk.actions,
        "12/21",
        "passive",
    ):
        assert clinote_writes_this not in text
    assert "GAD-7 moderate" in text


@pytest.mark.parametrize("note_format", list(NoteFormat))
def test_the_prompt_asks_for_the_format_headings_in_order(note_format):
    prompt = build_prompt(passive_ideation_session(format=note_format), note_format)
    text = prompt.user_text
    positions = [text.index(f"## {name}\n") for name in sections_for(note_format)]
    assert positions == sorted(positions)
    assert "## <Section>" in prompt.messages[0]["content"]
    assert prompt.messages[0]["role"] == "system"


def test_the_context_window_fits_prompt_and_note_but_never_exceeds_the_model():
    assert context_size(100, None) == MIN_CONTEXT
    size = context_size(5000, None)
    assert size % 1024 == 0 and size >= 5000 + OUTPUT_TOKEN_CEILING
    assert context_size(5000, 131072) == size
    assert context_size(5000, 2048) == 2048


def test_name_words_stay_ordinary_words_in_lower_case():
    client = Client(name="Will Hope", code="WH-1", dob=date(1990, 1, 2))
    scrubbed = scrub_identifiers(
        "Will Hope said they will keep hope. Hope (WH-1) was born on January 2, 1990.", client
    )
    assert scrubbed.text == (
        "The client said they will keep hope. The client ([identifier removed]) was born on "
        "[identifier removed]."
    )
    assert scrubbed.found == ("name", "code", "date of birth")


def test_a_client_without_a_date_of_birth_is_still_de_identified():
    details = passive_ideation_session()
    details = replace(details, client=replace(details.client, dob=None))
    text = build_prompt(details, NoteFormat.DAP).user_text
    assert "Riley" not in text and "RC-2208" not in text


def test_hyphenated_accented_and_apostrophe_names_are_replaced_in_every_form():
    client = Client(name="Zoë O'Brien-Kaur", code="ZOK-7")
    scrubbed = scrub_identifiers(
        "Zoë O'Brien-Kaur arrived. O'Brien-Kaur's sister came; Zoë and Kaur talked. zoë o'brien-kaur.",
        client,
    )
    assert scrubbed.text == (
        "The client arrived. The client's sister came; the client and the client talked. The client."
    )


# --- how many tokens the note may take ------------------------------------------------


def _requested(standin, details):
    standin.script = Script(chunks=chunked(GOOD_DRAFT))
    standin.requests.clear()
    result = draft_note(details)
    (request,) = standin.chat_requests
    return request.body["options"]["num_predict"], result


def test_num_predict_follows_the_entries(ollama_standin):
    details = passive_ideation_session()
    longer = replace(
        details,
        observations=details.observations
        + " Maintained eye contact; described the week in order, step by step." * 8,
        response=details.response + " Practised the breathing twice more and rated it." * 8,
    )
    sparse = replace(
        details, presenting_concerns="Worry.", observations="", interventions=(), goals=()
    )
    usual, result = _requested(ollama_standin, details)
    bigger, _ = _requested(ollama_standin, longer)
    smallest, _ = _requested(ollama_standin, sparse)
    assert result.num_predict == usual
    assert OUTPUT_TOKEN_FLOOR < usual < bigger <= OUTPUT_TOKEN_CEILING
    assert smallest == OUTPUT_TOKEN_FLOOR  # a sparse session still gets room for its sections
    huge = replace(details, observations="Sat still and spoke slowly. " * 2000)
    assert _requested(ollama_standin, huge)[0] == OUTPUT_TOKEN_CEILING


def test_the_prompt_states_each_rule_once():
    prompt = build_prompt(passive_ideation_session(), NoteFormat.DAP)
    sent = "\n".join(message["content"] for message in prompt.messages).lower()
    assert sent.count("only the facts") + sent.count("facts only") == 1
    assert sent.count("clinote adds") == 2  # the risk statement and the scores, once each
    assert sent.count("in that order") + sent.count("in this order") == 1
