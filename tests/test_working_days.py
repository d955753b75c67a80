"""The working-day clock (工作日): the package's calendar, the override file, the estimates.

The 2026 dates are those of the State Council's notice of 4 November 2025 as shipped in
chinesecalendar: Mid-Autumn 9月25日–27日 and National Day 10月1日–7日 off, Sunday 9月20日 and
Saturday 10月10日 adjusted working days; 10月8日 (Thursday) is an ordinary working day.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from sharing.working_days import OVERRIDE_PATH, WorkingCalendar, WorkingCalendarError, default_calendar

CAL = default_calendar()


def test_national_day_2026_is_off_and_its_adjusted_weekends_are_working_days() -> None:
    for day in range(1, 8):
        assert not CAL.is_working_day(date(2026, 10, day)), f"10月{day}日"
    assert CAL.is_working_day(date(2026, 10, 8))  # Thursday after the holiday
    assert CAL.is_working_day(date(2026, 9, 20))  # Sunday 调休上班
    assert CAL.is_working_day(date(2026, 10, 10))  # Saturday 调休上班
    assert not CAL.is_working_day(date(2026, 10, 11))  # an ordinary Sunday
    assert not CAL.is_working_day(date(2026, 9, 25))  # 中秋节


def test_r10_review_of_two_working_days_spans_the_holiday() -> None:
    # Wednesday 30 September: received that day, due on the second working day after it.
    deadline = CAL.deadline(date(2026, 9, 30), 2)
    assert deadline.received_on == date(2026, 9, 30)
    assert deadline.due_on == date(2026, 10, 9)
    assert not deadline.estimated


def test_a_request_on_a_holiday_is_received_on_the_next_working_day() -> None:
    deadline = CAL.deadline(date(2026, 10, 3), 2)
    assert deadline.received_on == date(2026, 10, 8)
    assert deadline.due_on == date(2026, 10, 10)  # Friday the 9th, then the working Saturday
    assert CAL.deadline(date(2026, 10, 1), 0).due_on == date(2026, 10, 8)  # obtained directly


def test_r9_response_of_three_working_days_counts_the_adjusted_sunday() -> None:
    # Friday 18 September: Saturday off, Sunday 20th works, then Monday and Tuesday.
    assert CAL.deadline(date(2026, 9, 18), 3).due_on == date(2026, 9, 22)


def test_a_year_no_calendar_covers_is_estimated_with_a_warning(tmp_path: Path) -> None:
    calendar = WorkingCalendar(None)
    year = date.today().year + 40  # certainly beyond the package
    assert not calendar.covers(year)
    start = date(year, 3, 1)
    deadline = calendar.deadline(start, 5)
    assert deadline.estimated and deadline.warnings[0].year == year
    assert "估算" in deadline.warnings[0].message_zh and "assumes" in deadline.warnings[0].message_en
    # Monday to Friday only: five working days after the day of receipt
    received = deadline.received_on
    assert received.weekday() < 5 and (deadline.due_on - received) >= timedelta(days=5)


def test_a_deadline_running_into_an_uncovered_year_warns() -> None:
    last = max(y for y in range(2004, 2100) if CAL.package_covers(y))
    deadline = CAL.deadline(date(last, 12, 31), 3)
    assert deadline.due_on.year == last + 1
    assert [w.year for w in deadline.warnings] == [last + 1]


def test_override_file_completes_a_year_and_corrects_dates(tmp_path: Path) -> None:
    year = date.today().year + 40
    path = tmp_path / "working_days.tsv"
    path.write_text(
        f"# test overrides\n{year}\tCOMPLETE\t通知\n{year}-01-01\t休\t元旦\n"
        f"{year}-01-03\tWORKDAY\t调休\n2026-10-08\tHOLIDAY\t更正\n",
        encoding="utf-8",
    )
    calendar = WorkingCalendar(path)
    assert calendar.covers(year)
    assert not calendar.is_working_day(date(year, 1, 1))
    assert calendar.is_working_day(date(year, 1, 3))
    assert not calendar.is_working_day(date(2026, 10, 8))  # a row overrides the package
    assert not calendar.deadline(date(year, 1, 1), 2).warnings


@pytest.mark.parametrize(
    "row",
    ["2027-13-01\t休", "2027-01-01\t假", "27\tCOMPLETE", "2027-01-01"],
)
def test_a_bad_override_row_is_refused_with_its_line(tmp_path: Path, row: str) -> None:
    path = tmp_path / "working_days.tsv"
    path.write_text(f"# header\n{row}\n", encoding="utf-8")
    with pytest.raises(WorkingCalendarError, match=":2:"):
        WorkingCalendar(path)


def test_the_bundled_override_file_reads() -> None:
    assert OVERRIDE_PATH.exists()
    WorkingCalendar(OVERRIDE_PATH)
