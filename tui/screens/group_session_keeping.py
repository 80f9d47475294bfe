"""What was typed in a group session walk, kept in the vault until the walk ends.

A mixin of GroupSessionScreen (tui/screens/group_session.py). At a lock, hangup or
quit the shared part, the roster, each member's entries, the step and the draft ids
go into the vault's form drafts (storage.records.form_drafts, encrypted like the
rest); unlocking, or the next `g`, restores them. Nothing is kept anywhere else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.screen import Screen
from textual.widgets import Input, Select, TextArea

from core.notes.model import Setting
from storage.records.form_drafts import GROUP_SESSION_FORM_KEY
from tui.errors import describe_error

if TYPE_CHECKING:
    from storage.records.repositories import Repositories
    from tui.app import ClinoteApp

# The shared part's fields, kept as typed while the walk is not finished.
SHARED_FIELDS = (
    "group-name",
    "group-type",
    "group-members",
    "group-topic",
    "group-facilitators",
    "group-date",
    "group-start",
    "group-end",
    "group-setting",
    "group-interventions",
)
SETTING_CHOICES = {setting.value for setting in Setting}


class GroupSessionKeeping(Screen[None]):
    if TYPE_CHECKING:  # kept by GroupSessionScreen
        app: ClinoteApp
        step: int
        roster: list[Any]
        entries: dict[str, dict[str, Any]]
        note_ids: dict[str, str]
        note_stamps: dict[str, str]
        _saved_state: dict[str, Any] | None
        _untouched_state: dict[str, Any] | None

        @property
        def repos(self) -> Repositories: ...

        def _value(self, widget_id: str) -> str: ...

        def _show_member(self) -> None: ...

    def _form_state(self) -> dict[str, Any]:
        """Everything typed so far, as JSON the vault keeps."""
        return {
            "shared": {field: self._value(f"#{field}") for field in SHARED_FIELDS},
            "roster": [client.id for client in self.roster],
            "step": self.step,
            "entries": {
                client_id: {key: value for key, value in entry.items() if key != "_goals"}
                for client_id, entry in self.entries.items()
            },
            "note_ids": dict(self.note_ids),
            "note_stamps": dict(self.note_stamps),
        }

    def _restore(self, state: dict[str, Any]) -> None:
        for field, value in state.get("shared", {}).items():
            if field not in SHARED_FIELDS:
                continue
            widget = self.query_one(f"#{field}")
            if isinstance(widget, TextArea):
                widget.load_text(str(value))
            elif isinstance(widget, Select):
                if value in SETTING_CHOICES:
                    widget.value = value
            elif isinstance(widget, Input):
                widget.value = str(value)
        roster = [self.repos.clients.get(client_id) for client_id in state.get("roster", [])]
        if not roster or any(client is None for client in roster):
            return  # the walk had not begun, or a member is gone: the shared part only
        self.roster = roster
        self.entries = {key: dict(value) for key, value in state.get("entries", {}).items()}
        self.note_ids = dict(state.get("note_ids", {}))
        self.note_stamps = dict(state.get("note_stamps", {}))
        self.step = min(max(int(state.get("step", 0)), 0), len(roster))
        if self.step:
            self._show_member()

    def _keep_form_state(self) -> None:
        """Keep the typed entries in the vault when they changed; none kept when none typed."""
        drafts = self.app.form_drafts
        if drafts is None:
            return
        state = self._form_state()
        if state == self._saved_state:
            return
        drafts.keep(GROUP_SESSION_FORM_KEY, state, self._untouched_state or {})
        self._saved_state = state

    def _drop_form_state(self) -> None:
        try:
            drafts = self.app.form_drafts
            if drafts is not None:
                drafts.delete(GROUP_SESSION_FORM_KEY)
        except Exception as error:  # noqa: BLE001 - one line; the next `g` offers it again
            self.notify(describe_error(error), severity="error", timeout=10)
        self._saved_state = None
