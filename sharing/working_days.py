"""The working-day clock (工作日时钟): Chinese working days for the rules' deadlines.

Deadlines of the notice are counted in working days (工作日): R7 (2 and 5), R9 (3), R10 (2).
A working day is a Monday-to-Friday that is not a public holiday, or a weekend day the State
Council declared a working day (调休上班). The dates come from the maintained `chinesecalendar`
package (`chinese_calendar`), which follows the yearly notice of the General Office of the State
Council (国务院办公厅关于部分节假日安排的通知); it covers a fixed range of years (2004–2026 in
version 1.11) and is updated when a new notice appears.

How a deadline is counted (期限计算): the day a request arrives is not counted. A request that
arrives on a day off is taken as received on the next working day (受理日). The deadline of
`n` working days is then the n-th working day after the day of receipt: a request on Monday
with 2 working days is due on Wednesday; one on Saturday is received on Monday and due on
Wednesday as well. With n = 0 the deadline is the day of receipt itself (obtained directly).

The override file (日历补充文件, `sharing/data/working_days.tsv`, or any file passed in) fills
the years the package does not cover yet, and may correct single dates of covered years:

    # comment
    2027<TAB>COMPLETE<TAB>国务院办公厅关于2027年部分节假日安排的通知
    2027-01-01<TAB>休<TAB>元旦
    2027-02-06<TAB>班<TAB>春节调休上班

`休` (or HOLIDAY / OFF) marks a day off, `班` (or WORKDAY / WORK) a working day; a row overrides
the package for its date. `<year> COMPLETE` says that every holiday and adjusted working day of
that year's notice has been entered; for such a year days not listed follow the weekly rhythm
(Monday to Friday work, weekends off) without a warning. A date in a year that neither the
package nor a COMPLETE row covers is counted by that weekly rhythm plus any rows given, and
comes with a `CalendarWarning`: the date is an estimate until the year's notice is entered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta, timezone
from pathlib import Path

import chinese_calendar

from sharing.clock import SystemClock

__all__ = [
    "CHINA_TIME",
    "OVERRIDE_PATH",
    "CalendarWarning",
    "Deadline",
    "WorkingCalendar",
    "WorkingCalendarError",
    "default_calendar",
    "today_in_china",
]

OVERRIDE_PATH = Path(__file__).parent / "data" / "working_days.tsv"
# China keeps one time zone without daylight saving: a fixed offset needs no tz database.
CHINA_TIME = timezone(timedelta(hours=8), "Asia/Shanghai")
# Longest deadline the clock counts, and the longest run of days off it walks through.
MAX_WORKING_DAYS = 366
_MAX_DAYS_OFF = 60

_OFF = frozenset({"休", "HOLIDAY", "OFF"})
_WORK = frozenset({"班", "WORKDAY", "WORK"})


class WorkingCalendarError(ValueError):
    """The override file cannot be read or has a bad row (日历补充文件有误)."""


@dataclass(frozen=True, slots=True)
class CalendarWarning:
    """A date was counted without an official calendar for its year (日历未覆盖的年份)."""

    year: int
    message_zh: str
    message_en: str


@dataclass(frozen=True, slots=True)
class Deadline:
    """A deadline counted in working days (按工作日计算的期限)."""

    requested_on: date  # the day the request arrived
    received_on: date  # the first working day on or after it (受理日)
    due_on: date  # `working_days` working days after `received_on`
    working_days: int
    warnings: tuple[CalendarWarning, ...] = ()

    @property
    def estimated(self) -> bool:
        """Whether a day of the count lies in a year no calendar covers (日期为估算)."""
        return bool(self.warnings)


def today_in_china() -> date:
    """Today's date in China (北京时间), whatever the server's time zone."""
    return SystemClock().now().astimezone(CHINA_TIME).date()


class WorkingCalendar:
    """Working days from `chinesecalendar`, completed by an override file."""

    def __init__(self, override_path: Path | None = OVERRIDE_PATH) -> None:
        self.override_path = override_path
        self._days: dict[date, bool] = {}  # date → is a working day
        self._complete: set[int] = set()
        self._package_years: dict[int, bool] = {}
        if override_path is not None:
            self._read(override_path)

    def _read(self, path: Path) -> None:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise WorkingCalendarError(f"cannot read working-day overrides {path}: {exc}") from exc
        for number, line in enumerate(lines, start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cells = [c.strip() for c in line.split("\t")]
            if len(cells) < 2:
                raise WorkingCalendarError(f"{path}:{number}: expected date<TAB>休|班 or year<TAB>COMPLETE")
            first, kind = cells[0], cells[1].upper()
            if kind == "COMPLETE":
                if not (first.isdigit() and len(first) == 4):
                    raise WorkingCalendarError(f"{path}:{number}: COMPLETE needs a four-digit year")
                self._complete.add(int(first))
                continue
            try:
                day = date.fromisoformat(first)
            except ValueError:
                raise WorkingCalendarError(f"{path}:{number}: {first!r} is not a date (YYYY-MM-DD)") from None
            if kind in _OFF:
                self._days[day] = False
            elif kind in _WORK:
                self._days[day] = True
            else:
                raise WorkingCalendarError(
                    f"{path}:{number}: kind must be 休 (HOLIDAY) or 班 (WORKDAY), not {cells[1]!r}"
                )

    # -- coverage ----------------------------------------------------------------------

    def package_covers(self, year: int) -> bool:
        """Whether `chinesecalendar` has the official arrangement of that year."""
        known = self._package_years.get(year)
        if known is None:
            try:
                chinese_calendar.is_workday(date(year, 1, 1))
                known = True
            except NotImplementedError:
                known = False
            self._package_years[year] = known
        return known

    def covers(self, year: int) -> bool:
        """Whether a year's working days are known officially (package or a COMPLETE row)."""
        return year in self._complete or self.package_covers(year)

    def warning_for(self, year: int) -> CalendarWarning | None:
        if self.covers(year):
            return None
        return CalendarWarning(
            year,
            f"{year} 年的法定节假日安排尚未收录（chinesecalendar 与日历补充文件均未覆盖），"
            "日期按周一至周五工作估算",
            f"the public holidays of {year} are not known yet (neither chinesecalendar nor the "
            "override file covers that year); the date assumes Monday-to-Friday working days",
        )

    # -- days ------------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        """Whether `day` is a Chinese working day (工作日)."""
        override = self._days.get(day)
        if override is not None:
            return override
        if self.package_covers(day.year):
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5

    def received_on(self, day: date) -> date:
        """The day a request arriving on `day` counts as received: `day` or the next working day."""
        current = day
        for _ in range(_MAX_DAYS_OFF):
            if self.is_working_day(current):
                return current
            current += timedelta(days=1)
        raise WorkingCalendarError(f"no working day within {_MAX_DAYS_OFF} days after {day}")

    def deadline(self, requested_on: date, working_days: int) -> Deadline:
        """The day a step taking `working_days` working days is due, for a request on `requested_on`."""
        if not 0 <= working_days <= MAX_WORKING_DAYS:
            raise ValueError(f"working_days must be between 0 and {MAX_WORKING_DAYS}")
        received = self.received_on(requested_on)
        due = received
        for _ in range(working_days):
            due = self.received_on(due + timedelta(days=1))
        return Deadline(requested_on, received, due, working_days, self._warnings(requested_on, due))

    def _warnings(self, first: date, last: date) -> tuple[CalendarWarning, ...]:
        found = (self.warning_for(year) for year in range(first.year, last.year + 1))
        return tuple(w for w in found if w is not None)


_DEFAULT: WorkingCalendar | None = None


def default_calendar() -> WorkingCalendar:
    """The process-wide calendar with the bundled override file (read once)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = WorkingCalendar()
    return _DEFAULT
