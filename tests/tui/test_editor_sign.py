"""Signing from the editor, read-only signed notes, and addenda (issue 5, flow 4)."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from core.notes.model import NoteStatus, Settings
from tests.support.pilot import wait_until
from tests.tui.editor_host import EditorHost, editor_ready, preview_text, signed_note, stocked_vault
from tui.screens.addendum import AddendumScreen
from tui.screens.note_editor import NoteEditorScreen
from tui.screens.note_editor_signing import SIGN_CHECK_GROUP
from tui.screens.sign import SignScreen
from tui.widgets.findings_list import FindingsList
from tui.widgets.note_form import NoteForm, field_widget_id


def fill_complete_session(screen) -> None:
    values = {
        # A past date: a session that has not ended yet cannot be signed (SIGN-BEFORE-SESSION-END).
        "session.date": "2025-03-18",
        "session.start": "09:00",
        "session.end": "09:55",
        "risk.details": "",
    }
    for field_path, value in values.items():
        screen.query_one(f"#{field_widget_id(field_path)}").value = value
    for field_path in ("risk.suicidal_ideation", "risk.homicidal_ideation", "risk.self_harm"):
        screen.query_one(f"#{field_widget_id(field_path)}").value = "denied"
    screen.query_one(f"#{field_widget_id('presenting_concerns')}").load_text(
        "Client reported worry about a family visit on four days."
    )


def stored_note(app):
    return app.repos.notes.list_for_client(app._client.id)[0]


async def test_sign_is_refused_with_the_blocking_findings_listed():
    vault, client, _ = stocked_vault(settings=Settings())  # no signer in settings
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        await editor_ready(pilot)
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, SignScreen))
        dialog = app.screen
        assert "Cannot sign yet" in str(dialog.query_one("#sign-verdict").render())
        blocking = {finding.rule_id for finding in dialog.query_one(FindingsList).findings}
        assert {"SIGN-NO-CLINICIAN", "FORM-INPUT"} <= blocking
        assert not dialog.query_one("#sign-confirm").display  # no way to sign
        await pilot.press("ctrl+g")  # the sign key does nothing while refused
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        assert stored_note(app).status is NoteStatus.DRAFT


async def test_a_complete_note_is_signed_and_becomes_read_only():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        fill_complete_session(screen)
        await pilot.pause()
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, SignScreen))
        assert (
            "Client reported worry about a family visit"
            in app.screen.query_one("#sign-text Markdown").source
        )
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        await wait_until(pilot, lambda: stored_note(app).status is NoteStatus.SIGNED)
        await wait_until(pilot, lambda: "Dana Reyes, LCSW" in preview_text(screen))
        assert not screen.query_one(NoteForm).display
        assert "signed" in str(screen.query_one("#editor-title").render())


async def test_enter_in_the_sign_dialog_does_not_sign_only_ctrl_g_or_the_button_does():
    # The dialog opens when the checks finish, possibly while the clinician still types.
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        fill_complete_session(screen)
        await pilot.pause()
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, SignScreen))
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SignScreen)
        assert stored_note(app).status is NoteStatus.DRAFT
        await pilot.click("#sign-confirm")
        await wait_until(pilot, lambda: stored_note(app).status is NoteStatus.SIGNED)


def sign_check_running(app) -> bool:
    return any(worker.group == SIGN_CHECK_GROUP and worker.is_running for worker in app.workers)


async def test_the_screen_answers_while_the_note_is_checked_and_a_changed_note_is_not_offered():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        fill_complete_session(screen)
        await pilot.pause()
        concerns = screen.query_one(f"#{field_widget_id('presenting_concerns')}", TextArea)
        vault_lock = app.repos._lock
        vault_lock.acquire()  # the checks before signing wait for the vault, as a slow check would
        try:
            await pilot.press("ctrl+g")
            await wait_until(pilot, lambda: sign_check_running(app))
            # The form still takes typing meanwhile: the checks run off the UI thread.
            concerns.focus()
            await pilot.press("x", "q")
            assert "xq" in concerns.text
        finally:
            vault_lock.release()
        await wait_until(pilot, lambda: not sign_check_running(app))
        await pilot.pause()
        # The result was for the text before "xq": no dialog offers to sign it.
        assert isinstance(app.screen, NoteEditorScreen)
        assert any("changed while it was being checked" in n.message for n in app._notifications)
        assert stored_note(app).status is NoteStatus.DRAFT
        await pilot.press("ctrl+g")  # asked again, the note as it is now is offered
        await wait_until(pilot, lambda: isinstance(app.screen, SignScreen))
        assert "xqclient reported" in app.screen.query_one("#sign-text Markdown").source.lower()


class NotesWhoseChecksFail:
    """The note repository, except that the checks before signing meet a full disk."""

    def __init__(self, notes) -> None:
        self._notes = notes

    def __getattr__(self, name: str):
        return getattr(self._notes, name)

    def findings_before_signing(self, note, today=None):
        raise OSError(28, "No space left on device")


class ReposWhoseChecksFail:
    def __init__(self, repos) -> None:
        self._repos = repos
        self.notes = NotesWhoseChecksFail(repos.notes)

    def __getattr__(self, name: str):
        return getattr(self._repos, name)


async def test_checks_that_cannot_run_before_signing_say_so_in_one_line():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        fill_complete_session(screen)
        await pilot.pause()
        app.repos = ReposWhoseChecksFail(app.repos)
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: any("Not signed" in n.message for n in app._notifications))
        said = [n.message for n in app._notifications if "Not signed" in n.message]
        assert said == [
            "Not signed: No space left on device: check the disk and the vault folder's "
            "permissions, then try again."
        ]
        assert isinstance(app.screen, NoteEditorScreen)
        assert stored_note(app).status is NoteStatus.DRAFT


async def test_a_signed_note_opens_read_only_and_refuses_edits():
    vault, client, _ = stocked_vault()
    signed = signed_note(vault, client)
    app = EditorHost(vault, client, note=signed)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        assert not screen.query(NoteForm)
        assert "Signed by Dana Reyes, LCSW" in str(screen.query_one("#preview-source").render())
        shown = {key.description for key in screen.query("FooterKey")}
        assert not shown & {"Edit", "Save", "Draft", "Sign"}
        await pilot.press("ctrl+t", "ctrl+s", "ctrl+r")
        await pilot.pause()
        screen.save_draft_now()
        assert app.repos.notes.get(signed.id) == signed


async def test_an_addendum_is_added_to_a_signed_note_and_shown_below_it():
    vault, client, _ = stocked_vault()
    signed = signed_note(vault, client)
    app = EditorHost(vault, client, note=signed)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, AddendumScreen))
        await pilot.press(*"GAD-7 was 11, not 12")
        app.screen.query_one("#addendum-reason", Input).focus()
        await pilot.press(*"score mistyped", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteEditorScreen))
        await wait_until(pilot, lambda: "GAD-7 was 11, not 12" in preview_text(screen))
        stored = app.repos.notes.get(signed.id)
        assert [addendum.reason for addendum in stored.addenda] == ["score mistyped"]
        assert stored.text == signed.text  # the original stays as signed
        assert "Addendum" in preview_text(screen)


async def test_an_addendum_without_a_reason_is_not_sent_and_keeps_the_text():
    vault, client, _ = stocked_vault()
    signed = signed_note(vault, client)
    app = EditorHost(vault, client, note=signed)
    async with app.run_test(size=(80, 24)) as pilot:
        await editor_ready(pilot)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, AddendumScreen))
        await pilot.press(*"Late phone call", "ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, AddendumScreen)
        assert app.screen.query_one("#addendum-text", TextArea).text == "Late phone call"
        assert "Say why" in str(app.screen.query_one("#addendum-error").render())
        assert app.repos.notes.get(signed.id).addenda == ()
        # ctrl+s (save, elsewhere) signs nothing here, even with a reason.
        app.screen.query_one("#addendum-reason", Input).focus()
        await pilot.press(*"late call", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AddendumScreen)
        assert app.repos.notes.get(signed.id).addenda == ()


async def test_a_refused_addendum_keeps_the_dialog_and_the_text_open():
    vault, client, _ = stocked_vault()
    signed = signed_note(vault, client)
    app = EditorHost(vault, client, note=signed)
    async with app.run_test(size=(80, 24)) as pilot:
        await editor_ready(pilot)
        app.repos.settings.save(Settings())  # the signer's name was removed meanwhile
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, AddendumScreen))
        await pilot.press(*"Late phone call")
        app.screen.query_one("#addendum-reason", Input).focus()
        await pilot.press(*"late information", "enter")
        await wait_until(
            pilot, lambda: "Settings" in str(app.screen.query_one("#addendum-error").render())
        )
        assert isinstance(app.screen, AddendumScreen)
        assert app.screen.query_one("#addendum-text", TextArea).text == "Late phone call"
        assert app.repos.notes.get(signed.id).addenda == ()


async def test_a_signed_addendum_is_scrolled_into_view():
    vault, client, _ = stocked_vault()
    signed = signed_note(vault, client)
    app = EditorHost(vault, client, note=signed)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        view = screen.query_one("#preview-scroll")
        assert view.scroll_y == 0
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, AddendumScreen))
        await pilot.press(*"PHQ-9 was 9, not 8")
        app.screen.query_one("#addendum-reason", Input).focus()
        await pilot.press(*"score mistyped", "enter")
        await wait_until(pilot, lambda: "PHQ-9 was 9, not 8" in preview_text(screen))
        await wait_until(
            pilot, lambda: view.max_scroll_y > 0 and view.scroll_y == view.max_scroll_y
        )
        rows = app.screen._compositor.render_strips()
        assert any("PHQ-9 was 9, not 8" in row.text for row in rows)


async def test_the_sign_dialog_shows_the_note_from_its_first_line():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        await editor_ready(pilot)
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, SignScreen))
        box = app.screen.query_one("#sign-text")
        await pilot.pause()
        rows = app.screen._compositor.render_strips()
        first_inside = rows[box.region.y + 1].text[box.region.x + 1 : box.region.right - 1]
        assert "Progress note" in first_inside, first_inside


async def test_the_sign_dialog_names_the_warnings_that_remain():
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        fill_complete_session(screen)
        await pilot.pause()
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, SignScreen))
        dialog = app.screen
        listed = dialog.query_one(FindingsList)
        warnings = listed.findings
        assert warnings and listed.display
        assert all(finding.severity.value != "error" for finding in warnings)
        verdict = str(dialog.query_one("#sign-verdict").render())
        # Counted as warnings only: info findings are listed but are not warnings.
        counted = sum(1 for finding in warnings if finding.severity.value == "warning")
        assert f"{counted} warning{'s' if counted != 1 else ''} remain" in verdict
        shown = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert all(f"{f.rule_id}: " in line for f, line in zip(warnings, shown, strict=True))
        assert dialog.query_one("#sign-confirm").display  # warnings do not block signing


async def test_a_second_note_for_a_signed_date_shows_note_duplicate_while_typing():
    vault, client, _ = stocked_vault()  # a signed individual note on 2025-03-04
    app = EditorHost(vault, client)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        ids = lambda: {f.rule_id for f in screen.query_one(FindingsList).findings}  # noqa: E731
        await wait_until(pilot, lambda: bool(ids()))
        assert "NOTE-DUPLICATE" not in ids()
        screen.query_one(f"#{field_widget_id('session.date')}").value = "2025-03-04"
        await wait_until(pilot, lambda: "NOTE-DUPLICATE" in ids())
        screen.query_one(f"#{field_widget_id('session.date')}").value = "2025-03-05"
        await wait_until(pilot, lambda: "NOTE-DUPLICATE" not in ids())
