"""The note editor's actions: one table gives each its key, binding id, palette title and help.

The screen's BINDINGS and its command-palette entries are both made from this
table, so a key, its footer label and its palette line cannot drift apart.
Users remap a key through the config by its binding id (`editor.sign`...).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen


@dataclass(frozen=True)
class EditorAction:
    action: str  # the screen's action_<name>
    key: str  # default key(s), comma-separated
    binding_id: str
    label: str  # in the footer
    title: str  # in the command palette
    help: str  # the palette's help line and the key's tooltip
    show: bool = True  # in the footer (keys kept out of it still work)
    in_palette: bool = True
    editing_only: bool = True  # only while the note is a draft
    priority: bool = False  # before the focused widget's own key (a text box's f6)

    def binding(self) -> Binding:
        return Binding(
            self.key,
            self.action,
            self.label,
            id=self.binding_id,
            show=self.show,
            tooltip=self.help,
            priority=self.priority,
        )


# Footer keys are the first ones; the rest are kept out of it so it fits 80 columns: the form has
# a format box, the preview line and carry-forward box name their keys, help and palette list all.
EDITOR_ACTIONS: tuple[EditorAction, ...] = (
    EditorAction(
        "back",
        "escape",
        "editor.back",
        "Back",
        "Leave the note",
        "Save the draft and go back",
        editing_only=False,
    ),
    EditorAction("save", "ctrl+s", "editor.save", "Save", "Save draft", "Store the draft now"),
    EditorAction(
        "draft",
        "ctrl+r",
        "editor.draft",
        "Draft",
        "Draft with the model",
        "Stream a draft from the local model; Esc cancels",
    ),
    EditorAction(
        "sign",
        "ctrl+g",
        "editor.sign",
        "Sign",
        "Sign note",
        "Show the final text, then sign it or list what blocks signing",
    ),
    EditorAction(
        "edit_text",
        "ctrl+t",
        "editor.edit_text",
        "Edit",
        "Edit final text",
        "Edit the note text itself",
    ),
    EditorAction(
        "export",
        "ctrl+o",
        "editor.export",
        "Export",
        "Export note",
        "Save as plain text or Markdown, readable by you only",
        editing_only=False,
    ),
    EditorAction(
        "next_section",
        "ctrl+down,alt+down",
        "editor.next_section",
        "Next part",
        "Next part of the form",
        "Jump to the next question of the form",
        show=False,
    ),
    EditorAction(
        "previous_section",
        "ctrl+up,alt+up",
        "editor.previous_section",
        "Previous part",
        "Previous part of the form",
        "Jump to the previous question of the form",
        show=False,
    ),
    EditorAction(
        "next_pane",
        "alt+right",
        "editor.next_pane",
        "Next pane",
        "Next pane",
        "Move between the form, the note and the findings",
        show=False,
        editing_only=False,
    ),
    EditorAction(
        "next_format",
        "ctrl+f",
        "editor.format",
        "Format",
        "Next note format",
        "DAP, BIRP, SOAP, GIRP, PIRP, SIRP",
        show=False,
    ),
    EditorAction(
        "switch_version",
        "f9",
        "editor.switch_version",
        "Version",
        "Switch version",
        "Between the note composed from the form and your edited or drafted text; "
        "both are kept until signing",
        show=False,
    ),
    EditorAction(
        "carry_forward",
        "f5",
        "editor.carry_forward",
        "Last homework",
        "Pull in last session's homework",
        "As today's homework assigned last session; its plan stays as reference",
        show=False,
    ),
    EditorAction(
        "addendum",
        "a",
        "editor.addendum",
        "Add addendum",
        "Add addendum",
        "A signed, dated addition below the signed note",
        editing_only=False,
    ),
    EditorAction(
        "copy",
        "f3",
        "editor.copy",
        "Copy",
        "Copy note as plain text",
        "For an EHR text box: no Markdown marks, headings in capitals",
        show=False,
        editing_only=False,
    ),
    EditorAction(
        "copy_markdown",
        "f8",
        "editor.copy_markdown",
        "Copy Markdown",
        "Copy note as Markdown",
        "The note's Markdown, for a Markdown-aware record",
        show=False,
        editing_only=False,
    ),
    EditorAction(
        "psychotherapy_note",
        "f6",
        "editor.psychotherapy_note",
        "Process note",
        "Psychotherapy note",
        "Private process note, not part of the record (45 CFR 164.501)",
        show=False,
        editing_only=False,
        priority=True,
    ),
    EditorAction(
        # The footer is full at 80 columns: the findings box names this key instead.
        "move_to_psychotherapy_note",
        "m",
        "editor.move_to_psychotherapy_note",
        "Move to process note",
        "Move to psychotherapy note",
        "Move the flagged sentence into the psychotherapy note",
        show=False,
        in_palette=False,
    ),
    EditorAction(
        "external_editor",
        "f4",
        "editor.external_editor",
        "$EDITOR",
        "Edit in $EDITOR",
        "The focused text box, via a private temporary file",
        show=False,
    ),
)

ACTIONS_BY_NAME = {entry.action: entry for entry in EDITOR_ACTIONS}
EDITOR_BINDINGS: list[Binding | tuple[str, str] | tuple[str, str, str]] = [
    entry.binding() for entry in EDITOR_ACTIONS
]


class EditorCommands(Screen[None]):
    """The editor's command-palette entries, from the table (mixed into NoteEditorScreen)."""

    def screen_commands(self) -> Iterable[SystemCommand]:
        """Every editor action allowed now, for the command palette, with its current key."""
        keys = {
            active.binding.action: self.app.get_key_display(active.binding)
            for active in self.active_bindings.values()
            if active.node is self
        }
        for entry in EDITOR_ACTIONS:
            if not entry.in_palette or not self.check_action(entry.action, ()):
                continue
            key = f" ({keys[entry.action]})" if entry.action in keys else ""
            action = getattr(self, f"action_{entry.action}")
            yield SystemCommand(entry.title, entry.help + key, action)
