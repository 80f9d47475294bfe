"""The checks: each rule fires on the note a reviewer would reject, and stays quiet otherwise.

Every session here is fictional: "Riley Tanaka" (RT-0451) and friends.
"""

import copy
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from core.checks.findings import Severity
from core.checks.review import check_note, find_risk_contradictions
from core.checks.rules import RULES
from core.notes.composer import compose_note
from core.notes.model import Attendance, NoteContext, NoteFormat, Risk, SuicidalIdeation
from core.notes.session_file import load_session_file, parse_session

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.json"))

BASE = {
    "client": {
        "name": "Riley Tanaka",
        "code": "RT-0451",
        "diagnoses": [{"code": "F41.1", "label": "Generalized anxiety disorder"}],
    },
    "session": {
        "date": "2025-04-08",
        "start": "09:00",
        "end": "09:50",
        "service": "individual",
        "setting": "in_person",
        "attendance": "attended",
    },
    "clinician": {"name": "Morgan Ellis", "credentials": "LPC"},
    "format": "dap",
    "presenting_concerns": "Client reported worry about a job interview on most days and "
    "two nights of sleep under five hours.",
    "observations": "Fidgeting early in the session; affect anxious, settling by the end.",
    "interventions": [
        {
            "modality": "CBT",
            "technique": "cognitive restructuring",
            "detail": "challenged the prediction that the interview will go badly",
        },
        {
            "modality": "CBT",
            "technique": "diaphragmatic breathing",
            "detail": "practised for five minutes before role-playing the interview",
        },
    ],
    "response": "Client rated belief in the prediction down from 90% to 50% and rated "
    "anxiety 4 of 10 after the breathing practice.",
    "goals": [
        {
            "id": "goal-worry",
            "description": "Reduce GAD-7 below 10",
            "progress": "progressing",
            "evidence": "GAD-7 down from 15 to 11",
        }
    ],
    "homework": {
        "reviewed": "Worry log kept on five of seven days.",
        "assigned": "Keep the worry log.",
    },
    "measures": [{"instrument": "GAD-7", "total": 11}],
    "risk": {
        "suicidal_ideation": "denied",
        "homicidal_ideation": "denied",
        "self_harm": "denied",
        "level": "low",
    },
    "assessment": {
        "impression": "Worry is easing with restructuring; sleep loss before the interview persists.",
        "medical_necessity": "Weekly CBT while worry still costs two nights of sleep a week.",
    },
    "plan": "Weekly individual CBT; rehearse the interview with a thought record next session.",
    "next_session": "2025-04-15",
}


def session(**changes):
    """The base session with top-level keys replaced (None removes the key)."""
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return parse_session(data)


def with_session_fields(**fields):
    return session(session={**BASE["session"], **fields})


def rules(findings):
    return [finding.rule_id for finding in findings]


def check_composed(details):
    return check_note(details, compose_note(details))


def objections(findings):
    """The findings less the service code's basis, which every billable note carries."""
    return [finding for finding in findings if finding.rule_id != "SERVICE-CODE-BASIS"]


def only(findings, rule_id):
    matching = [finding for finding in findings if finding.rule_id == rule_id]
    assert len(matching) == 1, rules(findings)
    return matching[0]


# --- a complete note is clean --------------------------------------------------


@pytest.mark.parametrize("note_format", list(NoteFormat))
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_the_examples_compose_into_notes_without_findings_in_every_format(example, note_format):
    details = load_session_file(example)
    assert objections(check_note(details, compose_note(details, note_format))) == []


def test_the_base_session_composes_into_a_clean_note():
    assert objections(check_composed(session())) == []


def test_errors_come_before_warnings_and_information():
    details = session(risk=None, plan="", next_session=None)
    text = compose_note(details).replace("RT-0451", "") + "\nClient denies suicidal ideation."
    severities = [finding.severity for finding in check_note(details, text)]
    order = [Severity.ERROR, Severity.WARNING, Severity.INFO]
    assert severities == sorted(severities, key=order.index)
    assert Severity.ERROR in severities and Severity.WARNING in severities


# --- header ----------------------------------------------------------------------


def test_a_note_text_without_the_client_code_is_an_error():
    details = session()
    finding = only(
        check_note(details, compose_note(details).replace("RT-0451", "")), "HEADER-MISSING"
    )
    assert finding.severity is Severity.ERROR
    assert finding.field == "client.code"
    assert finding.section == "Header"


def test_a_blank_client_code_is_an_error_on_the_field():
    details = session()
    details = replace(details, client=replace(details.client, code=""))
    assert "client.code" in [
        f.field for f in check_composed(details) if f.rule_id == "HEADER-MISSING"
    ]


def test_a_note_text_without_the_start_time_is_an_error():
    details = session()
    text = compose_note(details).replace("09:00", "nine")
    finding = only(check_note(details, text), "HEADER-MISSING")
    assert finding.field == "session.start"


def test_a_note_text_without_the_date_of_service_is_an_error():
    details = session()
    text = compose_note(details).replace("2025-04-08", "last Tuesday")
    assert only(check_note(details, text), "HEADER-MISSING").field == "session.date"


def test_a_date_written_out_in_words_counts():
    details = session()
    text = compose_note(details).replace("2025-04-08", "April 8, 2025")
    assert "HEADER-MISSING" not in rules(check_note(details, text))


def test_an_empty_note_is_an_error():
    assert "NOTE-EMPTY" in rules(check_note(session(), "  \n"))


def test_end_before_start_is_an_error():
    details = session()
    details = replace(details, session=replace(details.session, end=details.session.start))
    assert only(check_composed(details), "TIME-INVALID").field == "session.end"


def test_no_diagnosis_is_a_warning_and_a_diagnosis_is_enough():
    assert (
        only(
            check_composed(session(client={"name": "Riley Tanaka", "code": "RT-0451"})),
            "DIAGNOSIS-MISSING",
        ).field
        == "client.diagnoses"
    )
    assert "DIAGNOSIS-MISSING" not in rules(check_composed(session()))


# --- minutes and CPT ---------------------------------------------------------------


def test_a_cpt_code_the_minutes_do_not_support_is_an_error():
    details = session()  # 50 minutes: 90834
    text = compose_note(details).replace("90834", "90837")
    finding = only(check_note(details, text), "CPT-MINUTES")
    assert finding.severity is Severity.ERROR
    assert "90837" in finding.message and "50" in finding.message
    assert finding.field == "session.end"


def test_the_suggested_code_agrees_with_the_minutes_at_each_edge():
    for end in ("09:16", "09:37", "09:38", "09:52", "09:53"):
        details = with_session_fields(end=end)
        assert "CPT-MINUTES" not in rules(check_composed(details)), end


def test_a_code_for_another_service_is_an_error():
    details = session()
    text = compose_note(details).replace("90834", "90847")
    assert "CPT-SERVICE" in rules(check_note(details, text))


def test_under_sixteen_minutes_of_individual_therapy_is_flagged_not_billable():
    assert "CPT-NOT-BILLABLE" in rules(check_composed(with_session_fields(end="09:15")))
    assert "CPT-NOT-BILLABLE" not in rules(check_composed(with_session_fields(end="09:16")))


def test_stated_minutes_that_differ_from_start_and_end_are_an_error():
    details = session()
    text = compose_note(details).replace("(50 minutes)", "(60 minutes)")
    assert "MINUTES-MISMATCH" in rules(check_note(details, text))


def test_a_code_on_a_missed_session_is_an_error():
    details = with_session_fields(attendance="no_show")
    text = compose_note(details) + "\nCPT 90834\n"
    assert "CPT-MISSED-SESSION" in rules(check_note(details, text))
    assert "CPT-MISSED-SESSION" not in rules(check_composed(details))


def test_a_telehealth_code_without_its_modifier_is_a_warning():
    details = with_session_fields(setting="telehealth_video")
    text = compose_note(details).replace("90834-95", "90834")
    assert only(check_note(details, text), "CPT-MODIFIER").field == "session.setting"
    assert "CPT-MODIFIER" not in rules(check_composed(details))


# --- goals, interventions, response ------------------------------------------------------


def test_no_goal_addressed_is_a_warning():
    goal = {**BASE["goals"][0], "progress": "not_addressed", "evidence": ""}
    finding = only(check_composed(session(goals=[goal])), "GOAL-NOT-LINKED")
    assert finding.field == "goals"
    assert finding.section == "Assessment"


def test_a_goal_with_progress_but_no_evidence_names_its_evidence_field():
    goal = {**BASE["goals"][0], "evidence": ""}
    second = {
        "id": "goal-sleep",
        "description": "Sleep six hours",
        "progress": "met",
        "evidence": "Six hours on five nights",
    }
    finding = only(check_composed(session(goals=[second, goal])), "GOAL-NO-EVIDENCE")
    assert finding.field == "goals[1].evidence"


def test_only_unnamed_interventions_are_flagged():
    vague = [
        {"modality": "other", "technique": "supportive therapy", "detail": "discussed the week"}
    ]
    finding = only(check_composed(session(interventions=vague)), "INTERVENTION-NOT-NAMED")
    assert finding.field == "interventions[0].technique"
    assert finding.section == "Data"


def test_no_interventions_at_all_points_at_the_interventions_list():
    finding = only(check_composed(session(interventions=None)), "INTERVENTION-NOT-NAMED")
    assert finding.field == "interventions"


def test_a_named_intervention_in_hand_written_text_counts():
    details = session(interventions=None)
    text = compose_note(details).replace(
        "## Assessment", "Used chain analysis of the panic on Monday.\n\n## Assessment"
    )
    assert "INTERVENTION-NOT-NAMED" not in rules(check_note(details, text))


def test_reflective_listening_without_a_purpose_is_a_warning():
    entries = [{"modality": "Person-centered", "technique": "reflective listening"}]
    finding = only(check_composed(session(interventions=entries)), "INTERVENTION-NO-PURPOSE")
    assert finding.severity is Severity.WARNING
    assert finding.field == "interventions[0].detail"


def test_a_missing_response_is_a_warning():
    assert only(check_composed(session(response=None)), "RESPONSE-MISSING").field == "response"


@pytest.mark.parametrize("attendance", ["no_show", "late_cancel"])
def test_missed_sessions_are_not_flagged_for_goals_interventions_plan_or_risk(attendance):
    details = session(
        session={**BASE["session"], "attendance": attendance},
        goals=None,
        interventions=None,
        response=None,
        risk=None,
        plan=None,
        homework=None,
        next_session=None,
    )
    found = rules(check_composed(details))
    for rule in (
        "GOAL-NOT-LINKED",
        "INTERVENTION-NOT-NAMED",
        "RESPONSE-MISSING",
        "PLAN-MISSING",
        "RISK-NOT-ASSESSED",
    ):
        assert rule not in found
    assert details.session.attendance is Attendance(attendance)


# --- weak phrases -------------------------------------------------------------------------


def test_a_weak_phrase_on_its_own_is_a_warning_on_its_field_and_sentence():
    details = session(observations="Client seemed tired. Affect anxious.")
    finding = only(check_composed(details), "WEAK-PHRASE")
    assert finding.field == "observations"
    assert finding.sentence == "Client seemed tired."
    assert '"client seemed"' in finding.message


def test_a_weak_phrase_followed_by_specifics_is_fine():
    details = session(
        observations="Client seemed tired, yawning repeatedly and slow to answer questions about sleep."
    )
    assert "WEAK-PHRASE" not in rules(check_composed(details))


@pytest.mark.parametrize(
    "specific",
    [
        "Talked about the argument with her manager over the missed project deadline.",
        "Talked about sleep, rated 3 of 10.",
        "Checked in on the use of paced breathing and opposite action.",
    ],
)
def test_specific_sentences_with_weak_openings_pass(specific):
    assert "WEAK-PHRASE" not in rules(check_composed(session(presenting_concerns=specific)))


def test_vague_sentences_with_weak_phrases_are_flagged():
    details = session(presenting_concerns="Talked about feelings and stuff. Session went well.")
    assert rules(check_composed(details)).count("WEAK-PHRASE") == 2


# --- risk -----------------------------------------------------------------------------------


def test_risk_not_assessed_is_a_warning_and_assessed_risk_is_not():
    finding = only(check_composed(session(risk=None)), "RISK-NOT-ASSESSED")
    assert finding.severity is Severity.WARNING
    assert finding.field == "risk.suicidal_ideation"
    partly = {**BASE["risk"], "self_harm": "not_assessed"}
    assert only(check_composed(session(risk=partly)), "RISK-NOT-ASSESSED").field == "risk.self_harm"
    assert "RISK-NOT-ASSESSED" not in rules(check_composed(session()))


ELEVATED = {
    "suicidal_ideation": "passive",
    "homicidal_ideation": "denied",
    "self_harm": "denied",
    "level": "moderate",
    "details": "Passive wish to not wake up on one night, no plan or intent.",
    "safety_plan": "Stanley-Brown plan written in session with two contacts.",
    "actions": "Follow-up call agreed for Thursday.",
}


def test_elevated_risk_without_a_safety_plan_is_an_error():
    findings = check_composed(session(risk={**ELEVATED, "safety_plan": ""}))
    finding = only(findings, "RISK-NO-SAFETY-PLAN")
    assert finding.severity is Severity.ERROR
    assert finding.field == "risk.safety_plan"


def test_elevated_risk_without_actions_is_an_error():
    finding = only(check_composed(session(risk={**ELEVATED, "actions": ""})), "RISK-NO-ACTIONS")
    assert finding.severity is Severity.ERROR


def test_ideation_without_a_risk_level_is_an_error():
    risk = {key: value for key, value in ELEVATED.items() if key != "level"}
    assert only(check_composed(session(risk=risk)), "RISK-NO-LEVEL").field == "risk.level"


def test_documented_elevated_risk_passes():
    assert objections(check_composed(session(risk=ELEVATED))) == []


def test_phq9_item9_above_zero_with_risk_not_assessed_is_an_error():
    measures = [{"instrument": "PHQ-9", "items": [1, 1, 1, 1, 1, 1, 1, 1, 1]}]
    finding = only(check_composed(session(measures=measures, risk=None)), "PHQ9-ITEM9-UNADDRESSED")
    assert finding.severity is Severity.ERROR
    assert finding.field == "risk.suicidal_ideation"


def test_phq9_item9_above_zero_with_a_bare_denial_is_an_error():
    measures = [{"instrument": "PHQ-9", "items": [1, 1, 1, 1, 1, 1, 1, 1, 2]}]
    finding = only(check_composed(session(measures=measures)), "PHQ9-ITEM9-UNADDRESSED")
    assert finding.field == "risk.details"


def test_phq9_item9_followed_up_is_fine():
    measures = [{"instrument": "PHQ-9", "items": [1, 1, 1, 1, 1, 1, 1, 1, 1]}]
    followed_up = {
        **BASE["risk"],
        "details": "Asked about item 9: thoughts of death when tired, no wish to die.",
    }
    assert "PHQ9-ITEM9-UNADDRESSED" not in rules(
        check_composed(session(measures=measures, risk=followed_up))
    )
    assert "PHQ9-ITEM9-UNADDRESSED" not in rules(
        check_composed(session(measures=measures, risk=ELEVATED))
    )
    zero = [{"instrument": "PHQ-9", "items": [1, 1, 1, 1, 1, 1, 1, 1, 0]}]
    assert "PHQ9-ITEM9-UNADDRESSED" not in rules(check_composed(session(measures=zero, risk=None)))


@pytest.mark.parametrize(
    ("recorded", "sentence", "field"),
    [
        ({**ELEVATED}, "Client denies suicidal ideation.", "risk.suicidal_ideation"),
        ({}, "Client denies SI/HI.", "risk.suicidal_ideation"),
        ({**BASE["risk"]}, "Risk not assessed this session.", "risk.suicidal_ideation"),
        ({**BASE["risk"]}, "Client reported passive suicidal ideation.", "risk.suicidal_ideation"),
        ({**BASE["risk"]}, "Client disclosed recent self-harm.", "risk.self_harm"),
        ({**ELEVATED}, "Client reported active suicidal ideation.", "risk.suicidal_ideation"),
        ({**ELEVATED}, "Risk level: high.", "risk.level"),
    ],
)
def test_a_risk_statement_that_contradicts_the_risk_input_is_an_error(recorded, sentence, field):
    details = session(risk=recorded or None)
    text = compose_note(details) + f"\n{sentence}\n"
    finding = only(check_note(details, text), "RISK-CONTRADICTION")
    assert finding.severity is Severity.ERROR
    assert finding.field == field
    assert finding.sentence == sentence
    assert finding.section == "Plan"  # appended after the plan


@pytest.mark.parametrize(
    ("recorded", "sentence"),
    [
        ({**ELEVATED}, "Client reports passive SI but denies plan or intent."),
        ({**BASE["risk"]}, "Client denies SI, HI and self-harm."),
        ({}, "Risk not assessed this session."),
        ({**BASE["risk"]}, "History of self-harm at age 15."),
        ({**BASE["risk"]}, "Client will call 988 if suicidal thoughts return."),
        ({**BASE["risk"]}, "Client is at high risk for relapse."),
    ],
)
def test_risk_statements_that_agree_with_the_input_pass(recorded, sentence):
    details = session(risk=recorded or None)
    text = compose_note(details) + f"\n{sentence}\n"
    assert "RISK-CONTRADICTION" not in rules(check_note(details, text))


def test_find_risk_contradictions_reads_any_text_against_a_risk():
    passive = Risk(suicidal_ideation=SuicidalIdeation.PASSIVE)
    found = find_risk_contradictions(passive, "Mood low. Client denies suicidal ideation.")
    assert [(f.rule_id, f.sentence) for f in found] == [
        ("RISK-CONTRADICTION", "Client denies suicidal ideation.")
    ]
    assert find_risk_contradictions(Risk(), "Risk not assessed this session.") == []


# --- process-note content, quotes ----------------------------------------------------------------


def test_the_therapists_own_feelings_are_flagged_as_process_note_content():
    details = session(observations="I felt frustrated when the client changed the subject.")
    finding = only(check_composed(details), "PROCESS-NOTE-CONTENT")
    assert finding.field == "observations"
    assert "psychotherapy notes" in finding.message


def test_the_clients_own_words_in_quotes_are_not_the_therapists_feelings():
    details = session(observations='Client said "I felt invisible at the party" and looked down.')
    assert "PROCESS-NOTE-CONTENT" not in rules(check_composed(details))


def test_transference_is_flagged_and_objective_observation_is_not():
    details = session(response="Strong transference toward the therapist as a parent figure.")
    assert "PROCESS-NOTE-CONTENT" in rules(check_composed(details))
    assert "PROCESS-NOTE-CONTENT" not in rules(check_composed(session()))


def test_a_quote_over_15_words_is_flagged_and_a_short_one_is_not():
    long_quote = '"' + " ".join(["word"] * 16) + '"'
    details = session(presenting_concerns=f"Client said {long_quote} about the weekend.")
    assert only(check_composed(details), "LONG-QUOTE").field == "presenting_concerns"
    exactly = '"' + " ".join(["word"] * 15) + '"'
    assert "LONG-QUOTE" not in rules(
        check_composed(session(presenting_concerns=f"Client said {exactly}."))
    )


# --- plan --------------------------------------------------------------------------------------------


def test_no_plan_is_a_warning():
    details = session(plan=None, homework={"reviewed": "Worry log kept."}, next_session=None)
    assert only(check_composed(details), "PLAN-MISSING").field == "plan"


def test_continue_current_plan_alone_is_weak():
    details = session(
        plan="Continue current plan.", homework={"reviewed": "Worry log kept."}, next_session=None
    )
    finding = only(check_composed(details), "PLAN-WEAK")
    assert finding.section == "Plan"
    assert "WEAK-PHRASE" not in rules(check_composed(details))


def test_continue_current_plan_with_specifics_passes():
    details = session(
        plan="Continue current plan: weekly CBT, graded exposure to interview practice."
    )
    assert "PLAN-WEAK" not in rules(check_composed(details))


def test_a_plan_without_a_next_session_is_information():
    details = session(plan="Rehearse the interview with a thought record.", next_session=None)
    finding = only(check_composed(details), "PLAN-NO-NEXT-SESSION")
    assert finding.severity is Severity.INFO


# --- cloning and plan age -------------------------------------------------------------------------------


def test_a_note_nearly_identical_to_the_previous_one_is_flagged_as_cloned():
    previous = session()
    current = with_session_fields(date="2025-04-15")
    current = replace(current, context=NoteContext(previous_note_text=compose_note(previous)))
    finding = only(check_composed(current), "CLONED-NOTE")
    assert finding.severity is Severity.WARNING


NEW_SESSION_REPORT = {
    "presenting_concerns": "Client reported the interview went ahead on Monday and she slept "
    "seven hours the night before.",
    "observations": "Calm, smiling when describing the interview.",
}


def test_a_note_that_rewrites_only_the_report_is_still_a_clone():
    previous = compose_note(session())
    current = session(**NEW_SESSION_REPORT)
    current = replace(current, context=NoteContext(previous_note_text=previous))
    assert "CLONED-NOTE" in rules(check_composed(current))


def test_a_note_about_what_happened_in_this_session_is_not_a_clone():
    previous = compose_note(session())
    current = session(
        **NEW_SESSION_REPORT,
        response="Client rated belief that she will not get the job at 30%, down from 70%.",
        plan="Weekly CBT; begin graded exposure to phone calls with recruiters.",
        interventions=[
            {
                "modality": "CBT",
                "technique": "graded exposure",
                "detail": "built a hierarchy of job-search calls",
            }
        ],
    )
    current = replace(current, context=NoteContext(previous_note_text=previous))
    assert "CLONED-NOTE" not in rules(check_composed(current))


def test_another_clients_note_is_not_a_clone():
    previous = load_session_file(EXAMPLES[0])
    current = replace(session(), context=NoteContext(previous_note_text=compose_note(previous)))
    assert "CLONED-NOTE" not in rules(check_composed(current))


def test_an_old_treatment_plan_is_flagged():
    old = NoteContext(plan_date=date(2024, 4, 7), today=date(2025, 4, 8))
    assert "PLAN-OUTDATED" in rules(check_composed(replace(session(), context=old)))
    fresh = NoteContext(plan_date=date(2024, 4, 8), today=date(2025, 4, 8))
    assert "PLAN-OUTDATED" not in rules(check_composed(replace(session(), context=fresh)))


def test_a_plan_past_its_review_date_is_flagged():
    overdue = NoteContext(
        plan_date=date(2025, 1, 2), plan_review_date=date(2025, 4, 1), today=date(2025, 4, 8)
    )
    finding = only(check_composed(replace(session(), context=overdue)), "PLAN-OUTDATED")
    assert "2025-04-01" in finding.message


# --- the rule reference -----------------------------------------------------------------------------


def test_every_rule_the_checks_can_raise_is_registered_and_documented():
    root = Path(__file__).resolve().parents[2]
    sources = sorted((root / "core").glob("*check*.py")) + [
        root / "core/checks/risk_text.py",
        root / "core/checks/risk_contradictions.py",
    ]
    raised = set()
    for source in sources:
        text = source.read_text(encoding="utf-8")
        raised |= set(re.findall(r'"([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)"', text))
    raised -= {"PHQ-9", "GAD-7", "PCL-5", "C-SSRS"}  # instrument names, not rules
    documented = set(
        re.findall(r"^\| ([A-Z][A-Z0-9-]+) \|", (root / "docs/checks.md").read_text(), re.M)
    )
    assert raised and raised <= set(RULES), sorted(raised - set(RULES))
    assert set(RULES) == documented, sorted(set(RULES) ^ documented)


# --- hand-written notes without section headings ---------------------------------------------------

PLAIN_NOTE = """Riley Tanaka (RT-0451), 2025-04-08, 09:00-09:50, 90834, F41.1.
Client talked about things. Used cognitive restructuring on the interview prediction.
Client denies suicidal ideation, homicidal ideation and self-harm. Risk level: low.
"""


def test_a_note_without_headings_is_still_read_as_prose():
    details = session(interventions=None)
    found = check_note(details, PLAIN_NOTE)
    weak = only(found, "WEAK-PHRASE")
    assert weak.sentence == "Client talked about things."
    assert "INTERVENTION-NOT-NAMED" not in rules(found)
    assert "HEADER-MISSING" not in rules(found)
    assert "RISK-CONTRADICTION" not in rules(found)
    assert "PLAN-MISSING" not in rules(found)  # judged on the plan entered


def test_a_note_without_headings_and_no_plan_entered_misses_its_plan():
    details = session(plan=None, homework=None, next_session=None)
    assert "PLAN-MISSING" in rules(check_note(details, PLAIN_NOTE))


# --- a held session that documents no service -------------------------------------------------------

ALMOST_EMPTY = {
    "presenting_concerns": "",
    "observations": "",
    "interventions": [],
    "response": "",
    "goals": [],
    "homework": {},
    "measures": [],
    "risk": {},
    "plan": "",
    "next_session": None,
}


@pytest.mark.parametrize("attendance", ["attended", "late_arrival"])
def test_a_held_session_with_only_date_and_times_cannot_be_signed(attendance):
    details = session(**ALMOST_EMPTY, session={**BASE["session"], "attendance": attendance})
    finding = only(check_composed(details), "SERVICE-NOT-DOCUMENTED")
    assert finding.severity is Severity.ERROR
    assert finding.field == "interventions"
    assert "enter what was done in session" in finding.message


@pytest.mark.parametrize(
    "documented",
    [
        {"presenting_concerns": "Client reported three nights of broken sleep."},
        {"observations": "Affect flat; answers brief."},
        {"response": "Client agreed to try the breathing practice twice a day."},
        {"interventions": [{"modality": "CBT", "technique": "behavioral activation"}]},
    ],
)
def test_one_documented_part_of_the_session_is_enough_to_lift_the_error(documented):
    details = session(**{**ALMOST_EMPTY, **documented})
    assert "SERVICE-NOT-DOCUMENTED" not in rules(check_composed(details))


def test_a_hand_written_note_naming_a_technique_documents_the_service():
    assert "SERVICE-NOT-DOCUMENTED" not in rules(check_note(session(**ALMOST_EMPTY), PLAIN_NOTE))


@pytest.mark.parametrize("attendance", ["no_show", "late_cancel"])
def test_a_missed_session_note_with_only_date_and_times_is_not_an_error(attendance):
    details = session(**ALMOST_EMPTY, session={**BASE["session"], "attendance": attendance})
    found = check_composed(details)
    assert "SERVICE-NOT-DOCUMENTED" not in rules(found)
    assert not [finding for finding in found if finding.severity is Severity.ERROR]
