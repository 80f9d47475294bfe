"""Add or edit a client: name, code, birth date, diagnoses (one per line)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Static, TextArea

from core.text_safety import strip_control
from tui.display_text import shown

if TYPE_CHECKING:
    from tui.app import ClinoteApp

# ICD-10(-CM) shape: a letter, two characters, then up to four after a dot (F41.1, F33.1, Z63.0).
ICD10_CODE = re.compile(r"[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?", re.IGNORECASE)


def parse_diagnoses(text: str) -> tuple[Any, ...] | str:
    """Lines like "F41.1 Generalized anxiety disorder" into Diagnosis values, or what to fix."""
    from core.notes.model import Diagnosis

    diagnoses = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        code, _, label = line.partition(" ")
        if not ICD10_CODE.fullmatch(code.strip()):
            return (
                f"Line {number}: start with the ICD-10 code, then the label "
                "(e.g. F41.1 Generalized anxiety disorder)."
            )
        diagnoses.append(Diagnosis(code=code.strip().upper(), label=label.strip(" -–:")))
    return tuple(diagnoses)


def format_diagnoses(diagnoses: tuple[Any, ...]) -> str:
    return "\n".join(f"{d.code} {d.label}".strip() for d in diagnoses)


class ClientFormScreen(ModalScreen[Any]):
    """Dismisses with the new or edited Client, or None when cancelled."""

    app: ClinoteApp  # typed, so self.app.repos, .config, .vault_path... type-check

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="client_form.cancel"),
        Binding("ctrl+s", "save", "Save", id="client_form.save"),
    ]

    def __init__(self, client: Any | None) -> None:
        super().__init__()
        self.client = client

    def compose(self) -> ComposeResult:
        client = self.client
        with VerticalScroll(classes="dialog modal-dialog", id="client-form"):
            yield Static("Edit client" if client else "Add client", classes="dialog-title")
            yield Label("Name")
            yield Input(
                strip_control(client.name) if client else "", id="client-name", compact=True
            )
            yield Label("Code (printed on notes with the name, e.g. JE-101)")
            yield Input(
                strip_control(client.code) if client else "", id="client-code", compact=True
            )
            yield Label("Date of birth (YYYY-MM-DD, optional)")
            yield Input(
                client.dob.isoformat() if client and client.dob else "",
                placeholder="YYYY-MM-DD",
                id="client-dob",
                compact=True,
            )
            yield Label("Diagnoses, one per line: ICD-10 code then label")
            yield TextArea(
                format_diagnoses(client.diagnoses) if client else "",
                id="client-diagnoses",
                soft_wrap=True,
            )
            yield Static("", id="client-form-message", classes="error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary", compact=True)
                yield Button("Cancel (Esc)", id="cancel", compact=True)
        # The dialog's own keys, not those of the screen beneath it.
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#client-name", Input).focus()
        self._opened_with = self._form_values()

    def _form_values(self) -> tuple[str, ...]:
        inputs = (
            self.query_one(f"#{name}", Input).value for name in ("client-name", "client-code")
        )
        return (
            *inputs,
            self.query_one("#client-dob", Input).value,
            self.query_one("#client-diagnoses", TextArea).text,
        )

    @on(Input.Submitted)
    def next_field(self) -> None:
        self.focus_next()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        from core.notes.model import Client

        name = strip_control(self.query_one("#client-name", Input).value).strip()
        code = strip_control(self.query_one("#client-code", Input).value).strip()
        dob_text = self.query_one("#client-dob", Input).value.strip()
        if not name or not code:
            self._problem(
                "Enter both a name and a code.", "#client-name" if not name else "#client-code"
            )
            return
        try:
            dob = date.fromisoformat(dob_text) if dob_text else None
        except ValueError:
            self._problem(
                "Write the date of birth as YYYY-MM-DD, or leave it empty.", "#client-dob"
            )
            return
        app = self.app
        same_code = app.repos.clients.find_by_code(code) if app.unlocked else None
        if same_code is not None and (self.client is None or same_code.id != self.client.id):
            self._problem(
                f"Code {shown(code)} already belongs to another client; choose another.",
                "#client-code",
            )
            return
        diagnoses = parse_diagnoses(
            strip_control(self.query_one("#client-diagnoses", TextArea).text)
        )
        if isinstance(diagnoses, str):
            self._problem(diagnoses, "#client-diagnoses")
            return
        if self.client is None:
            self.dismiss(Client(name=name, code=code, dob=dob, diagnoses=diagnoses))
        else:
            self.dismiss(replace(self.client, name=name, code=code, dob=dob, diagnoses=diagnoses))

    def _problem(self, text: str, field_id: str) -> None:
        self.query_one("#client-form-message", Static).update(text)
        self.query_one(field_id).focus()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        from tui.screens.confirm import leave_unless_edited

        edited = self._form_values() != self._opened_with
        leave_unless_edited(self, edited, lambda: self.dismiss(None))
