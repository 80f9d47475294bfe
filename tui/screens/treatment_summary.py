"""A treatment summary of one client, previewed before it is saved: kind, period, discharge.

The report comes from core.summaries.summary (signed notes only) and is shown
as Markdown; ctrl+o saves it as Markdown or plain text (0600, never replacing).
What is typed here (kind, period, discharge reason and aftercare) is kept per
client in the vault (storage.records.form_drafts): a lock, a hangup or leaving
the screen loses none of it, and the screen opens with it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Markdown, Select, Static

from core.drafting.summary_narrative import Narrative, draft_narrative
from core.notes.model import Client, SessionNote, Settings, TreatmentPlan
from core.summaries.summary import (
    Discharge,
    SummaryKind,
    SummaryRefused,
    TreatmentSummary,
    build_treatment_summary,
)
from core.summaries.text import render_summary
from storage.records.form_drafts import summary_form_key
from tui.errors import describe_error
from tui.resume import ResumePoint, return_to_field
from tui.screens.export import ExportScreen

if TYPE_CHECKING:
    from tui.app import ClinoteApp

KIND_CHOICES = [(kind.value.capitalize(), kind.value) for kind in SummaryKind]
# The typed fields, by the key their entry is kept under; the kind is the Select.
TYPED_FIELDS = {
    "from": "#summary-from",
    "to": "#summary-to",
    "reason": "#summary-reason",
    "aftercare": "#summary-aftercare",
}
AUTOSAVE_EVERY = 3.0  # seconds between saves of changed entries
PREVIEW_DELAY = 0.3  # seconds of no typing before the summary is rebuilt


class TreatmentSummaryScreen(Screen[None]):
    """Choose the kind and period; the preview follows; ctrl+o saves it."""

    app: ClinoteApp  # typed, so self.app.repos type-checks

    DEFAULT_CSS = """
    TreatmentSummaryScreen #summary-options { height: auto; }
    TreatmentSummaryScreen #summary-options Select { width: 18;  /* "Discharge" and its arrow on one line */ }
    TreatmentSummaryScreen #summary-options Input { width: 1fr; }
    TreatmentSummaryScreen #summary-discharge { height: auto; display: none; }
    TreatmentSummaryScreen.-discharge #summary-discharge { display: block; }
    TreatmentSummaryScreen #summary-problem { color: $text-error; height: auto; }
    TreatmentSummaryScreen #summary-preview { height: 1fr; border: round $primary 50%; }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", id="summary.back", tooltip="Back to the client"),
        Binding(
            "ctrl+o",
            "save",
            "Save",
            id="summary.save",
            tooltip="Save the summary as a Markdown or text file (readable by you only)",
        ),
        Binding(
            "ctrl+r",
            "narrative",
            "Narrative",
            id="summary.narrative",
            tooltip="Add a narrative paragraph by the local model, checked against the facts",
        ),
    ]

    @dataclass
    class _NarrativeDone(Message):
        narrative: Narrative | None
        problem: str

    def __init__(self, client_id: str, *, resume: ResumePoint | None = None) -> None:
        super().__init__()
        self.client_id = client_id
        self.markdown = ""
        self.summary: TreatmentSummary | None = None
        self._refresh_timer: Timer | None = None
        self._record: tuple[Client, TreatmentPlan, list[SessionNote]] | None = None
        self.narrative: Narrative | None = None
        self._resume = resume  # after an unlock: the field and cursor to return to
        self._saved_entries = self._default_entries()

    def compose(self) -> ComposeResult:
        with Vertical():
            with Horizontal(id="summary-options"):
                yield Select(
                    KIND_CHOICES,
                    value=SummaryKind.PROGRESS.value,
                    allow_blank=False,
                    id="summary-kind",
                )
                yield Input(placeholder="from YYYY-MM-DD", id="summary-from")
                yield Input(placeholder="to YYYY-MM-DD", id="summary-to")
            with Vertical(id="summary-discharge"):
                yield Input(placeholder="reason for discharge", id="summary-reason")
                yield Input(placeholder="aftercare plan", id="summary-aftercare")
            yield Static("", id="summary-problem", markup=False)
            with VerticalScroll(id="summary-preview"):
                yield Markdown("", id="summary-markdown")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._restore_entries()
        self.refresh_preview()
        self.query_one("#summary-kind").focus()
        if self._resume is not None:
            return_to_field(self, self._resume.form_focus_id, self._resume.form_cursor)
        self.set_interval(AUTOSAVE_EVERY, self._autosave)

    # --- the typed entries, kept in the vault ------------------------------------

    @staticmethod
    def _default_entries() -> dict[str, str]:
        return {"kind": SummaryKind.PROGRESS.value} | {key: "" for key in TYPED_FIELDS}

    def _entries(self) -> dict[str, str]:
        entries = {"kind": self.kind.value}
        for key, widget_id in TYPED_FIELDS.items():
            entries[key] = self.query_one(widget_id, Input).value
        return entries

    def _restore_entries(self) -> None:
        drafts = self.app.form_drafts
        stored = drafts.get(summary_form_key(self.client_id)) if drafts is not None else None
        if not stored:
            return
        entries = self._default_entries()
        entries.update({key: str(stored[key]) for key in entries if key in stored})
        if entries["kind"] in {kind.value for kind in SummaryKind}:
            self.query_one("#summary-kind", Select).value = entries["kind"]
        for key, widget_id in TYPED_FIELDS.items():
            self.query_one(widget_id, Input).value = entries[key]
        self.set_class(self.kind is SummaryKind.DISCHARGE, "-discharge")
        self._saved_entries = entries

    def _autosave(self) -> None:
        try:
            self.save_draft_now()
        except Exception as error:  # noqa: BLE001 - one line; the entries stay on screen
            self.query_one("#summary-problem", Static).update(
                f"Entries not saved: {describe_error(error)}"
            )

    def save_draft_now(self, *, force: bool = False) -> None:
        """Keep the entries in the vault when they changed (on a lock, hangup, quit, leaving)."""
        drafts = self.app.form_drafts
        if not self.is_mounted or drafts is None:
            return
        entries = self._entries()
        if entries == self._saved_entries and not force:
            return
        drafts.keep(summary_form_key(self.client_id), entries, self._default_entries())
        self._saved_entries = entries

    @property
    def kind(self) -> SummaryKind:
        return SummaryKind(str(self.query_one("#summary-kind", Select).value))

    def _date(self, widget_id: str, label: str) -> tuple[date | None, str]:
        text = self.query_one(widget_id, Input).value.strip()
        if not text:
            return None, ""
        try:
            return date.fromisoformat(text), ""
        except ValueError:
            return None, f"The {label} date is not a date yet: type it as YYYY-MM-DD."

    @on(Select.Changed)
    def _on_option_changed(self) -> None:
        self.set_class(self.kind is SummaryKind.DISCHARGE, "-discharge")
        self.refresh_preview()

    @on(Input.Changed)
    def _on_entry_changed(self) -> None:
        # Rebuilding reads every signed note and re-renders the Markdown: once typing
        # pauses, not at each keystroke (that made typing lag behind the keys).
        if self._refresh_timer is not None:
            self._refresh_timer.stop()
        self._refresh_timer = self.set_timer(PREVIEW_DELAY, self.refresh_preview)

    def _client_record(self) -> tuple[Client, TreatmentPlan, list[SessionNote]] | None:
        """The client, plan and notes, read once: the options change, the record does not
        while this screen is open (a lock closes it)."""
        if self._record is None:
            repos = self.app.repos
            client = repos.clients.get(self.client_id)
            if client is None:
                return None
            plan = repos.plans.get(self.client_id)
            self._record = (client, plan, repos.notes.list_for_client(self.client_id))
        return self._record

    def _preview_up_to_date(self) -> None:
        if self._refresh_timer is not None:
            self.refresh_preview()

    def refresh_preview(self) -> None:
        """Build the summary from the vault's signed notes as the options now say."""
        if self._refresh_timer is not None:
            self._refresh_timer.stop()
            self._refresh_timer = None
        problem = self.query_one("#summary-problem", Static)
        period_from, from_problem = self._date("#summary-from", "from")
        period_to, to_problem = self._date("#summary-to", "to")
        discharge = None
        if self.kind is SummaryKind.DISCHARGE:
            discharge = Discharge(
                self.query_one("#summary-reason", Input).value.strip(),
                self.query_one("#summary-aftercare", Input).value.strip(),
            )
        if from_problem or to_problem:
            problem.update(from_problem or to_problem)
            return
        record = self._client_record()
        if record is None:
            problem.update("That client is no longer in the vault.")
            return
        try:
            summary = build_treatment_summary(
                *record,
                self.kind,
                period_from,
                period_to,
                discharge,
            )
        except SummaryRefused as error:
            problem.update(f"{str(error)[0].upper()}{str(error)[1:]}.")
            self.markdown = ""
            self.summary = None
            self.query_one("#summary-markdown", Markdown).update("")
            return
        problem.update("")
        if summary != self.summary:
            self.narrative = None  # written from other facts: draft it again
        self.summary = summary
        self.markdown = render_summary(
            summary,
            markdown=True,
            prepared_on=date.today(),
            narrative=self.narrative.text if self.narrative else "",
            narrative_model=self.narrative.model if self.narrative else "",
        )
        self.query_one("#summary-markdown", Markdown).update(self.markdown)

    def action_narrative(self) -> None:
        self._preview_up_to_date()
        if self.summary is None:
            self.notify("Nothing to describe yet: fix what the line above says.", timeout=4)
            return
        self.query_one("#summary-problem", Static).update("Asking the local model…")
        self._draft(self.summary, self.app.repos.settings.load())

    @work(thread=True, exclusive=True, group="summary-narrative", exit_on_error=False)
    def _draft(self, summary: TreatmentSummary, settings: Settings) -> None:
        from core.drafting.connection import DEFAULT_MODEL, DraftingError, OllamaConnection

        try:
            with OllamaConnection.from_settings(settings) as connection:
                narrative = draft_narrative(summary, connection, settings.model or DEFAULT_MODEL)
        except DraftingError as error:
            self.post_message(self._NarrativeDone(None, f"No narrative: {error.message}."))
        else:
            self.post_message(self._NarrativeDone(narrative, ""))

    @on(_NarrativeDone)
    def _on_narrative(self, event: _NarrativeDone) -> None:
        self.narrative = event.narrative
        self.refresh_preview()
        if event.problem:
            self.query_one("#summary-problem", Static).update(event.problem)
        elif event.narrative is not None and event.narrative.findings:
            removed = len(event.narrative.findings)
            self.notify(
                f"Narrative added; {removed} sentence(s) removed or changed by the checks.",
                timeout=6,
            )

    def action_save(self) -> None:
        self._preview_up_to_date()
        if not self.markdown:
            self.notify("Nothing to save yet: fix what the line above says.", timeout=4)
            return
        client = self.app.repos.clients.get(self.client_id)
        if client is None:
            self.notify("That client is no longer in the vault.", severity="warning")
            return
        name = f"{client.code}-{self.kind.value}-summary-{date.today().isoformat()}.md"
        self.app.push_screen(ExportScreen(name, self.markdown, signed=True), self._on_saved)

    def _on_saved(self, path: str | None) -> None:
        if path:
            self.app.repos.record_event(f"summary_{self.kind.value}", self.client_id)

    def action_back(self) -> None:
        try:
            self.save_draft_now()
        except Exception as error:  # noqa: BLE001 - stay: what was typed is still on screen
            self.notify(describe_error(error), severity="error", timeout=10)
            return
        self.app.pop_screen()
