"""A group session in the app: the shared part once, then member by member, one draft each.

The entries become a group session file and go through core.notes.group_session,
so the app and `clinote draft group.json` write the same notes. Each member's
preview shows that member's note and its findings (GROUP-OTHER-MEMBER
included); at the end every member's note is saved as that member's draft, to
be reviewed and signed on its own from the client's notes.

Until then what was typed (the shared part, the roster, each member's entries
and where the walk stands) is kept in the vault (storage.records.form_drafts)
at a lock, hangup or quit: unlocking, or the next `g`, reopens the walk as it
was. It is dropped once every member's draft is saved, or when Esc leaves from
the first step.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Markdown, Select, Static, TextArea

from core.checks.review import check_note
from core.notes.composer import compose_note
from core.notes.group_entries import parse_facilitators, parse_interventions
from core.notes.group_session import (
    GroupSession,
    other_member_findings,
    parse_group_session,
    with_group_header,
)
from core.notes.model import (
    Attendance,
    GoalProgress,
    GoalStatus,
    NoteStatus,
    SessionNote,
    Setting,
    new_id,
)
from core.notes.session_file import SessionFileError
from core.text_safety import escape_control
from storage.records.form_drafts import GROUP_SESSION_FORM_KEY
from storage.records.group_rosters import GroupRoster
from tui.errors import describe_error
from tui.resume import ResumePoint, return_to_field
from tui.screens.group_session_keeping import GroupSessionKeeping
from tui.widgets.findings_list import FindingsList

if TYPE_CHECKING:
    from storage.records.repositories import Repositories
    from tui.app import ClinoteApp

FIELD_TITLES = {
    "group-name": "group name",
    "group-type": "type",
    "group-members": "member codes",
    "group-topic": "topic",
    "group-facilitators": "facilitators",
    "group-date": "date",
    "group-start": "start",
    "group-end": "end",
}
SETTINGS = [(setting.value.replace("_", " "), setting.value) for setting in Setting]
ATTENDANCE = [(value.value.replace("_", " "), value.value) for value in Attendance]
PROGRESS = [(value.value.replace("_", " "), value.value) for value in GoalProgress]


class GroupSessionScreen(GroupSessionKeeping, Screen[None]):
    """Step 0 asks the shared part; each further step one member; ctrl+s moves on."""

    app: ClinoteApp  # typed, so self.app.repos type-checks

    DEFAULT_CSS = """
    GroupSessionScreen #group-body { height: 1fr; }
    GroupSessionScreen #group-form { width: 1fr; }
    GroupSessionScreen #group-side { width: 1fr; }
    GroupSessionScreen #group-preview { height: 2fr; border: round $primary 50%; }
    GroupSessionScreen #group-findings { height: 1fr; }
    GroupSessionScreen #group-problem { color: $text-error; height: auto; }
    GroupSessionScreen TextArea { height: 4; }
    GroupSessionScreen .member { display: none; }
    GroupSessionScreen.-member .member { display: block; }
    GroupSessionScreen.-member .shared { display: none; }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", id="group.back", tooltip="Previous step, or leave"),
        Binding(
            "ctrl+s",
            "next",
            "Next",
            id="group.next",
            tooltip="Next member; after the last, save every member's draft",
        ),
    ]

    def __init__(self, *, resume: ResumePoint | None = None) -> None:
        super().__init__()
        self._resume = resume  # after an unlock: the field and cursor to return to
        self._saved_state: dict[str, Any] | None = None  # as last kept in the vault
        self._untouched_state: dict[str, Any] | None = None  # as opened, nothing typed
        self.step = 0  # 0: the shared part; n: member n
        self.roster: list[Any] = []  # the members' clients, in roster order
        self.entries: dict[str, dict[str, Any]] = {}  # per client id, the member's fields
        self.group_session: GroupSession | None = None
        # One note id per member, so saving again (after a lock, then at the end) updates
        # the same drafts instead of adding more; with each draft's updated_at as this
        # walk saved it, so a draft changed, signed or deleted since is left alone.
        self.note_ids: dict[str, str] = {}
        self.note_stamps: dict[str, str] = {}

    @property
    def repos(self) -> Repositories:
        return self.app.repos

    def compose(self) -> ComposeResult:
        settings = self.repos.settings.load()
        facilitator = (
            f"{settings.clinician.name}, {settings.clinician.credentials}"
            if settings.clinician
            else ""
        )
        rosters = [(roster.name, roster.name) for roster in self.repos.group_rosters.list()]
        yield Static("New group session", id="group-title", markup=False)
        with Horizontal(id="group-body"):
            with VerticalScroll(id="group-form", can_focus=False):
                with Vertical(classes="shared"):
                    yield Label("Saved group (or type a new one below)")
                    yield Select(rosters, prompt="new group", id="group-roster")
                    yield Input(placeholder="group name", id="group-name")
                    yield Input(placeholder="type, e.g. DBT skills group", id="group-type")
                    yield Input(placeholder="member codes, comma-separated", id="group-members")
                    yield Input(placeholder="topic", id="group-topic")
                    yield Input(
                        facilitator, placeholder="Name, CRED; Name, CRED", id="group-facilitators"
                    )
                    yield Input(date.today().isoformat(), placeholder="date", id="group-date")
                    with Horizontal(classes="times"):
                        yield Input(placeholder="start HH:MM", id="group-start")
                        yield Input(placeholder="end HH:MM", id="group-end")
                    yield Select(
                        SETTINGS,
                        value=Setting.IN_PERSON.value,
                        allow_blank=False,
                        id="group-setting",
                    )
                    yield Label("Interventions, one per line: technique (modality): purpose")
                    yield TextArea(id="group-interventions", soft_wrap=True, tab_behavior="focus")
                with Vertical(classes="member"):
                    yield Static("", id="member-title", markup=False)
                    yield Select(
                        ATTENDANCE,
                        value=Attendance.ATTENDED.value,
                        allow_blank=False,
                        id="member-attendance",
                    )
                    yield Label("Participation and observations")
                    yield TextArea(id="member-observations", soft_wrap=True, tab_behavior="focus")
                    yield Label("Response")
                    yield TextArea(id="member-response", soft_wrap=True, tab_behavior="focus")
                    yield Vertical(id="member-goals")
                    yield Label("Plan")
                    yield TextArea(id="member-plan", soft_wrap=True, tab_behavior="focus")
                yield Static("", id="group-problem", markup=False)
            with Vertical(id="group-side"):
                with VerticalScroll(id="group-preview"):
                    yield Markdown("", id="group-note")
                yield FindingsList(id="group-findings")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._untouched_state = self._saved_state = self._form_state()
        drafts = self.app.form_drafts
        stored = drafts.get(GROUP_SESSION_FORM_KEY) if drafts is not None else None
        if stored:
            self._restore(stored)
            self._saved_state = stored
            if self._resume is None:
                self.notify("The group session you had not finished is back.", timeout=6)
        if self._resume is not None and self._resume.form_focus_id:
            self.call_after_refresh(
                return_to_field, self, self._resume.form_focus_id, self._resume.form_cursor
            )
        elif self.step == 0:
            self.query_one("#group-name").focus()  # the first Tab went to the form's frame
        # Each box says what it holds once filled (placeholders go when typed over).
        for field_id, title in FIELD_TITLES.items():
            self.query_one(f"#{field_id}", Input).border_title = title

    # --- the shared part ------------------------------------------------------

    @on(Select.Changed, "#group-roster")
    def _on_roster_chosen(self, event: Select.Changed) -> None:
        if event.value is Select.BLANK:
            return
        roster = self.repos.group_rosters.find_by_name(str(event.value))
        if roster is None:
            return
        codes = [
            client.code
            for client_id in roster.client_ids
            if (client := self.repos.clients.get(client_id)) is not None
        ]
        self.query_one("#group-name", Input).value = roster.name
        self.query_one("#group-type", Input).value = roster.group_type
        self.query_one("#group-members", Input).value = ", ".join(codes)

    def _value(self, widget_id: str) -> str:
        widget = self.query_one(widget_id)
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, Select):
            return str(widget.value)
        assert isinstance(widget, Input)
        return widget.value

    def _roster_clients(self) -> list[Any] | str:
        """The clients named by code, or what is wrong (one line)."""
        codes = [code.strip() for code in self._value("#group-members").split(",") if code.strip()]
        if not codes:
            return "List the members' client codes, separated by commas."
        clients = []
        for code in codes:
            client = self.repos.clients.find_by_code(code)
            if client is None:
                return f"No client has the code {code}; check the member codes."
            clients.append(client)
        return clients

    def _session_file(self) -> dict[str, Any]:
        """The group session file the entries describe (checked by core.notes.group_session)."""
        settings = self.repos.settings.load()
        data: dict[str, Any] = {
            "service": "group",
            "session": {
                "date": self._value("#group-date").strip(),
                "start": self._value("#group-start").strip(),
                "end": self._value("#group-end").strip(),
                "setting": self._value("#group-setting"),
            },
            "format": settings.default_format.value,
            "group": {
                "name": self._value("#group-name").strip(),
                "type": self._value("#group-type").strip(),
                "topic": self._value("#group-topic").strip(),
                "facilitators": parse_facilitators(self._value("#group-facilitators")),
            },
            "interventions": parse_interventions(self._value("#group-interventions")),
            "members": [self._member_file(client) for client in self.roster],
        }
        if settings.clinician is not None:
            data["clinician"] = {
                "name": settings.clinician.name,
                "credentials": settings.clinician.credentials,
            }
        return data

    def _member_file(self, client: Any) -> dict[str, Any]:
        entry = self.entries.get(client.id, {})
        member: dict[str, Any] = {
            "client": {
                "name": client.name,
                "code": client.code,
                "diagnoses": [{"code": d.code, "label": d.label} for d in client.diagnoses],
            },
            "attendance": entry.get("attendance", Attendance.ATTENDED.value),
        }
        if client.dob is not None:
            member["client"]["dob"] = client.dob.isoformat()
        for key in ("observations", "response", "plan"):
            if entry.get(key, "").strip():
                member[key] = entry[key].strip()
        if entry.get("goals"):
            member["goals"] = entry["goals"]
        return member

    def _parsed(self) -> GroupSession | str:
        try:
            return parse_group_session(self._session_file())
        except SessionFileError as error:
            return f"{error.problems[0]}" + (
                f" (and {len(error.problems) - 1} more)" if len(error.problems) > 1 else ""
            )

    # --- members ---------------------------------------------------------------

    def _show_member(self) -> None:
        client = self.roster[self.step - 1]
        entry = self.entries.setdefault(client.id, {})
        self.add_class("-member")
        self.query_one("#member-title", Static).update(
            f"Member {self.step} of {len(self.roster)}: {client.name} ({client.code})"
        )
        self.query_one("#member-attendance", Select).value = entry.get(
            "attendance", Attendance.ATTENDED.value
        )
        for key in ("observations", "response", "plan"):
            self.query_one(f"#member-{key}", TextArea).load_text(entry.get(key, ""))
        goals = self.query_one("#member-goals", Vertical)
        goals.remove_children()
        plan = self.repos.plans.get(client.id)
        chosen = {goal["id"]: goal for goal in entry.get("goals", [])}
        for index, goal in enumerate(g for g in plan.goals if g.status is GoalStatus.ACTIVE):
            progress = chosen.get(goal.id, {}).get("progress", GoalProgress.NOT_ADDRESSED.value)
            goals.mount(Label(f"Goal: {goal.description}", markup=False))
            goals.mount(
                # Ids per step: the previous member's goals may still be on their way out.
                Select(
                    PROGRESS,
                    value=progress,
                    allow_blank=False,
                    id=f"member-goal-{self.step}-{index}",
                )
            )
        entry["_goals"] = [g for g in plan.goals if g.status is GoalStatus.ACTIVE]
        self.query_one("#member-attendance").focus()
        self.refresh_preview()

    def _keep_member_entries(self) -> None:
        if self.step == 0:
            return
        client = self.roster[self.step - 1]
        entry = self.entries.setdefault(client.id, {})
        entry["attendance"] = self._value("#member-attendance")
        for key in ("observations", "response", "plan"):
            entry[key] = self._value(f"#member-{key}")
        goals = []
        for index, goal in enumerate(entry.get("_goals", [])):
            found = self.query(f"#member-goal-{self.step}-{index}")
            if found:
                progress = str(found.first(Select).value)
                goals.append({"id": goal.id, "description": goal.description, "progress": progress})
        entry["goals"] = goals

    @on(TextArea.Changed)
    @on(Select.Changed, ".member Select, #member-goals Select")
    def _on_member_changed(self) -> None:
        if self.step > 0:
            self._keep_member_entries()
            self.refresh_preview()

    def refresh_preview(self) -> None:
        """The current member's note and its findings, as they would be saved."""
        parsed = self._parsed()
        problem = self.query_one("#group-problem", Static)
        if isinstance(parsed, str):
            problem.update(parsed)
            return
        problem.update("")
        self.group_session = parsed
        member = parsed.members[self.step - 1]
        text = with_group_header(compose_note(member.details), parsed)
        findings = [
            *check_note(member.details, text),
            *other_member_findings(member, parsed.members, text),
        ]
        self.query_one("#group-note", Markdown).update(text)
        self.query_one(FindingsList).set_findings(findings)

    # --- moving on ---------------------------------------------------------------

    def action_next(self) -> None:
        problem = self.query_one("#group-problem", Static)
        if self.step == 0:
            roster = self._roster_clients()
            if isinstance(roster, str):
                problem.update(roster)
                return
            self.roster = roster
            parsed = self._parsed()
            if isinstance(parsed, str):
                problem.update(parsed)
                return
            self.step = 1
            self._show_member()
            return
        self._keep_member_entries()
        if self.step < len(self.roster):
            self.step += 1
            self._show_member()
            return
        self._save_all()

    def _write_drafts(self, parsed: GroupSession) -> tuple[int, list[str]]:
        """Every noted member's note as that member's draft: (how many saved, the codes of
        members whose draft was changed, signed or deleted outside this walk, left alone)."""
        saved, left_alone = 0, []
        for member in parsed.noted_members():
            client = next(c for c in self.roster if c.code == member.client.code)
            note_id = self.note_ids.get(client.id)
            if note_id is not None and not self._still_this_walks(note_id):
                left_alone.append(client.code)
                continue
            details = replace(member.details, client=client)
            text = with_group_header(compose_note(details), parsed)
            note = SessionNote(
                client_id=client.id,
                details=details,
                text=text,
                text_source="edited",
                id=note_id or new_id(),
            )
            stored = self.repos.notes.save_draft(note)
            self.note_ids[client.id] = stored.id
            self.note_stamps[stored.id] = _stamp(stored)
            saved += 1
        return saved, left_alone

    def _still_this_walks(self, note_id: str) -> bool:
        """The draft is as this walk last saved it: not edited, signed or deleted since."""
        stored = self.repos.notes.get(note_id)
        return (
            stored is not None
            and stored.status is NoteStatus.DRAFT
            and _stamp(stored) == self.note_stamps.get(note_id)
        )

    def save_draft_now(self, *, force: bool = False) -> None:
        """At a lock, hangup or quit: the members walked so far are kept as their drafts,
        and everything typed (the shared part too) for the walk to go on after the unlock."""
        if not self.is_mounted:
            return
        self._keep_member_entries()
        try:
            if self.step > 0:
                parsed = self._parsed()
                if not isinstance(parsed, str):
                    self._write_drafts(parsed)
        finally:
            # After the drafts (their ids are kept too, so finishing updates the same
            # drafts), and even when one could not be written: what was typed stays.
            self._keep_form_state()

    def _save_all(self) -> None:
        parsed = self._parsed()
        if isinstance(parsed, str):
            self.query_one("#group-problem", Static).update(parsed)
            return
        repos = self.repos
        try:
            saved, left_alone = self._write_drafts(parsed)
        except Exception as error:  # noqa: BLE001 - one line; every entry stays on screen
            self.query_one("#group-problem", Static).update(describe_error(error))
            return
        name = self._value("#group-name").strip()
        existing = repos.group_rosters.find_by_name(name)
        roster = GroupRoster(
            name=name,
            client_ids=tuple(client.id for client in self.roster),
            group_type=self._value("#group-type").strip(),
        )
        repos.group_rosters.save(replace(roster, id=existing.id) if existing else roster)
        self._drop_form_state()  # every member's entries are in their drafts now
        self.notify(
            f"Saved {saved} member draft(s); review and sign each from the client's notes.",
            timeout=6,
        )
        if left_alone:
            self.notify(
                f"Left as they are (changed, signed or deleted since this walk saved them): "
                f"{escape_control(', '.join(left_alone))}.",
                severity="warning",
                markup=False,
                timeout=10,
            )
        self.app.pop_screen()

    def action_back(self) -> None:
        if self.step == 0:
            self._drop_form_state()
            self.app.pop_screen()
            return
        self._keep_member_entries()
        self.step -= 1
        if self.step == 0:
            self.remove_class("-member")
            self.query_one("#group-name").focus()
        else:
            self._show_member()


def _stamp(note: SessionNote) -> str:
    return note.updated_at.isoformat() if note.updated_at else ""
