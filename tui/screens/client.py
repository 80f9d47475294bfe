"""One client: diagnoses, treatment plan goals with progress, measures over time, notes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Footer, Header, Static

from core.notes.billing import SERVICE_NAMES
from core.notes.model import Instrument, NoteStatus
from core.notes.records import unverified_signature_count
from tui.display_text import plain, shown
from tui.screens.client_form import ClientFormScreen
from tui.screens.client_goals import (
    GOAL_COLUMN_WIDTH,
    ClientGoals,
    restore_cursor,
    selected_key,
)
from tui.screens.confirm import ConfirmScreen
from tui.widgets.trend import (
    band_legend,
    goal_legend,
    measure_series,
    measure_trend_line,
)

if TYPE_CHECKING:
    from tui.app import ClinoteApp

TABS = {"notes": "Notes", "plan": "Plan", "measures": "Measures"}
TAB_TABLES = {"notes": "#notes-table", "plan": "#goals-table", "measures": "#measures-table"}
FIRST_NOTE_ROWS = 20  # more than a 24-line terminal shows
MORE_NOTE_ROWS = 60
# Decoded before the first paint: the first rows and the plan's last 8 sessions held.
FIRST_NOTES_DECODED = 30


def note_status_text(note: Any) -> str:
    """ "draft", "signed", "signed, late", "signed +2 addenda"."""
    if note.status is not NoteStatus.SIGNED:
        return "draft"
    text = "signed, late" if note.late_entry else "signed"
    if unverified_signature_count(note):
        text = "signed, unverified"  # imported: this vault could not verify a signature
    if note.addenda:
        count = len(note.addenda)
        text += f" +{count} addend{'um' if count == 1 else 'a'}"
    return text


class ClientScreen(ClientGoals, Screen[None]):
    """Pushed above the caseload; Escape goes back."""

    app: ClinoteApp  # typed, so self.app.repos, .config, .vault_path... type-check

    BINDINGS = [
        Binding("escape", "back", "Back", id="client.back", tooltip="Back to the caseload"),
        Binding("n", "new_note", "Note", id="client.new_note", tooltip="Start today's note"),
        Binding(
            "o",
            "open_note",
            "Open note",
            id="client.open_note",
            show=False,
            tooltip="Open the selected note (Enter too)",
        ),
        Binding("g", "add_goal", "Goal", id="client.add_goal", tooltip="Add a treatment-plan goal"),
        Binding("e", "edit_goal", "Edit", id="client.edit_goal", tooltip="Edit the selected goal"),
        Binding(
            "m",
            "goal_met",
            "Met",
            id="client.goal_met",
            tooltip="Mark the selected goal met (again: active)",
        ),
        Binding(
            "c",
            "edit_client",
            "Client",
            id="client.edit",
            tooltip="Edit the client: name, code, birth date, diagnoses",
        ),
        Binding(
            "s",
            "summary",
            "Summary",
            id="client.summary",
            show=False,  # the footer is full at 80 columns; the tab bar names it
            tooltip="A treatment summary (progress, transfer, discharge) from the signed notes",
        ),
        Binding(
            "d",
            "delete_draft",
            "Delete draft",
            id="client.delete_draft",
            show=False,  # the footer is full at 80 columns; help and the palette list it
            tooltip="Delete the selected draft and its psychotherapy note (asks first)",
        ),
        Binding("1", "show_tab('notes')", "Notes", id="client.tab_notes", show=False),
        Binding("2", "show_tab('plan')", "Plan", id="client.tab_plan", show=False),
        Binding("3", "show_tab('measures')", "Measures", id="client.tab_measures", show=False),
    ]

    @dataclass
    class Saved(Message):
        what: str

    def saved_message(self, what: str) -> Message:
        return self.Saved(what)

    def __init__(self, client_id: str) -> None:
        super().__init__()
        self.client_id = client_id
        self.client: Any = None
        self.plan: Any = None
        self.notes: list[Any] = []
        self._notes_generation = 0
        self._measures_shown = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="client-summary")
        yield Static("", id="client-tab-bar")
        # A ContentSwitcher and a one-line tab bar: TabbedContent costs more to
        # mount than everything else on this screen together.
        with ContentSwitcher(initial="notes", id="client-tabs"):
            with Vertical(id="notes"):
                yield DataTable(id="notes-table", cursor_type="row", zebra_stripes=True)
                yield Static("", id="notes-empty", classes="muted")
            with Vertical(id="plan"):
                yield Static("", id="plan-dates", classes="muted")
                yield DataTable(id="goals-table", cursor_type="row")
                yield Static(goal_legend(), id="goal-legend")
                yield Static("", id="goal-objectives")
            with Vertical(id="measures"):
                yield Static("", id="measure-trends")
                yield DataTable(id="measures-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        notes = self.query_one("#notes-table", DataTable)
        notes.add_column("Date", key="date", width=10)
        notes.add_column("Service", key="service", width=12)
        notes.add_column("Format", key="format", width=6)
        notes.add_column("Status", key="status", width=20)
        notes.add_column("Min", key="minutes", width=4)
        goals = self.query_one("#goals-table", DataTable)
        goals.add_column("Goal", key="goal", width=GOAL_COLUMN_WIDTH)
        goals.add_column("Status", key="status", width=9)
        goals.add_column("Last sessions", key="trend", width=22)
        measures = self.query_one("#measures-table", DataTable)
        measures.add_column("Date", key="date", width=10)
        for instrument in Instrument:
            measures.add_column(instrument.value, key=instrument.value, width=6)
        self.load()
        notes.focus()

    def on_screen_resume(self) -> None:
        if self.app.unlocked and self.is_mounted:
            self.load()

    # --- loading -------------------------------------------------------------

    def load(self) -> None:
        if not self.app.unlocked:
            return
        repos = self.app.repos
        self.client = repos.clients.get(self.client_id)
        if self.client is None:
            self.notify("That client is no longer in the vault.", severity="warning")
            self.app.pop_screen()
            return
        self.plan = repos.plans.get(self.client_id)
        # A screenful (and the plan's last sessions) first; every note after the first paint.
        self.notes = repos.notes.list_for_client(self.client_id, newest=FIRST_NOTES_DECODED)
        if len(self.notes) == FIRST_NOTES_DECODED:
            # _show_notes below starts the next generation of rows: this load belongs to it.
            self.call_after_refresh(self._load_every_note, self._notes_generation + 1)
        self.title = plain(f"{self.client.name} ({self.client.code})")
        self._show_summary()
        self._show_tab_bar()
        self._show_notes()
        self._show_plan()
        self._measures_shown = False
        if self._active_tab() == "measures":
            self._show_measures()

    def _load_every_note(self, generation: int) -> None:
        if not self.app.unlocked or generation != self._notes_generation or not self.is_mounted:
            return  # locked, or a newer load replaced this one
        repos = self.app.repos
        self.notes = repos.notes.list_for_client(self.client_id)
        if self._measures_shown:
            self._show_measures()

    def _show_summary(self) -> None:
        client = self.client
        line = Text()
        line.append(plain(client.name), style="bold")
        line.append(f"  {plain(client.code)}  {client.status.value}")
        if client.dob:
            line.append(f"  born {client.dob.isoformat()}")
        line.append("\nDiagnoses: ", style="dim")
        line.append(
            plain("; ".join(f"{d.code} {d.label}" for d in client.diagnoses)) or "none recorded (c)"
        )
        self.query_one("#client-summary", Static).update(line)

    def _show_notes(self) -> None:
        table = self.query_one("#notes-table", DataTable)
        keep = selected_key(table)
        table.clear()
        self._notes_generation += 1
        # A screenful first, the rest after the first paint: a long history
        # must not delay the screen (rows are cheap to add, costly to add at once).
        self._add_note_rows(self._notes_generation, 0, FIRST_NOTE_ROWS, keep)
        self.query_one("#notes-empty", Static).update(
            "" if self.notes else "No notes yet. Press n to write the first one."
        )

    def _add_note_rows(self, generation: int, start: int, count: int, keep: str | None) -> None:
        if generation != self._notes_generation or not self.is_mounted:
            return  # a newer load replaced this one
        table = self.query_one("#notes-table", DataTable)
        for note in self.notes[start : start + count]:
            session = note.details.session
            table.add_row(
                session.date.isoformat(),
                SERVICE_NAMES[session.service].column,
                note.format.value.upper(),
                note_status_text(note),
                str(session.minutes) if session.minutes > 0 else "—",  # times not entered yet
                key=note.id,
            )
        restore_cursor(table, keep)
        end = start + count
        if end < len(self.notes):
            self.call_after_refresh(self._add_note_rows, generation, end, MORE_NOTE_ROWS, keep)

    def _show_measures(self) -> None:
        self._measures_shown = True
        series = measure_series(self.notes)
        lines = []
        for instrument, points in series.items():
            lines += [measure_trend_line(instrument, points), band_legend(instrument)]
        self.query_one("#measure-trends", Static).update(
            Text("\n").join(lines)
            if lines
            else Text("No PHQ-9, GAD-7 or PCL-5 scores recorded yet.")
        )
        by_date: dict[date, dict[Instrument, int]] = {}
        for instrument, points in series.items():
            for day, score in points:
                by_date.setdefault(day, {})[instrument] = score
        table = self.query_one("#measures-table", DataTable)
        table.clear()
        for day in sorted(by_date, reverse=True):
            scores = by_date[day]
            table.add_row(day.isoformat(), *(str(scores.get(i, "")) for i in Instrument))

    # --- actions ---------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit_goal", "goal_met"):
            return self._active_tab() == "plan"
        if action in ("open_note", "delete_draft"):
            return self._active_tab() == "notes"
        return True

    def _active_tab(self) -> str:
        return self.query_one("#client-tabs", ContentSwitcher).current or "notes"

    def _show_tab_bar(self) -> None:
        active = self._active_tab()
        parts = []
        for key, (tab, label) in enumerate(TABS.items(), start=1):
            style = "bold reverse" if tab == active else "dim"
            parts.append(f"[{style} @click=screen.show_tab('{tab}')] {key} {label} [/]")
        parts.append("[dim @click=screen.summary] s Summary [/]")
        self.query_one("#client-tab-bar", Static).update("  ".join(parts))

    def action_show_tab(self, tab: str) -> None:
        self.query_one("#client-tabs", ContentSwitcher).current = tab
        self._show_tab_bar()
        if tab == "measures" and not self._measures_shown:
            self._show_measures()  # filled when first looked at: most visits never do
        self.query_one(TAB_TABLES[tab], DataTable).focus()
        self.refresh_bindings()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_summary(self) -> None:
        from tui.screens.treatment_summary import TreatmentSummaryScreen

        self.app.push_screen(TreatmentSummaryScreen(self.client_id))

    def _open_editor(self, note: Any | None) -> None:
        # Imported here: the editor is the heaviest screen, and most visits never open it.
        from tui.screens.note_editor import NoteEditorScreen

        self.app.push_screen(NoteEditorScreen(client=self.client, note=note))

    def action_new_note(self) -> None:
        if self.client.status.value == "discharged":
            self.notify(
                "This client is discharged: on the caseload, press x on their row to make "
                "them active again (f shows discharged clients).",
                severity="warning",
            )
            return
        today = date.today()
        draft = next(
            (
                note
                for note in self.notes
                if note.status.value == "draft" and note.details.session.date == today
            ),
            None,
        )
        if draft is None:
            self._open_editor(None)
            return

        def answered(second_note: bool | None) -> None:
            # Escape or the focused button open the draft: one note per date and service.
            self._open_editor(None if second_note else draft)

        self.app.push_screen(
            ConfirmScreen(
                f"Today's note for {shown(self.client.name)} is already a draft.",
                "Open that draft, or start a second note (another service today)?",
                confirm_label="Start a second note",
                cancel_label="Open today's draft",
            ),
            answered,
        )

    def action_open_note(self) -> None:
        key = selected_key(self.query_one("#notes-table", DataTable))
        note = next((n for n in self.notes if n.id == key), None)
        if note is not None:
            self._open_editor(note)

    def action_delete_draft(self) -> None:
        key = selected_key(self.query_one("#notes-table", DataTable))
        note = next((n for n in self.notes if n.id == key), None)
        if note is None:
            return
        if note.status is NoteStatus.SIGNED:
            self.notify(
                "A signed note is part of the record and stays; open it and press a to add "
                "an addendum instead.",
                severity="warning",
            )
            return
        session = note.details.session
        what = f"{session.date.isoformat()} ({SERVICE_NAMES[session.service].billed})"
        # Asked without reading the psychotherapy note (an existence check is not audited).
        with_process_note = self.app.repos.psychotherapy_notes.exists(note.id)
        detail = (
            "Its psychotherapy note is deleted with it (it belongs to this session only). "
            "This cannot be undone."
            if with_process_note
            else "This cannot be undone."
        )

        def answered(delete: bool | None) -> None:
            if delete:
                self.delete_draft(note.id)

        self.app.push_screen(
            ConfirmScreen(f"Delete the draft of {what}?", detail, confirm_label="Delete draft"),
            answered,
        )

    @work(thread=True, group="vault-write", exit_on_error=False)
    def delete_draft(self, note_id: str) -> None:
        process_note_deleted = self.app.repos.notes.delete_draft(note_id)
        self.post_message(
            self.Saved(
                "Draft and its psychotherapy note deleted."
                if process_note_deleted
                else "Draft deleted."
            )
        )

    @on(DataTable.RowSelected, "#notes-table")
    def note_selected(self) -> None:
        self.action_open_note()

    def action_edit_client(self) -> None:
        def entered(client: Any | None) -> None:
            if client is not None:
                self.save_client(client)

        self.app.push_screen(ClientFormScreen(self.client), entered)

    @work(thread=True, group="vault-write", exit_on_error=False)
    def save_client(self, client: Any) -> None:
        self.app.repos.clients.save(client)
        self.post_message(self.Saved("Client saved."))

    @on(Saved)
    def saved(self, message: Saved) -> None:
        self.notify(message.what)
        self.load()

    def screen_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Treatment summary",
            "Progress, transfer or discharge summary from the signed notes (s)",
            self.action_summary,
        )
        yield SystemCommand(
            "New note", "Start today's note for this client (n)", self.action_new_note
        )
        yield SystemCommand(
            "Delete draft",
            "Delete the selected draft and its psychotherapy note, after asking (d)",
            self.action_delete_draft,
        )
        yield SystemCommand(
            "Add goal", "A treatment-plan goal with objectives (g)", self.action_add_goal
        )
        yield SystemCommand(
            "Edit client", "Name, code, birth date, diagnoses (c)", self.action_edit_client
        )
        yield SystemCommand("Back to caseload", "Leave this client (Escape)", self.action_back)
