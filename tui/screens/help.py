"""Help: tui/help.md, then every key of every screen as currently mapped."""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, MarkdownViewer

if TYPE_CHECKING:
    from tui.app import ClinoteApp

# (title, module, class) of every screen whose keys the help lists, in the
# order a clinician meets them. Missing modules are skipped.
SCREENS_WITH_KEYS = (
    ("Everywhere", "tui.app", "ClinoteApp"),
    ("Caseload", "tui.screens.caseload", "CaseloadScreen"),
    ("Client", "tui.screens.client", "ClientScreen"),
    ("Note editor", "tui.screens.note_editor", "NoteEditorScreen"),
    ("Sign", "tui.screens.sign", "SignScreen"),
    ("Addendum", "tui.screens.addendum", "AddendumScreen"),
    ("Settings", "tui.screens.settings", "SettingsScreen"),
    ("Client form", "tui.screens.client_form", "ClientFormScreen"),
    ("Goal form", "tui.screens.goal_form", "GoalFormScreen"),
    ("Help", "tui.screens.help", "HelpScreen"),
)


def help_markdown() -> str:
    return resources.files("tui").joinpath("help.md").read_text(encoding="utf-8")


def screen_bindings() -> list[tuple[str, list[Binding]]]:
    """Each screen's bindings (with an id) as declared in its class."""
    import importlib

    found = []
    for title, module_name, class_name in SCREENS_WITH_KEYS:
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError):
            continue
        bindings = [
            binding for binding in cls.BINDINGS if isinstance(binding, Binding) and binding.id
        ]
        if bindings:
            found.append((title, bindings))
    return found


class HelpScreen(Screen[None]):
    """Escape closes it."""

    app: ClinoteApp  # typed, so self.app.repos, .config, .vault_path... type-check

    BINDINGS = [Binding("escape", "close", "Close help", id="help.close")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield MarkdownViewer(self._document(), show_table_of_contents=False, id="help-viewer")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "Help"
        self.query_one("#help-viewer").focus()

    def _document(self) -> str:
        keymap = getattr(self.app, "_keymap", {})
        lines = [help_markdown(), "", "## Every key", ""]
        lines.append(
            "Remap any key in the config file's `[keymap]` table by its id, "
            'e.g. `"app.lock" = "ctrl+k"`.'
        )
        for title, bindings in screen_bindings():
            lines += ["", f"### {title}", "", "| Key | Does | Id |", "|---|---|---|"]
            for binding in bindings:
                keys = keymap.get(binding.id, binding.key)
                shown = ", ".join(
                    self.app.get_key_display(Binding(key, binding.action))
                    for key in keys.split(",")
                )
                # The tooltip says in words what the footer's one-word label only hints at.
                does = binding.tooltip or binding.description or binding.action.replace("_", " ")
                lines.append(f"| `{shown}` | {does} | `{binding.id}` |")
        return "\n".join(lines)

    def action_close(self) -> None:
        self.app.pop_screen()
