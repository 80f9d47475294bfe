"""Medical necessity, telehealth facts and the service code's basis (core.checks.completeness)."""

import re
from dataclasses import replace
from pathlib import Path

from core.checks.completeness import check_completeness
from core.checks.findings import Severity
from core.checks.review import check_note
from core.notes.composer import compose_note
from core.notes.model import Attendance, ClinicalAssessment, Setting, Telehealth
from core.notes.session_file import load_session_file

ROOT = Path(__file__).resolve().parents[2]


def telehealth_example():
    return load_session_file(ROOT / "examples/telehealth-audio-act.json")


def rules(findings):
    return [finding.rule_id for finding in findings]


def test_a_held_session_without_any_assessment_is_a_warning():
    details = replace(telehealth_example(), assessment=ClinicalAssessment())
    findings = check_note(details, compose_note(details))
    (finding,) = [f for f in findings if f.rule_id == "MEDICAL-NECESSITY-MISSING"]
    assert finding.severity is Severity.WARNING
    assert finding.field == "assessment.impression"


def test_any_one_assessment_field_is_enough():
    details = replace(
        telehealth_example(), assessment=ClinicalAssessment(medical_necessity="Weekly CBT.")
    )
    assert "MEDICAL-NECESSITY-MISSING" not in rules(check_completeness(details))


def test_a_missed_session_needs_no_assessment():
    details = telehealth_example()
    missed = replace(
        details,
        assessment=ClinicalAssessment(),
        session=replace(details.session, attendance=Attendance.NO_SHOW),
    )
    assert check_completeness(missed) == []


def test_telehealth_missing_facts_are_named_and_point_at_the_first_field():
    details = replace(telehealth_example(), telehealth=Telehealth(provider_location="clinic"))
    (finding,) = [f for f in check_completeness(details) if f.rule_id == "TELEHEALTH-INCOMPLETE"]
    assert finding.severity is Severity.WARNING
    assert "where the client was" in finding.message
    assert "consent to telehealth" in finding.message and "why audio only" in finding.message
    assert "where you were" not in finding.message
    assert finding.field == "telehealth.client_location"


def test_complete_telehealth_and_in_person_sessions_pass():
    assert "TELEHEALTH-INCOMPLETE" not in rules(check_completeness(telehealth_example()))
    details = telehealth_example()
    in_person = replace(
        details, telehealth=None, session=replace(details.session, setting=Setting.IN_PERSON)
    )
    assert "TELEHEALTH-INCOMPLETE" not in rules(check_completeness(in_person))


def test_video_needs_no_audio_only_reason():
    details = telehealth_example()
    video = replace(
        details,
        session=replace(details.session, setting=Setting.TELEHEALTH_VIDEO),
        telehealth=replace(details.telehealth, audio_only_reason=""),
    )
    assert "TELEHEALTH-INCOMPLETE" not in rules(check_completeness(video))


def test_the_service_code_reasoning_is_an_info_finding_not_header_text():
    details = telehealth_example()
    (finding,) = [f for f in check_completeness(details) if f.rule_id == "SERVICE-CODE-BASIS"]
    assert finding.severity is Severity.INFO
    assert finding.message == (
        "service code 90834-93: 45 minutes of individual psychotherapy (range 38-52 minutes); "
        "modifier 93 for telehealth by audio only"
    )
    assert "range 38-52" not in compose_note(details)


def test_these_rules_are_in_the_rule_reference():
    source = (ROOT / "core/checks/completeness.py").read_text(encoding="utf-8")
    raised = set(re.findall(r'"([A-Z]+(?:-[A-Z]+)+)"', source))
    documented = set(
        re.findall(r"^\| ([A-Z][A-Z0-9-]+) \|", (ROOT / "docs/checks.md").read_text(), re.M)
    )
    assert raised == {"MEDICAL-NECESSITY-MISSING", "TELEHEALTH-INCOMPLETE", "SERVICE-CODE-BASIS"}
    assert raised <= documented
