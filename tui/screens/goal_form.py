"""Add or edit a treatment-plan goal with its measurable objectives."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Static, TextArea


class GoalFormScreen(ModalScreen[Any]):
    """Dismisses with the new or edited Goal, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="goal_form.cancel"),
        Binding("ctrl+s", "save", "Save", id="goal_form.save"),
    ]

    def __init__(self, goal: Any | None) -> None:
        super().__init__()
        self.goal = goal

    def compose(self) -> ComposeResult:
        goal = self.goal
        with VerticalScroll(classes="dialog modal-dialog", id="goal-form"):
            yield Static("Edit goal" if goal else "Add goal", classes="dialog-title")
            yield Label("Goal, in the client's terms")
            yield Input(goal.description if goal else "", id="goal-description", compact=True)
            yield Label("Measurable objectives, one per line")
            yield TextArea(
                "\n".join(goal.objectives) if goal else "", id="goal-objectives", soft_wrap=True
            )
            yield Label("Target date (YYYY-MM-DD, optional)")
            yield Input(
                goal.target_date.isoformat() if goal and goal.target_date else "",
                placeholder="YYYY-MM-DD",
                id="goal-target",
                compact=True,
            )
            yield Static("", id="goal-form-message", classes="error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="save", variant="primary", compact=True)
                yield Button("Cancel (Esc)", id="cancel", compact=True)
        # The dialog's own keys, not those of the screen beneath it.
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#goal-description", Input).focus()
        self._opened_with = self._form_values()

    def _form_values(self) -> tuple[str, str, str]:
        return (
            self.query_one("#goal-description", Input).value,
            self.query_one("#goal-objectives", TextArea).text,
            self.query_one("#goal-target", Input).value,
        )

    @on(Input.Submitted)
    def next_field(self) -> None:
        self.focus_next()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        from core.notes.model import Goal

        description = self.query_one("#goal-description", Input).value.strip()
        if not description:
            self.query_one("#goal-form-message", Static).update("Describe the goal first.")
            self.query_one("#goal-description", Input).focus()
            return
        target_text = self.query_one("#goal-target", Input).value.strip()
        try:
            target = date.fromisoformat(target_text) if target_text else None
        except ValueError:
            self.query_one("#goal-form-message", Static).update(
                "Write the target date as YYYY-MM-DD, or leave it empty."
            )
            self.query_one("#goal-target", Input).focus()
            return
        objectives = tuple(
            line.strip()
            for line in self.query_one("#goal-objectives", TextArea).text.splitlines()
            if line.strip()
        )
        if self.goal is None:
            self.dismiss(Goal(description=description, objectives=objectives, target_date=target))
        else:
            self.dismiss(
                replace(
                    self.goal, description=description, objectives=objectives, target_date=target
                )
            )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        from tui.screens.confirm import leave_unless_edited

        edited = self._form_values() != self._opened_with
        leave_unless_edited(self, edited, lambda: self.dismiss(None))
