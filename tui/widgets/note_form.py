"""The guided note form: one question per section, pick lists, and the details it builds."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, time

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from core.model import (
    Attendance,
    GoalEntry,
    GoalProgress,
    Homework,
    HomicidalIdeation,
    Instrument,
    Intervention,
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

# How each enum value reads in a pick list; anything not listed reads as its value.
LABELS: dict[str, str] = {
    "family_with_client": "family, client present",
    "family_without_client": "family, client absent",
    "in_person": "in person",
    "telehealth_video": "telehealth (video)",
    "telehealth_audio": "telehealth (audio only)",
    "late_arrival": "attended, arrived late",
    "no_show": "no-show",
    "late_cancel": "late cancellation",
    "not_addressed": "not addressed",
    "not_assessed": "not assessed",
    "active_no_plan": "active, no plan",
    "active_with_plan": "active, with plan",
    "recent": "recent self-harm",
}

ITEM_COUNTS = {Instrument.PHQ9: 9, Instrument.GAD7: 7, Instrument.PCL5: 20}
ITEM_MAXIMA = {Instrument.PHQ9: 3, Instrument.GAD7: 3, Instrument.PCL5: 4}

# Not assessed comes first: it is the default, and a denial must be chosen.
SI_ORDER = (
    SuicidalIdeation.NOT_ASSESSED,
    SuicidalIdeation.DENIED,
    SuicidalIdeation.PASSIVE,
    SuicidalIdeation.ACTIVE_NO_PLAN,
    SuicidalIdeation.ACTIVE_WITH_PLAN,
)
HI_ORDER = (HomicidalIdeation.NOT_ASSESSED, HomicidalIdeation.DENIED, HomicidalIdeation.PRESENT)
SELF_HARM_ORDER = (SelfHarm.NOT_ASSESSED, SelfHarm.DENIED, SelfHarm.RECENT)


def label_for(value: str) -> str:
    return LABELS.get(value, value.replace("_", " "))


def choices(values, prefix: str = "") -> list[tuple[str, str]]:
    """Pick-list options; the prefix names the item when several lists look alike."""
    return [(prefix + label_for(str(value.value)), str(value.value)) for value in values]


def field_widget_id(field_path: str) -> str:
    """The widget id of a session-file field path such as `risk.safety_plan`."""
    return "f-" + re.sub(r"[^a-z0-9]+", "-", field_path.lower()).strip("-")


def parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def parse_time(text: str) -> time | None:
    match = re.fullmatch(r"\s*(\d{1,2}):?(\d{2})\s*", text)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def parse_measure(instrument: Instrument, text: str) -> MeasureResult | str | None:
    """A total or every item score; a one-line problem when it is neither; None when empty."""
    numbers = re.findall(r"-?\d+", text)
    if not text.strip():
        return None
    if len(re.findall(r"\S+", text.replace(",", " "))) != len(numbers):
        return f"{instrument.value}: use numbers only"
    count, item_max = ITEM_COUNTS[instrument], ITEM_MAXIMA[instrument]
    values = [int(number) for number in numbers]
    if len(values) == 1:
        if not 0 <= values[0] <= count * item_max:
            return f"{instrument.value}: total must be 0-{count * item_max}"
        return MeasureResult(instrument, total=values[0])
    if len(values) != count:
        return f"{instrument.value}: give the total or all {count} item scores"
    if any(not 0 <= value <= item_max for value in values):
        return f"{instrument.value}: each item is 0-{item_max}"
    return MeasureResult(instrument, items=tuple(values))


def measure_text(result: MeasureResult) -> str:
    if result.items is not None:
        return " ".join(str(item) for item in result.items)
    return "" if result.total is None else str(result.total)


def time_text(value: time | None) -> str:
    return "" if value is None else value.strftime("%H:%M")


class InterventionList(OptionList):
    """The interventions chosen so far; Delete removes the highlighted one."""

    BINDINGS = [
        Binding("delete,backspace", "remove", "Remove", id="editor.remove_intervention"),
    ]

    @dataclass
    class Removed(Message):
        index: int

    def action_remove(self) -> None:
        if self.highlighted is not None:
            self.post_message(self.Removed(self.highlighted))


class Question(Static):
    """The one-line question that opens a section of the form."""


class NoteForm(VerticalScroll):
    """Every field of one session, in the order a note is written."""

    @dataclass
    class Changed(Message):
        """Something the clinician entered changed."""

        form: NoteForm
        field: str

    @dataclass
    class CarryForwardPulled(Message):
        """Last session's plan and homework were pulled in."""

        form: NoteForm

    def __init__(
        self,
        details: SessionDetails,
        active_goals: tuple[GoalEntry, ...],
        modalities: dict[str, tuple[str, ...]],
        last_note: SessionNote | None = None,
        *,
        times_entered: bool = True,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._initial = details
        self._times_entered = times_entered
        self._goals = self._goal_entries(details, active_goals)
        self._modalities = modalities
        self._last_note = last_note
        self._interventions: list[Intervention] = list(details.interventions)
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
        modalities = list(self._modalities)
        first = modalities[0] if modalities else ""
        yield self._select(
            "interventions", [(name, name) for name in modalities], first, "modality"
        )
        yield Select(
            [(name, name) for name in self._modalities.get(first, ())],
            prompt="technique",
            id="f-technique",
            compact=True,
        )
        yield Input(
            placeholder="what for? Enter adds it",
            id="f-intervention-detail",
            compact=True,
        )
        yield Button("Add intervention", id="add-intervention", compact=True)
        yield InterventionList(id="f-intervention-list", compact=True)

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
                f"measures.{instrument.name.lower()}",
                measure_text(result) if result else "",
                f"{instrument.value}: total or {ITEM_COUNTS[instrument]} items",
                instrument.value,
            )

        risk = details.risk
        yield Question("Risk: what did you ask, and what did you find?")
        yield self._select(
            "risk.suicidal_ideation", choices(SI_ORDER), risk.suicidal_ideation, "SI"
        )
        yield self._select(
            "risk.homicidal_ideation", choices(HI_ORDER), risk.homicidal_ideation, "HI"
        )
        yield self._select("risk.self_harm", choices(SELF_HARM_ORDER), risk.self_harm, "self-harm")
        yield Select(
            choices(RiskLevel),
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
            value,
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
        self._refresh_intervention_list()
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

    def problems(self) -> list[tuple[str, str]]:
        """(field, what to correct) for entries that do not parse; they block signing."""
        found = []
        if parse_date(self._value("session.date")) is None:
            found.append(("session.date", "Date of service: enter it as YYYY-MM-DD."))
        start = parse_time(self._value("session.start"))
        end = parse_time(self._value("session.end"))
        if start is None:
            found.append(("session.start", "Start time: enter it as HH:MM."))
        if end is None:
            found.append(("session.end", "End time: enter it as HH:MM."))
        if start is not None and end is not None and end <= start:
            found.append(("session.end", "End time must be after the start time."))
        next_text = self._value("next_session").strip()
        if next_text and parse_date(next_text) is None:
            found.append(("next_session", "Next session: enter it as YYYY-MM-DD."))
        for instrument in Instrument:
            field_path = f"measures.{instrument.name.lower()}"
            result = parse_measure(instrument, self._value(field_path))
            if isinstance(result, str):
                found.append((field_path, result + "."))
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
            result = parse_measure(instrument, self._value(f"measures.{instrument.name.lower()}"))
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
            interventions=tuple(self._interventions),
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
        self.post_message(self.CarryForwardPulled(self))
        self._changed("plan")
        return True

    def _refresh_intervention_list(self) -> None:
        listing = self.query_one(InterventionList)
        listing.clear_options()
        listing.add_options(
            Option(
                f"{item.modality}: {item.technique}" + (f" — {item.detail}" if item.detail else "")
            )
            for item in self._interventions
        )
        listing.display = bool(self._interventions)
        if self._interventions:
            listing.highlighted = len(self._interventions) - 1

    def _add_intervention(self) -> None:
        modality = self._value("interventions")
        technique = self.query_one("#f-technique", Select)
        detail = self.query_one("#f-intervention-detail", Input)
        if technique.value is Select.NULL:
            self.app.notify("Choose a technique first.", severity="warning")
            technique.focus()
            return
        self._interventions.append(
            Intervention(modality, str(technique.value), detail.value.strip())
        )
        detail.value = ""
        technique.clear()
        self._refresh_intervention_list()
        technique.focus()
        self._changed("interventions")

    def _changed(self, field_path: str) -> None:
        if not self._filling:
            self.post_message(self.Changed(self, field_path))

    @on(Button.Pressed, "#add-intervention")
    def _on_add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._add_intervention()

    @on(Button.Pressed, "#pull-carry-forward")
    def _on_pull_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.pull_carry_forward()

    @on(Input.Submitted, "#f-intervention-detail")
    def _on_detail_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._add_intervention()

    @on(InterventionList.Removed)
    def _on_intervention_removed(self, event: InterventionList.Removed) -> None:
        event.stop()
        if 0 <= event.index < len(self._interventions):
            del self._interventions[event.index]
            self._refresh_intervention_list()
            self._changed("interventions")

    @on(Select.Changed)
    def _on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        widget_id = event.select.id or ""
        if widget_id == field_widget_id("interventions"):
            techniques = self._modalities.get(str(event.value), ())
            self.query_one("#f-technique", Select).set_options((t, t) for t in techniques)
            return
        if widget_id == "f-technique":
            return
        self._changed(widget_id)

    @on(Input.Changed)
    def _on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.id == "f-intervention-detail":
            return
        self._mark_validity(event.input)
        self._changed(event.input.id or "")

    @on(TextArea.Changed)
    def _on_text_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._changed(event.text_area.id or "")

    def _mark_validity(self, widget: Input) -> None:
        widget_id = widget.id or ""
        text = widget.value
        if widget_id in (field_widget_id("session.date"), field_widget_id("next_session")):
            ok = (not text.strip() and widget_id != field_widget_id("session.date")) or parse_date(
                text
            ) is not None
        elif widget_id in (field_widget_id("session.start"), field_widget_id("session.end")):
            ok = parse_time(text) is not None
        elif widget_id.startswith(field_widget_id("measures")):
            instrument = next(
                i for i in Instrument if widget_id == field_widget_id(f"measures.{i.name.lower()}")
            )
            ok = not isinstance(parse_measure(instrument, text), str)
        else:
            return
        widget.set_class(not ok, "-invalid")
