"""The fixed wall clock the snapshot tests use reaches the screens and the checks."""

from __future__ import annotations

import datetime as real

import pytest

import core.checks.review
import core.notes.records
import tui.screens.client
import tui.screens.note_editor
from tests.support.fixed_clock import freeze_wall_clock

MOMENT = real.datetime(2026, 11, 21, 9, 30)


def test_today_and_now_are_the_fixed_moment_in_clinote_modules(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    freeze_wall_clock(monkeypatch, MOMENT)
    for module in (tui.screens.client, tui.screens.note_editor, core.checks.review):
        assert module.date.today() == real.date(2026, 11, 21)
    assert core.notes.records.local_now().replace(tzinfo=None) == MOMENT


def test_ordinary_dates_still_pass_isinstance_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    freeze_wall_clock(monkeypatch, MOMENT)
    assert isinstance(real.date(2020, 1, 2), core.checks.review.date)
    assert isinstance(real.datetime(2020, 1, 2, 3, 4), core.notes.records.datetime)
    assert core.checks.review.date.fromisoformat("2020-01-02") == real.date(2020, 1, 2)


def test_the_clock_is_real_again_after_the_test() -> None:
    assert tui.screens.client.date is real.date
    assert core.notes.records.datetime is real.datetime
