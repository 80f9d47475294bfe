"""Weak-note, privacy, consistency and safety-contract rules (issue 10).

Each rule fires on the note a reviewer would question and stays quiet on the
composer's own notes. Everyone here is fictional.
"""

import copy
from dataclasses import replace
from pathlib import Path

import pytest

from core.checks.findings import Severity
from core.checks.review import MAX_FIELD_CHARS, MAX_NOTE_CHARS, check_note
from core.notes.composer import compose_note
from core.notes.session_file import load_session_file, parse_session
from tests.core.test_checks import BASE, only, rules, session

HEADER = "Riley Tanaka (RT-0451), 2025-04-08, 09:00-09:50 (50 minutes), 90834, F41.1.\n"
ISSUE_WEAK_NOTE = (
    "Client reported ongoing stress. Used CBT techniques and mindfulness. Provided validation "
    "and psychoeducation. Client was receptive and engaged. Client continues to benefit from "
    "therapy and is making progress toward treatment goals. Client denies SI/HI. Continue "
    "current plan. Next session: 2025-04-15."
)


def pasted(details, body):
    return check_note(details, HEADER + body)


def bare_session(**changes):
    """A session with only the header facts and the risk entered, as for a pasted note."""
    data = copy.deepcopy(BASE)
    for key in ("presenting_concerns", "observations", "interventions", "response", "goals"):
        data.pop(key)
    data["homework"] = {}
    data["measures"] = []
    data["plan"] = ""
    data.update(changes)
    return parse_session(data)


# --- the issue's weak note -------------------------------------------------------------


def test_the_issues_weak_note_gets_a_finding_for_each_weakness():
    found = pasted(bare_session(), ISSUE_WEAK_NOTE)
    found_rules = rules(found)
    for rule in (
        "INTERVENTION-NOT-NAMED",
        "INTERVENTION-GENERIC",
        "RESPONSE-BOILERPLATE",
        "PROGRESS-NO-EVIDENCE",
        "PLAN-WEAK",
    ):
        assert rule in found_rules, (rule, found_rules)
    plan = only(found, "PLAN-WEAK")
    assert "with only a date" in plan.message
    assert '"receptive and engaged" is all the response says' in (
        only(found, "RESPONSE-BOILERPLATE").message
    )
    generic = [f for f in found if f.rule_id == "INTERVENTION-GENERIC"]
    assert [f.sentence for f in generic] == [
        "Used CBT techniques and mindfulness.",
        "Provided validation and psychoeducation.",
    ]
    # Each message gives an example drawn from the note: its topic is "ongoing stress".
    for finding in generic + [only(found, "PLAN-WEAK"), only(found, "RESPONSE-BOILERPLATE")]:
        assert "ongoing stress" in finding.message, finding.message


def test_doing_well_and_making_progress_toward_goals_is_not_specific():
    found = pasted(bare_session(), "Client is doing well and is making progress toward goals.")
    assert "WEAK-PHRASE" in rules(found)


# --- generic interventions -----------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Used mindfulness to interrupt rumination about the job interview.",
        "Provided psychoeducation on sleep hygiene and stimulus control.",
        "Validation of her grief after the funeral before problem-solving.",
        "Used CBT techniques, including cognitive restructuring of the prediction she will fail.",
        "She said she seeks validation from friends when she feels low.",
    ],
)
def test_a_generic_intervention_with_its_target_passes(sentence):
    assert "INTERVENTION-GENERIC" not in rules(pasted(session(), sentence))


def test_mindfulness_alone_no_longer_counts_as_a_named_intervention():
    assert "INTERVENTION-NOT-NAMED" in rules(pasted(bare_session(), "Used mindfulness."))
    named = "Used cognitive restructuring on the prediction that the interview will go badly."
    assert "INTERVENTION-NOT-NAMED" not in rules(pasted(bare_session(), named))


# --- progress and response ---------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Client is making progress toward goals: GAD-7 down from 15 to 11.",
        "Client continues to benefit from therapy, attending work on four of five days.",
    ],
)
def test_a_progress_claim_with_evidence_passes(sentence):
    assert "PROGRESS-NO-EVIDENCE" not in rules(pasted(session(), sentence))


def test_a_progress_claim_without_evidence_cites_the_entered_measure_as_an_example():
    found = pasted(session(), "Client continues to benefit from therapy.")
    finding = only(found, "PROGRESS-NO-EVIDENCE")
    assert "GAD-7 11" in finding.message


def test_a_boilerplate_response_followed_by_what_changed_passes():
    text = (
        "Client was receptive and engaged. She rated belief in the prediction down from 90% "
        "to 50% after the thought record."
    )
    assert "RESPONSE-BOILERPLATE" not in rules(pasted(session(), text))
    assert "RESPONSE-BOILERPLATE" in rules(pasted(session(), "Client was receptive and engaged."))


def test_a_boilerplate_response_field_is_flagged_on_that_field():
    details = session(response="Client was receptive and engaged.")
    assert only(check_note(details, compose_note(details)), "RESPONSE-BOILERPLATE").field == (
        "response"
    )


def test_plan_weak_fires_whether_or_not_a_date_follows():
    for plan in ("Continue current plan.", "Continue current plan. Next session: April 15."):
        details = session(plan=plan, homework={"reviewed": "Worry log kept."})
        finding = only(check_note(details, compose_note(details)), "PLAN-WEAK")
        assert "Weekly sessions; next session: cognitive restructuring" in finding.message


# --- risk: no-harm contracts --------------------------------------------------------------


@pytest.mark.parametrize("risk", [None, BASE["risk"]], ids=["not-assessed", "assessed"])
@pytest.mark.parametrize(
    "sentence",
    ["Client contracted for safety.", "Client agreed to a no-harm contract until next session."],
)
def test_a_no_harm_contract_is_a_warning_whether_or_not_risk_was_assessed(risk, sentence):
    details = session(risk=risk)
    finding = only(
        check_note(details, compose_note(details) + f"\n{sentence}\n"), "NO-HARM-CONTRACT"
    )
    assert finding.severity is Severity.WARNING
    assert "safety plan" in finding.message
    assert finding.sentence == sentence


def test_a_safety_plan_is_not_a_no_harm_contract():
    text = "Client and clinician wrote a Stanley-Brown safety plan with two contacts."
    assert "NO-HARM-CONTRACT" not in rules(pasted(session(), text))


# --- privacy ---------------------------------------------------------------------------------

COUPLES_NOTE = (
    "Client's partner Marcus attended. Marcus said he has been distant. Marcus's HIV status "
    "was discussed at length. Her partner was arrested last year. Client's sister is "
    "undocumented and afraid of deportation. Her need for reassurance is probably why she "
    "seeks validation from Marcus."
)


def test_the_couples_note_names_and_details_are_flagged():
    found = pasted(session(), COUPLES_NOTE)
    name = only(found, "PRIVACY-NAME")
    assert '"Marcus"' in name.message and "4 times" in name.message
    details = [f.sentence for f in found if f.rule_id == "PRIVACY-OTHERS-DETAILS"]
    assert "Her partner was arrested last year." in details
    assert "Marcus's HIV status was discussed at length." in details
    assert "Client's sister is undocumented and afraid of deportation." in details
    speculation = only(found, "PRIVACY-SPECULATION")
    assert "probably why" in speculation.message


def test_others_referred_to_by_role_or_label_pass():
    text = (
        "Partner B attended. Partner B described the argument about the missed rent payment. "
        "Client's mother drove her to the session."
    )
    found = rules(pasted(session(), text))
    assert "PRIVACY-NAME" not in found and "PRIVACY-OTHERS-DETAILS" not in found


def test_the_clients_own_health_and_name_are_not_someone_elses():
    text = "Client Riley was diagnosed with hypertension in March; her sister Tanaka... "
    assert "PRIVACY-OTHERS-DETAILS" not in rules(
        pasted(session(), "Client was diagnosed with asthma.")
    )
    assert "PRIVACY-NAME" not in rules(pasted(session(), text))


def test_the_clients_own_speculation_in_quotes_is_not_the_clinicians():
    text = 'Client said "that is probably why I keep checking my phone" and laughed.'
    assert "PRIVACY-SPECULATION" not in rules(pasted(session(), text))


# --- consistency ----------------------------------------------------------------------------


def test_lateness_against_the_billed_minutes_is_flagged():
    details = replace(session(), session=replace(session().session))  # 09:00-09:50
    finding = only(pasted(details, "Client arrived 15 minutes late."), "MINUTES-LATENESS")
    assert "09:15-09:50" in finding.message and "35 minutes" in finding.message
    assert finding.field == "session.start"
    adjusted = "Client arrived at 09:00, 15 minutes late for the 08:45 appointment."
    assert "MINUTES-LATENESS" not in rules(pasted(details, adjusted))
    assert "MINUTES-LATENESS" not in rules(pasted(details, "Client arrived 5 minutes early."))


def test_an_early_ending_is_flagged_on_the_end_time():
    finding = only(pasted(session(), "Client left 20 minutes early for work."), "MINUTES-LATENESS")
    assert finding.field == "session.end" and "09:00-09:30" in finding.message


def test_a_measure_in_the_goal_evidence_that_differs_from_the_measure_entered_is_flagged():
    goal = {**BASE["goals"][0], "evidence": "PCL-5 41 today"}
    details = session(measures=[{"instrument": "PCL-5", "total": 42}], goals=[goal])
    finding = only(check_note(details, compose_note(details)), "MEASURE-MISMATCH")
    assert finding.field == "goals[0].evidence"
    assert "PCL-5 41" in finding.message and "42" in finding.message


@pytest.mark.parametrize(
    "sentence",
    [
        "GAD-7 down from 15 to 11.",
        "GAD-7 total 11/21 (mild).",
        "GAD-7 14 at intake.",
        "Goal: GAD-7 of 10 or more no longer.",
        "Reduce GAD-7 below 10.",
    ],
)
def test_measure_mentions_that_agree_or_are_history_pass(sentence):
    assert "MEASURE-MISMATCH" not in rules(pasted(session(), sentence))


def test_a_risk_denial_from_a_client_who_was_not_there_is_an_error():
    details = session(session={**BASE["session"], "service": "family_without_client"})
    finding = only(pasted(details, "Client denies SI, HI and self-harm."), "RISK-CLIENT-ABSENT")
    assert finding.severity is Severity.ERROR
    attributed = "Per mother's report, client has voiced no thoughts of suicide this month."
    assert "RISK-CLIENT-ABSENT" not in rules(pasted(details, attributed))
    assert "RISK-CLIENT-ABSENT" not in rules(
        pasted(session(), "Client denies SI, HI and self-harm.")
    )


@pytest.mark.parametrize("attendance", ["no_show", "late_cancel"])
def test_clinical_content_in_a_missed_session_note_is_flagged(attendance):
    details = bare_session(
        session={**BASE["session"], "attendance": attendance},
        plan="Offer the next available appointment; a thought record on the interview then.",
        risk={},
    )
    for sentence in ("Client denies SI.", "Affect was anxious and mood low."):
        finding = only(
            check_note(details, compose_note(details) + f"\n{sentence}\n"), "MISSED-SESSION-CONTENT"
        )
        assert finding.sentence == sentence
    follow_up = "Called the client at 09:15; client denied SI by phone and rescheduled."
    assert "MISSED-SESSION-CONTENT" not in rules(
        check_note(details, compose_note(details) + f"\n{follow_up}\n")
    )
    assert "MISSED-SESSION-CONTENT" not in rules(check_note(details, compose_note(details)))


# --- pasted notes and size limits ----------------------------------------------------------

EHR_NOTE = (
    "PATIENT: Tanaka, Riley   MRN 88812   DOS 04/08/25   9:00 AM - 9:50 AM\n\n"
    "Client reported worry about a job interview on most days. Used cognitive restructuring "
    "to challenge the prediction that the interview will go badly; belief fell from 90% to "
    "50%. Client denies SI, HI and self-harm; risk level: low. Plan: weekly CBT; next session "
    "rehearse the interview with a thought record.\n"
)


def test_a_pasted_note_with_another_systems_header_has_no_header_error_in_body_only_mode():
    details = session()
    assert "HEADER-MISSING" in rules(check_note(details, EHR_NOTE))  # no client code shown
    body_only = check_note(details, EHR_NOTE, body_only=True)
    assert "HEADER-MISSING" not in rules(body_only)
    assert not [f for f in body_only if f.severity is Severity.ERROR], body_only


def test_an_oversized_note_or_field_is_refused_in_one_clear_finding():
    details = session()
    found = check_note(details, "a " * (MAX_NOTE_CHARS // 2 + 1))
    assert rules(found) == ["NOTE-TOO-LONG"]
    assert "shorten it" in found[0].message
    big = session(observations="x" * (MAX_FIELD_CHARS + 1))
    assert only(check_note(big, "text"), "FIELD-TOO-LONG").field == "observations"


# --- the composer's own notes raise none of the new rules ---------------------------------

GOLDEN = Path(__file__).resolve().parent / "golden"
NEW_RULES = {
    "INTERVENTION-GENERIC",
    "PROGRESS-NO-EVIDENCE",
    "RESPONSE-BOILERPLATE",
    "PLAN-WEAK",
    "NO-HARM-CONTRACT",
    "PRIVACY-NAME",
    "PRIVACY-OTHERS-DETAILS",
    "PRIVACY-SPECULATION",
    "MINUTES-LATENESS",
    "MEASURE-MISMATCH",
    "RISK-CLIENT-ABSENT",
    "MISSED-SESSION-CONTENT",
}


@pytest.mark.parametrize("golden", sorted(GOLDEN.glob("*.md")), ids=lambda path: path.name)
def test_the_golden_notes_raise_none_of_the_new_rules(golden):
    from tests.core.test_composer import minimal_data

    stem = golden.name.split(".")[0]
    example = Path(__file__).resolve().parents[2] / "examples" / f"{stem}.json"
    if example.exists():
        details = load_session_file(example)
    else:  # the no-show golden's session, as tests/core/test_composer.py builds it
        details = parse_session(
            minimal_data(attendance="no_show")
            | {
                "observations": "Called the client's mobile at 09:15 and left a voicemail.",
                "interventions": [{"modality": "CBT", "technique": "thought record"}],
                "plan": "Send a letter offering the next available appointment.",
                "next_session": "2025-01-22",
            }
        )
    found = check_note(details, golden.read_text(encoding="utf-8"))
    assert not NEW_RULES & set(rules(found)), found


def test_the_issues_late_arrival_beside_45_billed_minutes():
    details = session(session={**BASE["session"], "end": "09:45"})
    finding = only(pasted(details, "Client arrived 15 minutes late."), "MINUTES-LATENESS")
    assert "bills 45 minutes" in finding.message and "90832" in finding.message


def test_a_partners_sexual_detail_is_someone_elses_detail():
    text = "Her partner disclosed an affair with a coworker."
    finding = only(pasted(session(), text), "PRIVACY-OTHERS-DETAILS")
    assert "sexual" in finding.message


# --- linear time: long, repetitive input finishes (pytest-timeout guards; no timing) -------

ADVERSARIAL = {
    "single quotes": "'a " * 30_000,
    "double quotes": '"a ' * 30_000,
    "an open quote": "' " + "a " * 45_000,
    "generic interventions": "Used mindfulness. " * 5_000,
    "names": "Her partner Marcus said Marcus was arrested. " * 2_000,
    "risk clauses": "Client denies SI; no safety concerns, no plan or intent. " * 1_500,
    "measures": "PHQ-9 12 today. " * 6_000,
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("text", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_a_90_kb_adversarial_note_is_checked_to_the_end(text):
    # A note without headings: every sentence is checked (the old quote patterns took
    # 30-60 s on the first of these; the checks are linear now).
    found = check_note(session(), text)
    assert "NOTE-TOO-LONG" not in rules(found)
    assert found  # checked: at least the missing header is reported
