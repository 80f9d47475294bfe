"""The guided note form: one question per section, pick lists, and the details it builds."""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Select, Static, TextArea

from core.model import (
    Attendance,
    GoalEntry,
    GoalProgress,
    Homework,
    HomicidalIdeation,
    Instrument,
    MeasureResult,
    NoteFormat,
    Risk,
    RiskLevel,
    SelfHarm,
    Service,
    SessionDetails,
    SessionInfo,
    SessionNote,
    Setting,
    SuicidalIdeation,
)
from tui.widgets.form_values import (
    HI_ORDER,
    ITEM_COUNTS,
    READ_FIELDS,
    SELF_HARM_ORDER,
    SI_ORDER,
    choices,
    entry_problem,
    field_widget_id,
    measure_field,
    measure_text,
    parse_date,
    parse_measure,
    parse_time,
    time_text,
)
from tui.widgets.intervention_picker import DETAIL_FIELD, InterventionPicker

UNADDED_DETAIL = "Intervention: the detail typed is not added yet; press Enter in it, or clear it."


class Question(Static):
    """The one-line question that opens a section of the form."""


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
        yield Question("When was the session, and what kind?")
        with Horizontal(classes="row"):
            yield self._input("session.date", session.date.isoformat(), "YYYY-MM-DD", "date")
            start, end = (session.start, session.end) if self._times_entered else (None, None)
            yield self._input("session.start", time_text(start), "start HH:MM", "start")
            yield self._input("session.end", time_text(end), "end HH:MM", "end")
        yield self._select("session.service", choices(Service), session.service, "service")
        yield self._select("session.setting", choices(Setting), session.setting, "setting")
        yield self._select(
            "session.attendance", choices(Attendance), session.attendance, "attendance"
        )
        yield self._select("format", self._format_choices(), details.format, "note format")

        yield Question("What did the client bring today?")
        yield self._text_area(
            "presenting_concerns", details.presenting_concerns, "what they reported, symptoms"
        )
        yield Question("What did you observe?")
        yield self._text_area("observations", details.observations, "affect, behaviour")

        yield Question("Which interventions did you use?")
        yield InterventionPicker(
            self._modalities, details.interventions, self._typed.get(DETAIL_FIELD, "")
        )

        yield Question("How did the client respond?")
        yield self._text_area("response", details.response, "how they engaged, what changed")

        yield Question("Which goals did you work on, and what showed progress?")
        if not self._goals:
            yield Static("No active goals in the treatment plan.", classes="hint")
        for index, goal in enumerate(self._goals):
            yield Static(goal.description, classes="goal-name", markup=False)
            yield self._select(
                f"goals[{index}].progress",
                choices(GoalProgress, "progress: "),
                goal.progress,
                "progress",
            )
            yield self._input(
                f"goals[{index}].evidence", goal.evidence, "what showed it?", "evidence"
            )

        yield Question("Homework: what was reviewed, what is assigned?")
        yield from self._carry_forward()
        yield self._input("homework.reviewed", details.homework.reviewed, "reviewed", "")
        yield self._input("homework.assigned", details.homework.assigned, "assigned", "")

        yield Question("Measures given today (total or item scores)?")
        given = {result.instrument: result for result in details.measures}
        for instrument in Instrument:
            result = given.get(instrument)
            yield self._input(
                measure_field(instrument),
                measure_text(result) if result else "",
                f"{instrument.value}: total or {ITEM_COUNTS[instrument]} items",
                instrument.value,
            )

        risk = details.risk
        yield Question("Risk: what did you ask, and what did you find?")
        yield self._select(
            "risk.suicidal_ideation",
            choices(SI_ORDER, "suicidal ideation: "),
            risk.suicidal_ideation,
            "suicidal ideation",
        )
        yield self._select(
            "risk.homicidal_ideation",
            choices(HI_ORDER, "homicidal ideation: "),
            risk.homicidal_ideation,
            "homicidal ideation",
        )
        yield self._select(
            "risk.self_harm", choices(SELF_HARM_ORDER, "self-harm: "), risk.self_harm, "self-harm"
        )
        yield Select(
            choices(RiskLevel, "risk level: "),
            value=str(risk.level.value) if risk.level else Select.NULL,
            prompt="risk level: none given",
            id=field_widget_id("risk.level"),
            compact=True,
        )
        yield self._input("risk.details", risk.details, "what was reported", "")
        yield self._input("risk.safety_plan", risk.safety_plan, "safety plan", "")
        yield self._input("risk.actions", risk.actions, "actions taken", "")

        yield Question("What is the plan until next time?")
        yield self._text_area("plan", details.plan, "next steps, frequency, referrals")
        next_session = details.next_session.isoformat() if details.next_session else ""
        yield self._input("next_session", next_session, "next session YYYY-MM-DD", "")

    def _format_choices(self) -> list[tuple[str, str]]:
        return [(value.value.upper(), value.value) for value in NoteFormat]

    def _input(self, field_path: str, value: str, placeholder: str, tooltip: str) -> Input:
        # No select-on-focus: a stray key must not replace a whole entry such as the date.
        widget = Input(
            self._typed.get(field_path, value),
            placeholder=placeholder,
            id=field_widget_id(field_path),
            compact=True,
            select_on_focus=False,
        )
        widget.tooltip = tooltip or None
        return widget

    def _select(self, field_path: str, options, value, prompt: str) -> Select:
        return Select(
            options,
            value=str(value.value) if hasattr(value, "value") else value,
            allow_blank=False,
            prompt=prompt,
            id=field_widget_id(field_path),
            compact=True,
        )

    def _text_area(self, field_path: str, text: str, placeholder: str) -> TextArea:
        return TextArea(
            text,
            placeholder=placeholder,
            id=field_widget_id(field_path),
            soft_wrap=True,
            tab_behavior="focus",
            compact=True,
            classes="long-text",
        )

    def _carry_forward(self) -> ComposeResult:
        last = self._last_note
        if last is None:
            return
        plan = last.details.plan.strip()
        assigned = last.details.homework.assigned.strip()
        if not plan and not assigned:
            return
        when = last.details.session.date.isoformat()
        lines = [f"Last session ({when}):"]
        if assigned:
            lines.append(f"homework assigned: {assigned}")
        if plan:
            lines.append(f"plan: {plan}")
        yield Static("\n".join(lines), id="carry-forward", classes="hint", markup=False)
        yield Button("Pull these in (f5)", id="pull-carry-forward", compact=True)

    def on_mount(self) -> None:
        # Widgets post Changed for their initial values; only edits should count.
        self.call_after_refresh(self._done_filling)

    def _done_filling(self) -> None:
        self._filling = False

    # --- reading the form ---------------------------------------------------

    def _value(self, field_path: str) -> str:
        widget = self.query_one(f"#{field_widget_id(field_path)}")
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, Select):
            return "" if widget.value is Select.NULL else str(widget.value)
        return widget.value

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
        return tuple((field_path, text) for field_path, text, _problem in self._unread())

    def problems(self) -> list[tuple[str, str]]:
        """(field, what to correct) for entries that do not parse; they block signing."""
        found = [(field_path, problem) for field_path, _text, problem in self._unread()]
        start = parse_time(self._value("session.start"))
        end = parse_time(self._value("session.end"))
        if start is not None and end is not None and end <= start:
            found.append(("session.end", "End time must be after the start time."))
        return found

    def details(self) -> SessionDetails:
        """The session as entered; a field that does not parse keeps its last good value."""
        good = self._last_good
        session = SessionInfo(
            date=parse_date(self._value("session.date")) or good.session.date,
            start=parse_time(self._value("session.start")) or good.session.start,
            end=parse_time(self._value("session.end")) or good.session.end,
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
        measures = []
        for instrument in Instrument:
            result = parse_measure(instrument, self._value(measure_field(instrument)))
            if isinstance(result, MeasureResult):
                measures.append(result)
            elif isinstance(result, str):
                measures.extend(m for m in good.measures if m.instrument is instrument)
        level = self._value("risk.level")
        next_text = self._value("next_session").strip()
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
            ),
            measures=tuple(measures),
            risk=Risk(
                suicidal_ideation=SuicidalIdeation(self._value("risk.suicidal_ideation")),
                homicidal_ideation=HomicidalIdeation(self._value("risk.homicidal_ideation")),
                self_harm=SelfHarm(self._value("risk.self_harm")),
                level=RiskLevel(level) if level else None,
                details=self._value("risk.details").strip(),
                safety_plan=self._value("risk.safety_plan").strip(),
                actions=self._value("risk.actions").strip(),
            ),
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

    def set_format(self, note_format: NoteFormat) -> None:
        self.query_one(f"#{field_widget_id('format')}", Select).value = note_format.value

    def pull_carry_forward(self) -> bool:
        """Last session's assigned homework becomes today's reviewed; its plan today's plan."""
        last = self._last_note
        if last is None:
            return False
        reviewed = self.query_one(f"#{field_widget_id('homework.reviewed')}", Input)
        plan = self.query_one(f"#{field_widget_id('plan')}", TextArea)
        assigned = last.details.homework.assigned.strip()
        if assigned and not reviewed.value.strip():
            reviewed.value = assigned
        if last.details.plan.strip() and not plan.text.strip():
            plan.load_text(last.details.plan.strip())
        self._changed("plan")
        return True

    def _changed(self, field_path: str) -> None:
        if not self._filling:
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


_READ_FIELD_BY_WIDGET_ID = {field_widget_id(field_path): field_path for field_path in READ_FIELDS}
