"""The guided note form: one question per section, pick lists, and the details it builds."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import time

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.dom import DOMNode
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Select, Static, TextArea

from core.notes.model import (
    Attendance,
    GoalEntry,
    GoalProgress,
    Homework,
    HomeworkStatus,
    NoteFormat,
    Service,
    SessionDetails,
    SessionNote,
    Setting,
)
from core.notes.note_sections import NotePart
from tui.widgets.assessment_section import AssessmentSection, SessionPeopleSection
from tui.widgets.form_fields import (
    Question,
    field_text,
    labelled_input,
    long_text,
    pick_list,
    text_input,
)
from tui.widgets.form_values import (
    READ_FIELDS,
    choices,
    entry_problem,
    field_widget_id,
    parse_date,
    parse_time,
    time_text,
)
from tui.widgets.intervention_picker import DETAIL_FIELD, InterventionPicker
from tui.widgets.measures_section import MeasuresSection
from tui.widgets.risk_section import RiskSection

UNADDED_DETAIL = "Intervention: the detail typed is not added yet; press Enter in it, or clear it."


class NoteForm(VerticalScroll):
    """Every field of one session, in the order a note is written."""

    @dataclass
    class Changed(Message):
        """Something the clinician entered changed."""

        form: NoteForm
        field: str

    def __init__(
        self,
        details: SessionDetails,
        active_goals: tuple[GoalEntry, ...],
        modalities: dict[str, tuple[str, ...]],
        last_note: SessionNote | None = None,
        *,
        times_entered: bool = True,
        typed: tuple[tuple[str, str], ...] = (),
        id: str | None = None,
    ) -> None:
        """`typed`: entries kept as typed because they did not parse (a draft's form_input)."""
        super().__init__(id=id)
        self._initial = details
        self._times_entered = times_entered
        self._typed = dict(typed)
        self._goals = self._goal_entries(details, active_goals)
        self._modalities = modalities
        self._last_note = last_note
        self._last_good = details
        self._filling = True
        self._complete = False
        self._rest_ids: set[str] = set()  # the widgets mounted after the first paint

    @staticmethod
    def _goal_entries(
        details: SessionDetails, active_goals: tuple[GoalEntry, ...]
    ) -> tuple[GoalEntry, ...]:
        """The note's own goal entries first, then active goals it does not mention yet."""
        known = {entry.id for entry in details.goals}
        return details.goals + tuple(goal for goal in active_goals if goal.id not in known)

    # --- building the form --------------------------------------------------

    def compose(self) -> ComposeResult:
        details = self._initial
        session = details.session
        yield Question("When was the session, and what kind?", NotePart.SESSION)
        with Horizontal(classes="row"):
            yield self._input("session.date", session.date.isoformat(), "YYYY-MM-DD", "date")
            start, end = (session.start, session.end) if self._times_entered else (None, None)
            yield self._input("session.start", time_text(start), "start HH:MM", "start")
            yield self._input("session.end", time_text(end), "end HH:MM", "end")
        yield pick_list("session.service", choices(Service), session.service, "service")
        yield pick_list("session.setting", choices(Setting), session.setting, "setting")
        yield pick_list("session.attendance", choices(Attendance), session.attendance, "attendance")
        yield pick_list("format", self._format_choices(), details.format, "note format")
        yield SessionPeopleSection(
            details.participants, details.telehealth, details.medications, self._typed
        )

        yield Question("What did the client bring today?", NotePart.PRESENTING)
        yield long_text(
            "presenting_concerns", details.presenting_concerns, "what they reported, symptoms"
        )
        yield Question("What did you observe?", NotePart.OBSERVATIONS)
        yield long_text("observations", details.observations, "affect, behaviour")

    def _rest(self) -> ComposeResult:
        """The form below the first screenful: mounted once the editor has been painted."""
        details = self._initial
        yield Question("Which interventions did you use?", NotePart.INTERVENTIONS)
        yield InterventionPicker(
            self._modalities, details.interventions, self._typed.get(DETAIL_FIELD, "")
        )

        yield Question("How did the client respond?", NotePart.RESPONSE)
        yield long_text("response", details.response, "how they engaged, what changed")

        yield Question("Which goals did you work on, and what showed progress?", NotePart.GOALS)
        if not self._goals:
            yield Static("No active goals in the treatment plan.", classes="hint")
        for index, goal in enumerate(self._goals):
            yield Static(goal.description, classes="goal-name", markup=False)
            yield pick_list(
                f"goals[{index}].progress",
                choices(GoalProgress, "progress: "),
                goal.progress,
                "progress",
            )
            yield self._labelled(
                f"goals[{index}].evidence", goal.evidence, "evidence", "what showed it?"
            )

        yield Question("Homework: how did last session's go, what is assigned?", NotePart.HOMEWORK)
        yield Static("", id="carry-forward", classes="hint", markup=False)
        yield Button("Pull in last session's homework (f5)", id="pull-carry-forward", compact=True)
        homework = details.homework
        yield self._labelled(
            "homework.reviewed", homework.reviewed, "last time", "assigned last session"
        )
        yield Select(
            choices(HomeworkStatus, "homework: "),
            value=homework.reviewed_status.value if homework.reviewed_status else Select.NULL,
            prompt="homework: how it went (not chosen)",
            id=field_widget_id("homework.reviewed_status"),
            compact=True,
        )
        yield self._labelled("homework.assigned", homework.assigned, "assigned", "until next time")

        yield MeasuresSection(details.measures, self._typed)
        yield RiskSection(details.risk)
        yield AssessmentSection(details.assessment, self._typed)

        yield Question("What is the plan until next time?", NotePart.PLAN)
        yield long_text("plan", details.plan, "next steps, frequency, referrals")
        next_session = details.next_session.isoformat() if details.next_session else ""
        yield self._labelled("next_session", next_session, "next on", "YYYY-MM-DD")

    def _format_choices(self) -> list[tuple[str, str]]:
        return [(value.value.upper(), value.value) for value in NoteFormat]

    def _input(self, field_path: str, value: str, placeholder: str, tooltip: str) -> Input:
        return text_input(field_path, self._typed.get(field_path, value), placeholder, tooltip)

    def _labelled(self, field_path: str, value: str, label: str, placeholder: str) -> Horizontal:
        return labelled_input(field_path, self._typed.get(field_path, value), label, placeholder)

    def set_last_note(self, last: SessionNote | None) -> None:
        """The note carry-forward reads from: the last held session before this note's date."""
        self._last_note = last
        self._show_carry_forward()

    def _show_carry_forward(self) -> None:
        """Last session's plan and homework, shown as reference beside today's entries."""
        last = self._last_note
        plan = last.details.plan.strip() if last else ""
        assigned = last.details.homework.assigned.strip() if last else ""
        shown = bool(plan or assigned)
        found = self.query("#carry-forward")
        if not found:
            return  # below the first screenful: shown once the rest of the form is mounted
        reference = found.first(Static)
        reference.display = shown
        self.query_one("#pull-carry-forward", Button).display = bool(assigned)
        if not shown or last is None:
            return
        lines = [f"For reference, last session ({last.details.session.date.isoformat()}):"]
        if assigned:
            lines.append(f"homework assigned: {assigned}")
        if plan:
            lines.append(f"plan: {plan}")
        reference.update("\n".join(lines))

    @dataclass
    class Ready(Message):
        """Every field is mounted: the form can be read, saved and checked in full."""

        form: NoteForm

    @property
    def complete(self) -> bool:
        """Whether the whole form is mounted (the part below the first screen comes later)."""
        return self._complete

    def on_mount(self) -> None:
        self._show_carry_forward()
        # Widgets post Changed for their initial values; only edits should count.
        self.call_after_refresh(self._done_filling)
        # The first screenful is painted before the rest (most of the form's ~500 widgets)
        # is built, so the editor opens at once; reading it in full waits for `complete`.
        self.call_after_refresh(self._mount_rest)

    def _done_filling(self) -> None:
        self._filling = False

    async def _mount_rest(self) -> None:
        rest = list(self._rest())
        await self.mount_all(rest)
        self._rest_ids = {"interventions"} | {
            widget.id for part in rest for widget in (part, *part.query("*")) if widget.id
        }
        self.call_after_refresh(self._mounted_in_full)

    def _mounted_in_full(self) -> None:
        self._show_carry_forward()
        self._complete = True
        self.post_message(self.Ready(self))

    # --- reading the form ---------------------------------------------------

    def _value(self, field_path: str) -> str:
        return field_text(self, field_path)

    def _unread(self) -> list[tuple[str, str, str]]:
        """(field, text as typed, what to correct) for each entry that does not parse."""
        found = []
        for field_path in READ_FIELDS:
            text = self._value(field_path)
            problem = entry_problem(field_path, text)
            if problem is not None:
                found.append((field_path, text, problem))
        # Not in the note until added: kept as typed, and signing waits until it is added.
        detail = self.query_one(InterventionPicker).pending_detail
        if detail.strip():
            found.append((DETAIL_FIELD, detail, UNADDED_DETAIL))
        return found

    def unread_input(self) -> tuple[tuple[str, str], ...]:
        """(field, text as typed) for entries the session cannot hold yet: saved with the draft."""
        if not self._complete:
            return tuple(self._typed.items())
        return tuple((field_path, text) for field_path, text, _problem in self._unread())

    def problems(self) -> list[tuple[str, str]]:
        """(field, what to correct) for entries that do not parse; they block signing."""
        if not self._complete:
            return []  # said once the whole form is there (NoteForm.Ready)
        found = [(field_path, problem) for field_path, _text, problem in self._unread()]
        start = parse_time(self._value("session.start"))
        end = parse_time(self._value("session.end"))
        if start is not None and end is not None and end <= start:
            found.append(("session.end", "End time must be after the start time."))
        return found

    def details(self) -> SessionDetails:
        """The session as entered; a field that does not parse keeps its last good value."""
        good = self._last_good
        if not self._complete:
            return good  # as given, until every field is mounted
        start = parse_time(self._value("session.start"))
        end = parse_time(self._value("session.end"))
        if start is None or end is None:
            # One time unreadable: give both the readable one (0 minutes), so the
            # preview says "not entered" instead of pairing it with a placeholder.
            # What was typed is kept by unread_input() and restored on reopening.
            start = end = start or end or time(0, 0)
        # replace(), not a new SessionInfo: a session number or previous date read
        # from an imported session file stays with the note.
        session = replace(
            good.session,
            date=parse_date(self._value("session.date")) or good.session.date,
            start=start,
            end=end,
            service=Service(self._value("session.service")),
            setting=Setting(self._value("session.setting")),
            attendance=Attendance(self._value("session.attendance")),
        )
        goals = tuple(
            replace(
                goal,
                progress=GoalProgress(self._value(f"goals[{index}].progress")),
                evidence=self._value(f"goals[{index}].evidence").strip(),
            )
            for index, goal in enumerate(self._goals)
        )
        next_text = self._value("next_session").strip()
        people = self.query_one(SessionPeopleSection)
        details = replace(
            good,
            session=session,
            format=NoteFormat(self._value("format")),
            presenting_concerns=self._value("presenting_concerns").strip(),
            observations=self._value("observations").strip(),
            interventions=self.query_one(InterventionPicker).interventions,
            response=self._value("response").strip(),
            goals=goals,
            homework=Homework(
                reviewed=self._value("homework.reviewed").strip(),
                assigned=self._value("homework.assigned").strip(),
                reviewed_status=HomeworkStatus(status)
                if (status := self._value("homework.reviewed_status"))
                else None,
            ),
            measures=self.query_one(MeasuresSection).results(good.measures),
            risk=self.query_one(RiskSection).risk(),
            assessment=self.query_one(AssessmentSection).assessment(good.assessment),
            participants=people.participants(good.participants),
            telehealth=people.telehealth(),
            medications=people.medications(),
            plan=self._value("plan").strip(),
            next_session=parse_date(next_text) if next_text else None,
        )
        self._last_good = details
        return details

    def set_context(self, details: SessionDetails) -> None:
        """Take the vault's context (scores, previous note) without touching the fields."""
        self._last_good = replace(self._last_good, context=details.context)

    # --- acting on the form -------------------------------------------------

    def focus_field(self, field_path: str) -> bool:
        """Focus the widget for a finding's field (`risk.safety_plan`, `goals[0]`); False if none."""
        if field_path.startswith("measures") and not self.query(f"#{field_widget_id(field_path)}"):
            field_path = "measures.phq9"
        if field_path == "goals" and self._goals:
            field_path = "goals[0].progress"
        parts = field_path.split(".")
        for length in range(len(parts), 0, -1):
            candidate = ".".join(parts[:length])
            for widget_id in (field_widget_id(candidate), field_widget_id(candidate + ".progress")):
                matches = self.query(f"#{widget_id}")
                if matches:
                    widget = matches.first()
                    widget.focus()
                    self.scroll_to_widget(widget, top=True)
                    return True
        return False

    def _section_starts(self) -> list[tuple[NotePart, Widget]]:
        """Each part of the form with the child of the form that opens it, in order."""
        starts: list[tuple[NotePart, Widget]] = []
        for child in self.children:
            question = _opening_question(child)
            if question is not None:
                starts.append((question.part, child))
        return starts

    def part_of(self, widget: Widget | None) -> NotePart | None:
        """The part of the form holding `widget` (the section it feeds), or None if outside."""
        node: DOMNode | None = widget
        while node is not None and node.parent is not self:
            node = node.parent
        if node is None:
            return None
        part: NotePart | None = None
        for child in self.children:
            question = _opening_question(child)
            part = question.part if question is not None else part
            if child is node:
                return part
        return None

    def focus_part(self, step: int) -> NotePart | None:
        """Focus the first field of the next (step 1) or previous (-1) section; its part or None.

        Sections are counted by position, not by part: several sections can feed one part
        (who was there and the telehealth line belong to the session's header).
        """
        starts = self._section_starts()
        children = list(self.children)
        node: DOMNode | None = self.screen.focused
        while node is not None and node.parent is not self:
            node = node.parent
        if not isinstance(node, Widget):
            index = 0 if step > 0 else len(starts) - 1
        else:
            position = children.index(node)
            holding = [
                i for i, (_part, child) in enumerate(starts) if children.index(child) <= position
            ]
            index = (holding[-1] if holding else -1) + step
        return self._focus_section(starts, index)

    def focus_part_named(self, part: NotePart) -> NotePart | None:
        """Focus the first field of `part` (where the clinician comes back to the form)."""
        starts = self._section_starts()
        parts = [each for each, _child in starts]
        return self._focus_section(starts, parts.index(part)) if part in parts else None

    def _focus_section(self, starts: list[tuple[NotePart, Widget]], index: int) -> NotePart | None:
        if not 0 <= index < len(starts):
            return None
        part, start = starts[index]
        end = starts[index + 1][1] if index + 1 < len(starts) else None
        children = list(self.children)
        stop = children.index(end) if end is not None else len(children)
        for child in children[children.index(start) : stop]:
            for widget in (child, *child.query("*")):
                if widget.focusable:
                    widget.focus(scroll_visible=False)
                    self.scroll_to_widget(start, top=True, animate=False)
                    return part
        return None

    def set_format(self, note_format: NoteFormat) -> None:
        self.query_one(f"#{field_widget_id('format')}", Select).value = note_format.value

    def pull_carry_forward(self) -> bool:
        """Last session's assigned homework becomes today's "assigned last session".

        Only that: how it went stays for the clinician to choose, and today's plan is
        never written from last session's (it is shown beside the form as reference).
        """
        last = self._last_note
        if last is None:
            return False
        reviewed = self.query_one(f"#{field_widget_id('homework.reviewed')}", Input)
        assigned = last.details.homework.assigned.strip()
        if assigned and not reviewed.value.strip():
            reviewed.value = assigned
        self._changed("homework.reviewed")
        return True

    def _changed(self, field_path: str) -> None:
        if self._filling or (not self._complete and field_path in self._rest_ids):
            return  # a field's initial value, not an edit
        self.post_message(self.Changed(self, field_path))

    @on(Button.Pressed, "#pull-carry-forward")
    def _on_pull_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.pull_carry_forward()

    @on(InterventionPicker.Changed)
    def _on_interventions_changed(self, event: InterventionPicker.Changed) -> None:
        event.stop()
        self._changed("interventions")

    @on(Select.Changed)
    def _on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._changed(event.select.id or "")

    @on(Input.Changed)
    def _on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._mark_validity(event.input)
        self._changed(event.input.id or "")

    @on(TextArea.Changed)
    def _on_text_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._changed(event.text_area.id or "")

    def _mark_validity(self, widget: Input) -> None:
        field_path = _READ_FIELD_BY_WIDGET_ID.get(widget.id or "")
        if field_path is not None:
            widget.set_class(entry_problem(field_path, widget.value) is not None, "-invalid")


def _opening_question(child: Widget) -> Question | None:
    """The question a child of the form opens with (itself, or a section's first line)."""
    if isinstance(child, Question):
        return child
    if child.children and isinstance(child.children[0], Question):
        return child.children[0]  # the measures and risk sections
    return None


_READ_FIELD_BY_WIDGET_ID = {field_widget_id(field_path): field_path for field_path in READ_FIELDS}
