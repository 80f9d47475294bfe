"""Editor keys: every binding has an id the keymap can move, and the palette lists the actions."""

from __future__ import annotations

from core.notes.model import NoteFormat
from tests.support.pilot import wait_until
from tests.tui.editor_host import EditorHost, editor_ready, preview_text, signed_note, stocked_vault
from tui.screens.note_editor import NoteEditorScreen
from tui.screens.sign import SignScreen
from tui.widgets.note_form import NoteForm


def test_every_editor_binding_has_an_id():
    assert all(
        binding.id and binding.id.startswith("editor.") for binding in NoteEditorScreen.BINDINGS
    )


async def test_a_remapped_key_signs_and_the_palette_shows_it():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    app.set_keymap({"editor.sign": "f9"})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        commands = {command.title: command for command in screen.screen_commands()}
        assert "(f9)" in commands["Sign note"].help
        assert "Add addendum" not in commands  # only for signed notes
        await pilot.press("f9")
        await wait_until(pilot, lambda: isinstance(app.screen, SignScreen))


async def test_palette_commands_run_the_editor_actions():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        commands = {command.title: command for command in screen.screen_commands()}
        commands["Next note format"].callback()
        await wait_until(pilot, lambda: "## Behavior" in preview_text(screen))
        assert screen.query_one(NoteForm).details().format is NoteFormat.BIRP


async def test_a_signed_note_offers_only_what_a_signed_note_allows():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client, note=signed_note(vault, client))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        titles = {command.title for command in screen.screen_commands()}
        assert {
            "Add addendum",
            "Export note",
            "Copy note as plain text",
            "Copy note as Markdown",
        } <= titles
        assert not titles & {"Save draft", "Sign note", "Draft with the model"}


def test_the_help_says_in_words_what_each_editor_key_does():
    from tui.screens.addendum import AddendumScreen
    from tui.screens.export import ExportScreen
    from tui.screens.help import screen_bindings

    for screen in (NoteEditorScreen, SignScreen, AddendumScreen, ExportScreen):
        for binding in screen.BINDINGS:
            assert binding.tooltip and len(binding.tooltip.split()) >= 3, binding.id
    # The help lists each key with its tooltip.
    wording = {binding.tooltip for _title, bindings in screen_bindings() for binding in bindings}
    assert {"Edit the note text itself", "Jump to the next question of the form"} <= wording
