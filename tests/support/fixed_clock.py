"""A fixed wall clock for tests whose screens show or depend on today's date."""

from __future__ import annotations

import datetime as real
import sys
from typing import Any

import pytest

PACKAGES = ("core", "storage", "tui")


class _ActsAsRealDate(type):
    # isinstance(x, date) in the code under test must keep accepting ordinary dates.
    def __instancecheck__(cls, instance: object) -> bool:
        return isinstance(instance, cls.__mro__[1])


def freeze_wall_clock(monkeypatch: pytest.MonkeyPatch, moment: real.datetime) -> None:
    """Make date.today() and datetime.now() return `moment` in every loaded clinote module.

    Timers and timeouts (time.monotonic) keep running, so the app behaves as usual.
    """

    class FixedDate(real.date, metaclass=_ActsAsRealDate):
        @classmethod
        def today(cls) -> Any:
            return real.date(moment.year, moment.month, moment.day)

    class FixedDateTime(real.datetime, metaclass=_ActsAsRealDate):
        @classmethod
        def now(cls, tz: real.tzinfo | None = None) -> Any:
            fixed = moment if moment.tzinfo else moment.astimezone()
            return fixed.astimezone(tz) if tz is not None else fixed.replace(tzinfo=None)

    for name, module in list(sys.modules.items()):
        if module is None or name.split(".")[0] not in PACKAGES:
            continue
        if getattr(module, "date", None) is real.date:
            monkeypatch.setattr(module, "date", FixedDate)
        if getattr(module, "datetime", None) is real.datetime:
            monkeypatch.setattr(module, "datetime", FixedDateTime)
