"""The periods a saved view can keep: relative ones, resolved on the day they are read, or fixed (pure)."""

from __future__ import annotations

from datetime import date, timedelta

from sagsindsigt.common.periods import Period

LAST_12_MONTHS = "last_12_months"
LAST_MONTH = "last_month"
YEAR_TO_DATE = "year_to_date"
FIXED = "fixed"

PERIOD_KINDS: dict[str, str] = {
    LAST_12_MONTHS: "Seneste 12 hele måneder",
    LAST_MONTH: "Seneste hele måned",
    YEAR_TO_DATE: "År til dato",
    FIXED: "Fast periode",
}


def last_whole_months(today: date, months: int) -> Period:
    """The `months` whole calendar months before the month of `today`."""
    end = today.replace(day=1) - timedelta(days=1)
    back = end.year * 12 + end.month - 1 - (months - 1)
    return Period(date(back // 12, back % 12 + 1, 1), end)


def resolve(kind: str, today: date, start: date | None = None, end: date | None = None) -> Period:
    """The period a saved view means on `today`. Year to date runs to the day before `today`, so on the
    first of a month it is the year's whole months (a digest's year, not one with a day more)."""
    if kind == LAST_12_MONTHS:
        return last_whole_months(today, 12)
    if kind == LAST_MONTH:
        return last_whole_months(today, 1)
    if kind == YEAR_TO_DATE:
        yesterday = today - timedelta(days=1)
        return Period(date(yesterday.year, 1, 1), yesterday)
    if kind == FIXED and start is not None and end is not None:
        return Period(start, end)
    raise ValueError(f"Ukendt periodetype: {kind}")


def kind_of(period: Period, today: date) -> str:
    """The relative kind a period shown on `today` is an instance of, else FIXED (a preset picked on a
    dashboard is saved as what it means, not as the dates it gave today)."""
    for kind in (LAST_12_MONTHS, LAST_MONTH):
        if resolve(kind, today) == period:
            return kind
    if period.start == date(today.year, 1, 1) and period.end in (today, today - timedelta(days=1)):
        return YEAR_TO_DATE
    return FIXED


def digest_today(month: date) -> date:
    """The day a digest of `month` is read as of: the first of the month after it."""
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)
