"""The checks run off the UI thread (issue 10): typing never waits, a stale result is dropped."""

from __future__ import annotations

import threading

from core.checks.findings import Finding, Severity
from tests.tui.editor_host import EditorHost, editor_ready, rule_ids, stocked_vault, wait_until
from tui.widgets import check_runner
from tui.widgets.note_form import field_widget_id

STALE = Finding("STALE-RESULT", Severity.ERROR, "", "findings for text that has since changed")


async def test_typing_is_not_blocked_by_a_slow_check_and_its_stale_result_is_dropped(monkeypatch):
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)
    release = threading.Event()
    checked: list[str] = []
    real_check = check_runner.check_note

    def slow_first_check(details, text):
        checked.append(text)
        if len(checked) == 1:
            release.wait(timeout=30)  # the check still running while the clinician types
            return [STALE]
        return real_check(details, text)

    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        await app.workers.wait_for_complete()
        monkeypatch.setattr(check_runner, "check_note", slow_first_check)
        concerns = screen.query_one(f"#{field_widget_id('presenting_concerns')}")
        concerns.focus()
        await pilot.press(*"Slept")
        await wait_until(pilot, lambda: len(checked) == 1)  # the slow check has started
        await pilot.press(*" badly")
        # Keys reach the form and the preview while the check is still running.
        assert concerns.text == "Slept badly"
        await wait_until(pilot, lambda: "Slept badly" in screen.current_text())
        assert not release.is_set() and len(checked) == 1
        release.set()
        await wait_until(pilot, lambda: len(checked) == 2)
        await app.workers.wait_for_complete()
        await pilot.pause()
        # The slow check's findings were for "Slept": never shown; the latest text's are.
        assert "Slept badly" in checked[-1]
        assert "STALE-RESULT" not in rule_ids(screen)
        assert "FORM-INPUT" in rule_ids(screen)  # the times are still not entered
        assert "RISK-NOT-ASSESSED" in rule_ids(screen)  # from the real check on the latest text


async def test_a_check_that_fails_says_so_instead_of_leaving_stale_findings(monkeypatch):
    vault, client, _ = stocked_vault()
    app = EditorHost(vault, client)

    def broken_check(details, text):
        raise ValueError("a bug in a rule")

    async with app.run_test(size=(80, 24)) as pilot:
        screen = await editor_ready(pilot)
        await app.workers.wait_for_complete()
        monkeypatch.setattr(check_runner, "check_note", broken_check)
        concerns = screen.query_one(f"#{field_widget_id('presenting_concerns')}")
        concerns.focus()
        await pilot.press(*"Slept")
        await wait_until(pilot, lambda: "CHECKS-FAILED" in rule_ids(screen))
        assert concerns.text == "Slept"  # nothing typed is lost
