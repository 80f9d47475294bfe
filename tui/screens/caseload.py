"""Caseload: every client with incremental search, status filter, last session, unsigned notes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from tui.display_text import shown
from tui.screens.client_form import ClientFormScreen
from tui.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from tui.app import ClinoteApp

# Filter cycle: None means every client.
STATUS_FILTERS: tuple[str | None, ...] = ("active", "discharged", None)
FILTER_LABELS = {"active": "Active", "discharged": "Discharged", None: "All"}


def summary_fields(summary: Any) -> tuple[str, int]:
    """(last session date text, notes awaiting signature) from the notes summary."""
    if summary is None:
        return "—", 0
    last = summary.last_session
    return (last.isoformat() if last else "—"), summary.drafts_awaiting_signature


def matches(client: Any, query: str) -> bool:
    query = query.strip().casefold()
    return not query or query in client.name.casefold() or query in client.code.casefold()


class CaseloadScreen(Screen[None]):
    """The home screen once unlocked."""

    app: ClinoteApp  # typed, so self.app.repos, .config, .vault_path... type-check

    AUTO_FOCUS = "#caseload-table"
    BINDINGS = [
        Binding(
            "slash", "search", "Search", id="caseload.search", tooltip="Search by name or code"
        ),
        Binding(
            "f",
            "cycle_filter",
            "Filter",
            id="caseload.filter",
            tooltip="Show active, discharged or all clients",
        ),
        Binding("a", "add_client", "Add", id="caseload.add", tooltip="Add a client"),
        Binding(
            "g",
            "group_session",
            "Group",
            id="caseload.group_session",
            tooltip="New group session: the shared part once, then member by member",
        ),
        Binding("e", "edit_client", "Edit", id="caseload.edit", tooltip="Edit the selected client"),
        Binding(
            "x",
            "discharge",
            "Discharge",
            id="caseload.discharge",
            tooltip="Discharge the selected client, or make a discharged one active",
        ),
        Binding(
            "enter",
            "open_client",
            "Open",
            id="caseload.open",
            show=False,
            tooltip="Open the selected client",
        ),
        Binding(
            "escape",
            "clear_search",
            "Clear search",
            id="caseload.clear_search",
            show=False,
            tooltip="Clear the search and show the whole list",
        ),
    ]

    @dataclass
    class Saved(Message):
        client_id: str
        verb: str

    def action_group_session(self) -> None:
        from tui.screens.group_session import GroupSessionScreen

        self.app.push_screen(GroupSessionScreen())

    def __init__(self, notice: str = "") -> None:
        """`notice`: a line shown above the empty list (e.g. "Vault created"), not a toast,
        so it covers no dialog opened from here."""
        super().__init__()
        self.notice = notice
        self.status_filter: str | None = "active"
        self.clients: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="caseload-bar"):
            yield Input(placeholder="Search name or code  (/)", id="caseload-search")
            yield Static("", id="caseload-filter")
        yield DataTable(id="caseload-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="caseload-empty", classes="muted")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Caseload"
        table = self.query_one("#caseload-table", DataTable)
        table.add_column("Code", key="code", width=10)
        table.add_column("Name", key="name", width=24)
        table.add_column("Status", key="status", width=10)
        table.add_column("Last session", key="last", width=12)
        table.add_column("Unsigned", key="unsigned", width=8)
        self.refresh_clients()

    def on_screen_resume(self) -> None:
        if self.app.unlocked and self.is_mounted:
            self.refresh_clients()

    def refresh_clients(self, keep_id: str | None = None) -> None:
        if not self.app.unlocked:
            return
        repos = self.app.repos
        table = self.query_one("#caseload-table", DataTable)
        if keep_id is None and table.row_count:
            keep_id = self.selected_client_id()
        from core.notes.model import ClientStatus

        status = ClientStatus(self.status_filter) if self.status_filter else None
        query = self.query_one("#caseload-search", Input).value
        self.clients = [c for c in repos.clients.list(status) if matches(c, query)]
        summaries = repos.notes.summary()
        table.clear()
        for client in self.clients:
            last, awaiting = summary_fields(summaries.get(client.id))
            table.add_row(
                shown(client.code),
                shown(client.name),
                client.status.value,
                last,
                str(awaiting) if awaiting else "",
                key=client.id,
            )
        if keep_id is not None and keep_id in {c.id for c in self.clients}:
            table.move_cursor(row=table.get_row_index(keep_id))
        label = FILTER_LABELS[self.status_filter]
        self.query_one("#caseload-filter", Static).update(f"Showing: {label} (f)")
        empty = self.query_one("#caseload-empty", Static)
        if self.clients:
            empty.update("")
        elif query.strip():
            empty.update(
                f"No {label.lower()} client matches “{query.strip()}”. Esc clears the search"
                + ("." if self.status_filter is None else "; f shows other clients.")
            )
        else:
            notice = f"{self.notice}\n" if self.notice else ""
            empty.update(f"{notice}No {label.lower()} clients. Press a to add one.")

    def selected_client_id(self) -> str | None:
        table = self.query_one("#caseload-table", DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def selected_client(self) -> Any | None:
        client_id = self.selected_client_id()
        return next((c for c in self.clients if c.id == client_id), None)

    @on(Input.Changed, "#caseload-search")
    def search_changed(self) -> None:
        self.refresh_clients()

    @on(Input.Submitted, "#caseload-search")
    def search_submitted(self) -> None:
        self.query_one("#caseload-table", DataTable).focus()

    @on(DataTable.RowSelected, "#caseload-table")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.open_client(event.row_key.value)  # type: ignore[arg-type]  # rows are keyed by id

    def action_search(self) -> None:
        self.query_one("#caseload-search", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_search":
            return bool(self.query_one("#caseload-search", Input).value)
        return True

    def action_clear_search(self) -> None:
        self.query_one("#caseload-search", Input).value = ""
        self.refresh_clients()
        self.query_one("#caseload-table", DataTable).focus()

    def action_cycle_filter(self) -> None:
        position = STATUS_FILTERS.index(self.status_filter)
        self.status_filter = STATUS_FILTERS[(position + 1) % len(STATUS_FILTERS)]
        self.refresh_clients()

    def action_open_client(self) -> None:
        client_id = self.selected_client_id()
        if client_id:
            self.app.open_client(client_id)

    def action_add_client(self) -> None:
        self.app.push_screen(ClientFormScreen(None), self._client_entered)

    def action_edit_client(self) -> None:
        client = self.selected_client()
        if client is None:
            self.notify("Select a client first.", severity="warning")
            return
        self.app.push_screen(ClientFormScreen(client), self._client_entered)

    def _client_entered(self, client: Any | None) -> None:
        if client is not None:
            self.save_client(client)

    def action_discharge(self) -> None:
        client = self.selected_client()
        if client is None:
            self.notify("Select a client first.", severity="warning")
            return
        if client.status.value == "discharged":
            self._offer_return(client)
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.discharge_client(client.id)

        self.app.push_screen(
            ConfirmScreen(
                f"Discharge {shown(client.name)} ({shown(client.code)})?",
                "Their notes stay in the vault; the client leaves the active list.",
                confirm_label="Discharge",
            ),
            confirmed,
        )

    def _offer_return(self, client: Any) -> None:
        from dataclasses import replace

        from core.notes.model import ClientStatus

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.save_client(replace(client, status=ClientStatus.ACTIVE), "made active again")

        self.app.push_screen(
            ConfirmScreen(
                f"Return {shown(client.name)} ({shown(client.code)}) to the active list?",
                "They were discharged; their notes and plan are kept as they are.",
                confirm_label="Make active",
            ),
            confirmed,
        )

    @work(thread=True, group="vault-write", exit_on_error=False)
    def save_client(self, client: Any, verb: str = "saved") -> None:
        self.app.repos.clients.save(client)
        self.post_message(self.Saved(client.id, verb))

    @work(thread=True, group="vault-write", exit_on_error=False)
    def discharge_client(self, client_id: str) -> None:
        self.app.repos.clients.discharge(client_id)
        self.post_message(self.Saved(client_id, "discharged"))

    @on(Saved)
    def client_saved(self, message: Saved) -> None:
        client = self.app.repos.clients.get(message.client_id) if self.app.repos else None
        if client is not None:
            self.notify(f"{shown(client.name)} {message.verb}.")
        self.refresh_clients(keep_id=message.client_id)

    def screen_commands(self) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Add client", "A new client on the caseload (a)", self.action_add_client
        )
        yield SystemCommand(
            "Edit client", "Name, code, birth date, diagnoses (e)", self.action_edit_client
        )
        yield SystemCommand(
            "Discharge client",
            "Move the selected client off the active list; on a discharged one, back (x)",
            self.action_discharge,
        )
        yield SystemCommand(
            "Filter caseload", "Active, discharged or all clients (f)", self.action_cycle_filter
        )
