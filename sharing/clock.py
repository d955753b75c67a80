"""The time workflows run on (业务时钟), in China Standard Time.

Deadlines count Chinese working days from the day a request is received, so every workflow asks
the clock, never `datetime.now()` directly; tests move a `FixedClock` across holidays.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from datetime import date, datetime, timedelta, timezone
from typing import Protocol

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")

# Told whenever the wall clock is read while it is set: the response cache sets it per request
# and does not keep an answer that depends on the time (app/response_cache.py).
CLOCK_READS: ContextVar[Callable[[], None] | None] = ContextVar("clock_reads", default=None)


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        observer = CLOCK_READS.get()
        if observer is not None:
            observer()
        return datetime.now(CHINA)


class FixedClock:
    """A clock that stands still until moved (tests, reproducible demos)."""

    def __init__(self, at: datetime) -> None:
        self._at = at if at.tzinfo else at.replace(tzinfo=CHINA)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = at if at.tzinfo else at.replace(tzinfo=CHINA)

    def advance(self, delta: timedelta) -> None:
        self._at += delta


def today(clock: Clock) -> date:
    return clock.now().astimezone(CHINA).date()
