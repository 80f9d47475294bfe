"""The client screen's Plan tab: the treatment plan's goals, their progress and objectives.

A mixin of ClientScreen (tui/screens/client.py), which composes the tab's widgets and
loads `plan` and `notes`; here the goals are shown, added, edited and marked met.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from core.notes.model import GoalStatus
from tui.screens.goal_form import GoalFormScreen
from tui.widgets.trend import fit_words, goal_progress_series, goal_trend

if TYPE_CHECKING:
    from tui.app import ClinoteApp

GOAL_COLUMN_WIDTH = 36  # with status and trend, fits 80 columns


def selected_key(table: DataTable) -> str | None:
    """The row key under the table's cursor (None for an empty table)."""
    if not table.row_count:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def restore_cursor(table: DataTable, key: str | None) -> None:
    """Put the cursor back on the row with `key`, if it is still there."""
    if key is None or key not in table.rows:
        return
    try:
        table.move_cursor(row=table.get_row_index(key))
    except Exception:  # noqa: BLE001 - the row is gone; the cursor stays at the top
        pass


class ClientGoals(Screen[None]):
    if TYPE_CHECKING:  # kept by ClientScreen
        app: ClinoteApp
        plan: Any
        notes: list[Any]

        def saved_message(self, what: str) -> Message: ...

    def _show_plan(self) -> None:
        plan = self.plan
        dates = []
        if plan.plan_date:
            dates.append(f"Plan dated {plan.plan_date.isoformat()}")
        if plan.review_date:
            dates.append(f"review by {plan.review_date.isoformat()}")
        self.query_one("#plan-dates", Static).update(
            " · ".join(dates) if dates else "No treatment plan yet: press g to add a goal."
        )
        table = self.query_one("#goals-table", DataTable)
        keep = selected_key(table)
        table.clear()
        for number, goal in enumerate(plan.goals, start=1):
            series = goal_progress_series(self.notes, goal.id)
            latest = next((p.value.replace("_", " ") for p in reversed(series) if p), "—")
            table.add_row(
                fit_words(f"{number}. {goal.description}", GOAL_COLUMN_WIDTH),
                goal.status.value,
                goal_trend(series) + Text(f" {latest}", style="dim"),
                key=goal.id,
            )
        restore_cursor(table, keep)
        self._show_objectives()

    def _show_objectives(self) -> None:
        goal = self.selected_goal()
        widget = self.query_one("#goal-objectives", Static)
        if goal is None:
            widget.update("")
            return
        text = Text(goal.description, style="bold")
        if goal.target_date:
            text.append(f"  target {goal.target_date.isoformat()}", style="dim")
        for objective in goal.objectives or ("no measurable objectives yet (e)",):
            text.append(f"\n  • {objective}")
        widget.update(text)

    def selected_goal(self) -> Any | None:
        key = selected_key(self.query_one("#goals-table", DataTable))
        return next((g for g in self.plan.goals if g.id == key), None) if self.plan else None

    @on(DataTable.RowHighlighted, "#goals-table")
    def goal_highlighted(self) -> None:
        self._show_objectives()

    def action_add_goal(self) -> None:
        self.app.push_screen(GoalFormScreen(None), self._goal_entered)

    def action_edit_goal(self) -> None:
        goal = self.selected_goal()
        if goal is None:
            self.notify("No goal selected; press g to add one.", severity="warning")
            return
        self.app.push_screen(GoalFormScreen(goal), self._goal_entered)

    @on(DataTable.RowSelected, "#goals-table")
    def goal_selected(self) -> None:
        self.action_edit_goal()

    def _goal_entered(self, goal: Any | None) -> None:
        if goal is None:
            return
        goals = list(self.plan.goals)
        index = next((i for i, g in enumerate(goals) if g.id == goal.id), None)
        if index is None:
            goals.append(goal)
        else:
            goals[index] = goal
        plan = replace(self.plan, goals=tuple(goals))
        if plan.plan_date is None:
            plan = replace(plan, plan_date=date.today())
        self.save_plan(plan, "Goal saved.")

    def action_goal_met(self) -> None:
        goal = self.selected_goal()
        if goal is None:
            self.notify("No goal selected.", severity="warning")
            return
        status = GoalStatus.ACTIVE if goal.status is GoalStatus.MET else GoalStatus.MET
        goals = tuple(replace(g, status=status) if g.id == goal.id else g for g in self.plan.goals)
        verb = "marked met" if status is GoalStatus.MET else "active again"
        self.save_plan(replace(self.plan, goals=goals), f"Goal {verb}.")

    @work(thread=True, group="vault-write", exit_on_error=False)
    def save_plan(self, plan: Any, done: str) -> None:
        self.app.repos.plans.save(plan)
        self.post_message(self.saved_message(done))
