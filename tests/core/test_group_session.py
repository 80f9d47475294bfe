"""Group sessions: one file, one note per member, no member named in another's note."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from core.notes.composer import compose_note
from core.notes.group_session import (
    RULE_OTHER_MEMBER,
    AbsentMembers,
    is_group_session,
    join_member_notes,
    other_member_findings,
    parse_group_session,
    with_group_header,
)
from core.notes.model import Attendance, Service
from core.notes.session_file import SessionFileError

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = json.loads((ROOT / "examples/group/group-skills.json").read_text(encoding="utf-8"))


def example(**changes):
    data = copy.deepcopy(EXAMPLE)
    data.update(changes)
    return data


def problems_of(data) -> list[str]:
    with pytest.raises(SessionFileError) as error:
        parse_group_session(data)
    return error.value.problems


def member_notes(data=None) -> list[tuple[object, str]]:
    group = parse_group_session(data or example())
    return [
        (member, with_group_header(compose_note(member.details), group))
        for member in group.noted_members()
    ]


def test_the_example_parses_into_one_group_session_per_member():
    assert is_group_session(EXAMPLE)
    group = parse_group_session(EXAMPLE)
    assert group.group.name == "Thursday Skills Group"
    assert [f.name for f in group.group.facilitators] == ["Dana Reyes", "Sam Ortiz"]
    assert [m.client.code for m in group.members] == ["MH-0311", "TW-0427", "PC-0519"]
    assert all(m.details.session.service is Service.GROUP for m in group.members)
    assert group.members[2].details.session.attendance is Attendance.NO_SHOW
    # The shared interventions are in every member's session.
    assert [i.technique for i in group.members[1].details.interventions] == [
        "TIPP",
        "diary card review",
    ]
    assert group.attended_count == 2


def test_each_attending_member_gets_90853_and_absent_members_a_missed_note_or_none():
    notes = member_notes()
    assert len(notes) == 3
    for member, text in notes:
        if member.attended:
            assert "- Service code: 90853\n" in text
        else:
            assert "did not attend" in text and "90853" not in text
        assert "- Group roster: 3 members, 2 attended, 1 absent" in text
        assert "- Facilitators: Dana Reyes, LCSW; Sam Ortiz, LPC" in text
    assert len(member_notes(example(absent_members="none"))) == 2


def test_no_member_note_names_or_codes_another_member():
    notes = member_notes()
    for member, text in notes:
        for other, _ in notes:
            if other is member:
                continue
            assert other.client.name not in text
            assert other.client.code not in text
            assert other.client.name.split()[0] not in text
        assert other_member_findings(member, tuple(m for m, _ in notes), text) == []


def test_group_other_member_catches_a_name_or_code_of_another_member():
    data = example()
    data["members"][0]["response"] = "Paired with Tobias for the breathing practice."
    data["members"][1]["plan"] = "Check in with MH-0311's progress next week."
    group = parse_group_session(data)
    for index, expected_other in ((0, 1), (1, 0)):
        member = group.members[index]
        text = with_group_header(compose_note(member.details), group)
        (finding,) = other_member_findings(member, group.members, text)
        assert finding.rule_id == RULE_OTHER_MEMBER
        assert finding.severity.value == "error"
        assert f"members[{expected_other}]" in finding.message
        assert "Tobias" not in finding.message and "MH-0311" not in finding.message


def test_a_shared_first_name_is_not_another_member():
    data = example()
    data["members"][1]["client"]["name"] = "Maren Quist"
    group = parse_group_session(data)
    member = group.members[0]  # Maren Holloway: her own first name is in her note
    text = with_group_header(compose_note(member.details), group)
    assert other_member_findings(member, group.members, text) == []


def test_notes_are_joined_by_a_line_of_three_dashes():
    joined = join_member_notes(["# A\n", "# B\n"])
    assert joined == "# A\n\n---\n\n# B\n"


def test_problems_name_the_member_and_shared_ones_are_said_once():
    data = example()
    data["session"]["end"] = "16:00"
    del data["members"][1]["client"]["code"]
    data["members"][2]["attendance"] = "absent"
    data["members"][0]["mood"] = "fine"
    problems = problems_of(data)
    assert problems.count("session.end: 16:00 is before start 17:00") == 1
    assert "members[0].mood: unknown field" in problems
    assert "members[1].client.code: required field missing" in problems
    assert any(p.startswith("members[2].attendance: ") for p in problems)


def test_a_group_has_at_most_twelve_members_and_unique_codes():
    data = example()
    data["members"] = [copy.deepcopy(data["members"][0]) for _ in range(13)]
    for index, member in enumerate(data["members"]):
        member["client"]["code"] = f"XX-{index:04d}"
    assert any("at most 12 participants" in p for p in problems_of(data))
    data["members"] = data["members"][:2]
    data["members"][1]["client"]["code"] = "xx-0000"
    assert problems_of(data) == ["members[1].client.code: the same code as members[0]"]


def test_group_other_member_is_in_the_checks_table_as_an_error():
    table = (ROOT / "docs/checks.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ([A-Z][A-Z0-9-]+) \| (\w+) \|", table, re.M)
    assert (RULE_OTHER_MEMBER, "error") in rows


def test_the_group_schema_accepts_the_example():
    jsonschema = pytest.importorskip("jsonschema")
    referencing = pytest.importorskip("referencing")
    individual = json.loads((ROOT / "core/notes/session_schema.json").read_text(encoding="utf-8"))
    group = json.loads((ROOT / "core/notes/group_session_schema.json").read_text(encoding="utf-8"))
    registry = referencing.Registry().with_resource(
        individual["$id"], referencing.Resource.from_contents(individual)
    )
    validator = jsonschema.Draft202012Validator(group, registry=registry)
    jsonschema.Draft202012Validator.check_schema(group)
    validator.validate(EXAMPLE)
    broken = example()
    broken["members"][0]["attendance"] = "absent"
    assert not validator.is_valid(broken)
    assert AbsentMembers("none") is AbsentMembers.NONE


def test_group_other_member_is_in_the_rule_registry():
    from core.checks.findings import Severity
    from core.checks.rules import RULES

    assert RULES[RULE_OTHER_MEMBER] == (Severity.ERROR,)
