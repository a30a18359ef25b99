"""Date ranges and calendar months (pure; no database)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Period:
    """An inclusive date range."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("Perioden slutter før den begynder.")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first_month = 3 * (quarter - 1) + 1
        last_month = first_month + 2
        return cls(
            date(year, first_month, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])
        )

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))

    @property
    def first_month(self) -> date:
        return self.start.replace(day=1)

    def label(self) -> str:
        return f"{self.start:%d-%m-%Y} – {self.end:%d-%m-%Y}"


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_ranges(months: Iterable[date]) -> list[tuple[date, date]]:
    """Contiguous runs of months as inclusive date ranges (first day of the first, last of the last)."""
    ranges: list[tuple[date, date]] = []
    for month in sorted({month_start(m) for m in months}):
        if ranges and month_start(ranges[-1][1]) == _previous_month(month):
            ranges[-1] = (ranges[-1][0], month_end(month))
        else:
            ranges.append((month, month_end(month)))
    return ranges


def _previous_month(month: date) -> date:
    return date(month.year - 1, 12, 1) if month.month == 1 else date(month.year, month.month - 1, 1)


def months_between(start: date, end: date) -> Iterator[date]:
    month = month_start(start)
    while month <= end:
        yield month
        month = date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)
