"""Group sessions: one session file, one progress note per member.

The shared part (group name and type, facilitators, topic, interventions, the
session's times) is entered once; each member brings their own attendance,
participation and response, goals, measures, risk and plan. Each member's note
is that member's record: it never names or identifies another member, and the
roster appears only as counts. GROUP-OTHER-MEMBER catches a name or code of
another member in a member's note (domain.md, "Who was there").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from core.checks.findings import Finding, Severity
from core.notes.billing import GROUP_MAXIMUM_PARTICIPANTS
from core.notes.field_validation import FieldReader
from core.notes.model import Client, Clinician, SessionDetails
from core.notes.psychotherapy_note import SESSION_FILE_FIELD
from core.notes.session_file import SessionFileError, parse_session

RULE_OTHER_MEMBER = "GROUP-OTHER-MEMBER"


class AbsentMembers(StrEnum):
    MISSED_NOTE = "missed_note"  # a missed-session note for each absent member
    NONE = "none"  # no note for absent members


TOP_REQUIRED = {"session", "group", "members"}
TOP_OPTIONAL = {"service", "clinician", "format", "interventions", "absent_members"}
SESSION_REQUIRED = {"date", "start", "end", "setting"}
SESSION_OPTIONAL = {"service"}
GROUP_REQUIRED = {"name", "facilitators"}
GROUP_OPTIONAL = {"type", "topic"}
FACILITATOR_REQUIRED = {"name", "credentials"}
MEMBER_REQUIRED = {"client", "attendance"}
# Every per-member field of an individual session file, plus the member's own interventions.
MEMBER_OPTIONAL = {
    "presenting_concerns",
    "observations",
    "interventions",
    "response",
    "goals",
    "homework",
    "measures",
    "risk",
    "assessment",
    "medications",
    "plan",
    "next_session",
    SESSION_FILE_FIELD,  # accepted, never read (core.notes.psychotherapy_note)
}


@dataclass(frozen=True)
class GroupInfo:
    """The shared part of a group session, entered once."""

    name: str
    facilitators: tuple[Clinician, ...]
    group_type: str = ""
    topic: str = ""


@dataclass(frozen=True)
class GroupMember:
    details: SessionDetails  # this member's session, service "group"

    @property
    def client(self) -> Client:
        return self.details.client

    @property
    def attended(self) -> bool:
        return self.details.session.attendance.session_held


@dataclass(frozen=True)
class GroupSession:
    group: GroupInfo
    members: tuple[GroupMember, ...]
    absent_members: AbsentMembers = AbsentMembers.MISSED_NOTE

    @property
    def attended_count(self) -> int:
        return sum(1 for member in self.members if member.attended)

    def noted_members(self) -> tuple[GroupMember, ...]:
        """The members who get a note: attendees, and absentees unless 'none' was chosen."""
        if self.absent_members is AbsentMembers.NONE:
            return tuple(member for member in self.members if member.attended)
        return self.members

    def member(self, code: str) -> GroupMember | None:
        wanted = code.strip().casefold()
        return next((m for m in self.members if m.client.code.strip().casefold() == wanted), None)


def is_group_session(data: object) -> bool:
    """Whether a decoded session file describes a group session (it has `members`)."""
    return isinstance(data, dict) and ("members" in data or data.get("service") == "group")


def _member_session_file(top: dict[str, Any], member: dict[str, Any]) -> dict[str, Any]:
    """The individual session file of one member: shared part plus the member's own."""
    session = {key: value for key, value in top["session"].items() if key != "service"}
    data: dict[str, Any] = {
        "client": member["client"],
        "session": {**session, "service": "group", "attendance": member["attendance"]},
    }
    for key in ("clinician", "format"):
        if key in top:
            data[key] = top[key]
    shared = top.get("interventions", [])
    own = member.get("interventions", [])
    if isinstance(shared, list) and isinstance(own, list) and (shared or own):
        data["interventions"] = [*shared, *own]
    for key in MEMBER_OPTIONAL - {"interventions", SESSION_FILE_FIELD}:
        if key in member:
            data[key] = member[key]
    return data


# Problems about the shared part are reported once, not once per member.
_SHARED_PROBLEM = re.compile(r"^(session|clinician|format|interventions\[\d+\])\b")


def _member_problem(problem: str, index: int, shared_interventions: int) -> str:
    """A member's parse problem with its path in the group file (a shared one as it is)."""
    path, _, message = problem.partition(": ")
    if path.startswith("session.attendance"):
        return f"members[{index}].attendance: {message}"
    match = re.match(r"^interventions\[(\d+)\](.*)$", path)
    if match:
        position = int(match.group(1))
        if position < shared_interventions:
            return problem  # the shared part: said once (the caller skips repeats)
        return f"members[{index}].interventions[{position - shared_interventions}]{match.group(2)}: {message}"
    if _SHARED_PROBLEM.match(path):
        return problem
    return f"members[{index}].{problem}"


def parse_group_session(data: object) -> GroupSession:
    """Validate a decoded group session file; SessionFileError lists every problem."""
    reader = FieldReader("group session file")
    top = reader.obj(data, "", TOP_REQUIRED, TOP_OPTIONAL)
    if top is None:
        raise SessionFileError(reader.problems)
    if "service" in top and top["service"] != "group":
        reader.problem("service", 'a file with members is a group session: use "group"')
    session = reader.obj(top.get("session", {}), "session", SESSION_REQUIRED, SESSION_OPTIONAL)
    if session is not None and session.get("service", "group") != "group":
        reader.problem("session.service", 'a file with members is a group session: use "group"')
    absent = reader.enum(top, "absent_members", "", AbsentMembers, AbsentMembers.MISSED_NOTE)
    group = _parse_group(reader, top.get("group"))
    raw_members = reader.items(top, "members", "")
    if "members" in top and isinstance(top["members"], list) and not raw_members:
        reader.problem("members", "list at least one member")
    if len(raw_members) > GROUP_MAXIMUM_PARTICIPANTS:
        reader.problem(
            "members",
            f"{len(raw_members)} members; a group session (90853) has at most "
            f"{GROUP_MAXIMUM_PARTICIPANTS} participants",
        )
    shared_count = len(top["interventions"]) if isinstance(top.get("interventions"), list) else 0
    members: list[GroupMember] = []
    seen_codes: dict[str, int] = {}
    problems = list(reader.problems)
    for index, raw in enumerate(raw_members):
        member_reader = FieldReader("group session file")
        fields = member_reader.obj(raw, f"members[{index}]", MEMBER_REQUIRED, MEMBER_OPTIONAL)
        if fields is None or member_reader.problems:
            problems.extend(member_reader.problems)
            continue
        if session is None:
            continue
        try:
            details = parse_session(_member_session_file(top, fields))
        except SessionFileError as error:
            for problem in error.problems:
                mapped = _member_problem(problem, index, shared_count)
                if mapped not in problems:
                    problems.append(mapped)
            continue
        code = details.client.code.strip().casefold()
        if code in seen_codes:
            problems.append(
                f"members[{index}].client.code: the same code as members[{seen_codes[code]}]"
            )
        seen_codes.setdefault(code, index)
        members.append(GroupMember(details))
    if problems or group is None:
        raise SessionFileError(problems)
    return GroupSession(group, tuple(members), absent or AbsentMembers.MISSED_NOTE)


def _parse_group(reader: FieldReader, value: object) -> GroupInfo | None:
    fields = reader.obj(value, "group", GROUP_REQUIRED, GROUP_OPTIONAL)
    if fields is None:
        return None
    name = reader.text(fields, "name", "group", required=True)
    facilitators = []
    raw = reader.items(fields, "facilitators", "group")
    if "facilitators" in fields and isinstance(fields["facilitators"], list) and not raw:
        reader.problem("group.facilitators", "list at least one facilitator")
    for index, entry in enumerate(raw):
        path = f"group.facilitators[{index}]"
        facilitator = reader.obj(entry, path, FACILITATOR_REQUIRED, set())
        if facilitator is not None:
            facilitators.append(
                Clinician(
                    reader.text(facilitator, "name", path, required=True),
                    reader.text(facilitator, "credentials", path, required=True),
                )
            )
    return GroupInfo(
        name=name,
        facilitators=tuple(facilitators),
        group_type=reader.text(fields, "type", "group"),
        topic=reader.text(fields, "topic", "group"),
    )


# --- composing ------------------------------------------------------------------------


def group_header_lines(group_session: GroupSession) -> list[str]:
    """The shared part as header lines: no member is named, the roster is counts only."""
    group = group_session.group
    name = group.name.strip()
    if group.group_type.strip():
        name += f" ({group.group_type.strip()})"
    facilitators = "; ".join(f"{c.name}, {c.credentials}" for c in group.facilitators)
    roster = len(group_session.members)
    attended = group_session.attended_count
    lines = [f"- Group: {name}", f"- Facilitators: {facilitators}"]
    if group.topic.strip():
        lines.append(f"- Topic: {group.topic.strip()}")
    lines.append(
        f"- Group roster: {roster} member{'s' if roster != 1 else ''}, "
        f"{attended} attended, {roster - attended} absent"
    )
    return lines


def with_group_header(note_text: str, group_session: GroupSession) -> str:
    """A member's composed or drafted note with the shared part added to its header."""
    lines = "\n".join(group_header_lines(group_session))
    head, separator, rest = note_text.partition("\n\n## ")
    if not separator:
        return f"{note_text.rstrip()}\n{lines}\n"
    return f"{head.rstrip()}\n{lines}{separator}{rest}"


NOTE_SEPARATOR = "---\n"


def join_member_notes(notes: list[str]) -> str:
    """Every member's note, one after the other, separated by a line of `---`."""
    return f"\n{NOTE_SEPARATOR}\n".join(note.rstrip("\n") + "\n" for note in notes)


# --- the check ------------------------------------------------------------------------


def _name_parts(client: Client) -> set[str]:
    return {part for part in re.split(r"[\s,.'-]+", client.name.strip()) if len(part) >= 3}


def other_member_findings(
    member: GroupMember, members: tuple[GroupMember, ...], text: str
) -> list[Finding]:
    """GROUP-OTHER-MEMBER: another member's name (or a part of it) or code in this note."""
    own_parts = {part.casefold() for part in _name_parts(member.client)}
    findings = []
    for index, other in enumerate(members):
        if other is member or other.client.code == member.client.code:
            continue
        words = [other.client.code.strip(), other.client.name.strip()]
        words += [part for part in _name_parts(other.client) if part.casefold() not in own_parts]
        if any(word and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) for word in words):
            findings.append(
                Finding(
                    RULE_OTHER_MEMBER,
                    Severity.ERROR,
                    "",
                    f"this note names or identifies another group member (members[{index}]); "
                    "a member's note is that member's record: refer to others only as "
                    "'group members' or 'a peer'",
                )
            )
    return findings
