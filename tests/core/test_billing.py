"""CPT suggestions at every edge of domain.md's table."""

from datetime import date, time

import pytest

from core.notes.billing import suggest_cpt_code
from core.notes.model import Attendance, Service, SessionInfo, Setting


def session(minutes: int, service=Service.INDIVIDUAL, setting=Setting.IN_PERSON, **kwargs):
    start = 8 * 60
    end = start + minutes
    return SessionInfo(
        date=date(2025, 1, 15),
        start=time(start // 60, start % 60),
        end=time(end // 60, end % 60),
        service=service,
        setting=setting,
        **kwargs,
    )


@pytest.mark.parametrize(
    ("minutes", "code"),
    [
        (1, None),
        (15, None),
        (16, "90832"),
        (37, "90832"),
        (38, "90834"),
        (52, "90834"),
        (53, "90837"),
        (90, "90837"),
    ],
)
def test_individual_time_ranges(minutes, code):
    assert suggest_cpt_code(session(minutes)).code == code


def test_under_16_minutes_says_not_billable():
    suggestion = suggest_cpt_code(session(15))
    assert not suggestion.billable
    assert suggestion.display() == "not billable"
    assert "under 16 minutes is not billable as psychotherapy" in suggestion.reason


@pytest.mark.parametrize(
    ("service", "code"),
    [
        (Service.FAMILY_WITH_CLIENT, "90847"),
        (Service.COUPLES, "90847"),
        (Service.FAMILY_WITHOUT_CLIENT, "90846"),
    ],
)
def test_family_codes_are_billable_from_26_minutes(service, code):
    assert suggest_cpt_code(session(25, service)).code is None
    assert "billable from 26 minutes" in suggest_cpt_code(session(25, service)).reason
    assert suggest_cpt_code(session(26, service)).code == code
    assert suggest_cpt_code(session(80, service)).code == code


def test_group_is_per_session():
    assert suggest_cpt_code(session(10, Service.GROUP)).code == "90853"
    assert suggest_cpt_code(session(90, Service.GROUP)).code == "90853"


@pytest.mark.parametrize(
    ("minutes", "code", "add_on_units"),
    [
        (29, None, 0),
        (30, "90839", 0),
        (74, "90839", 0),
        (75, "90839", 1),
        (104, "90839", 1),
        (105, "90839", 2),
        (134, "90839", 2),
        (135, "90839", 3),
    ],
)
def test_crisis_time_ranges_and_add_on(minutes, code, add_on_units):
    suggestion = suggest_cpt_code(session(minutes, Service.CRISIS))
    assert suggestion.code == code
    assert suggestion.add_on_units == add_on_units
    assert suggestion.add_on_code == ("90840" if add_on_units else None)


def test_crisis_display_with_add_on():
    assert suggest_cpt_code(session(75, Service.CRISIS)).display() == "90839 + 90840"
    assert suggest_cpt_code(session(110, Service.CRISIS)).display() == "90839 + 90840 x2"


@pytest.mark.parametrize(
    ("setting", "modifier", "display"),
    [
        (Setting.IN_PERSON, None, "90834"),
        (Setting.TELEHEALTH_VIDEO, "95", "90834-95"),
        (Setting.TELEHEALTH_AUDIO, "93", "90834-93"),
    ],
)
def test_telehealth_modifiers(setting, modifier, display):
    suggestion = suggest_cpt_code(session(45, setting=setting))
    assert suggestion.modifier == modifier
    assert suggestion.display() == display


def test_crisis_add_on_carries_the_modifier():
    suggestion = suggest_cpt_code(session(80, Service.CRISIS, Setting.TELEHEALTH_VIDEO))
    assert suggestion.display() == "90839-95 + 90840-95"


@pytest.mark.parametrize("attendance", [Attendance.NO_SHOW, Attendance.LATE_CANCEL])
def test_missed_sessions_are_not_billed(attendance):
    suggestion = suggest_cpt_code(session(50, attendance=attendance))
    assert suggestion.code is None
    assert "no psychotherapy service to bill" in suggestion.reason


def test_late_arrival_is_billed_on_the_minutes_held():
    assert suggest_cpt_code(session(30, attendance=Attendance.LATE_ARRIVAL)).code == "90832"


def test_reason_states_minutes_and_rule():
    reason = suggest_cpt_code(session(53, setting=Setting.TELEHEALTH_AUDIO)).reason
    assert reason == (
        "53 minutes of individual psychotherapy (range 53 minutes or more);"
        " modifier 93 for telehealth by audio only"
    )


def test_reason_never_repeats_the_code_without_its_modifier():
    for minutes, service in (
        (45, Service.INDIVIDUAL),
        (50, Service.COUPLES),
        (110, Service.CRISIS),
    ):
        suggestion = suggest_cpt_code(session(minutes, service, Setting.TELEHEALTH_VIDEO))
        assert suggestion.code not in suggestion.reason
        assert "9084" not in suggestion.reason


def test_every_service_is_named_once_for_the_note_the_form_and_the_notes_list():
    from core.notes.billing import SERVICE_LABELS, SERVICE_NAMES

    assert set(SERVICE_NAMES) == set(Service)
    assert all(names.billed and names.choice and names.column for names in SERVICE_NAMES.values())
    assert SERVICE_LABELS[Service.FAMILY_WITHOUT_CLIENT] == (
        "family psychotherapy without the client present"
    )
