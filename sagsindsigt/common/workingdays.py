"""Danish working days, deadline due dates and processing times, each due date explainable."""

from __future__ import annotations

import calendar
import threading
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, timedelta
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType

import holidays

from sagsindsigt.common.danish import plural

__all__ = [
    "DeadlineUnit",
    "DueDate",
    "SkippedDay",
    "WorkingDayRules",
    "add_working_days",
    "due_date",
    "is_working_day",
    "non_working_reason",
    "public_holidays",
    "working_days_between",
]


class DeadlineUnit(StrEnum):
    """Unit of a deadline; the values are stored in the database."""

    CALENDAR_DAYS = "calendar_days"
    WORKING_DAYS = "working_days"
    WEEKS = "weeks"
    MONTHS = "months"


@dataclass(frozen=True)
class WorkingDayRules:
    """A municipality's optional closing days (lukkedage); public holidays always apply."""

    closed_june_5: bool = False
    closed_dec_24: bool = False
    closed_dec_31: bool = False
    closed_may_1: bool = False


@dataclass(frozen=True)
class SkippedDay:
    """A non-working day passed over while counting or moving a deadline."""

    day: date
    reason: str


_WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")

# (singular, plural) as used in "Fristen er 1 måned" / "Fristen er 3 måneder".
_UNIT_WORDS: dict[DeadlineUnit, tuple[str, str]] = {
    DeadlineUnit.CALENDAR_DAYS: ("kalenderdag", "kalenderdage"),
    DeadlineUnit.WORKING_DAYS: ("arbejdsdag", "arbejdsdage"),
    DeadlineUnit.WEEKS: ("uge", "uger"),
    DeadlineUnit.MONTHS: ("måned", "måneder"),
}


def _fmt(day: date) -> str:
    # Not strftime: "%Y" is not zero-padded for years before 1000 on every platform.
    return f"{day.day:02d}-{day.month:02d}-{day.year:04d}"


def _fmt_with_weekday(day: date) -> str:
    return f"{_fmt(day)} ({_WEEKDAYS[day.weekday()]})"


def _units(value: int, unit: DeadlineUnit) -> str:
    singular, plural = _UNIT_WORDS[unit]
    return f"{value} {singular if value == 1 else plural}"


@dataclass(frozen=True)
class DueDate:
    """A computed deadline together with the non-working days that pushed it."""

    received: date
    value: int
    unit: DeadlineUnit
    due: date
    skipped: tuple[SkippedDay, ...]

    def explanation(self) -> str:
        """Danish explanation of how the due date was reached, for caseworkers and citizens."""
        parts = [f"Modtaget {_fmt_with_weekday(self.received)}."]
        if self.unit is DeadlineUnit.WORKING_DAYS:
            parts.append(self._explain_working_days())
        else:
            parts.append(self._explain_calendar())
        if self.skipped:
            listed = ", ".join(f"{_fmt(s.day)} ({s.reason})" for s in self.skipped)
            parts.append(f"Sprunget over: {listed}.")
        else:
            parts.append("Ingen fridage er sprunget over.")
        return " ".join(parts)

    def _explain_working_days(self) -> str:
        due = _fmt_with_weekday(self.due)
        if self.value == 0:
            return (
                "Fristen er 0 arbejdsdage, dvs. modtagelsesdagen selv, hvis den er en "
                f"arbejdsdag, ellers den næste arbejdsdag: {due}."
            )
        # Day 1 is the first day after receipt that was not skipped; the rules are not
        # stored on DueDate, so it is recovered from `skipped`, which lists every
        # non-working day between receipt and the due date.
        skipped_days = {s.day for s in self.skipped}
        day_one = self.received + timedelta(days=1)
        while day_one in skipped_days:
            day_one += timedelta(days=1)
        return (
            f"Fristen er {_units(self.value, self.unit)}; modtagelsesdagen tælles ikke med, "
            f"så dag 1 er {_fmt_with_weekday(day_one)}, og fristen udløber {due}."
        )

    def _explain_calendar(self) -> str:
        end = _calendar_end(self.received, self.value, self.unit)
        text = (
            f"Fristen er {_units(self.value, self.unit)} regnet fra modtagelsesdagen, "
            f"dvs. til {_fmt_with_weekday(end)}"
        )
        if self.unit is DeadlineUnit.MONTHS and end.day != self.received.day:
            text += f", månedens sidste dag, fordi den {self.received.day}. ikke findes i den måned"
        if end == self.due:
            return f"{text}."
        return (
            f"{text}. Den dag er ikke en arbejdsdag, så fristen flyttes til næste "
            f"arbejdsdag, {_fmt_with_weekday(self.due)}."
        )


def _easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm by Meeus/Jones/Butcher)."""
    a = year % 19
    century, year_of_century = divmod(year, 100)
    leap_centuries, century_rest = divmod(century, 4)
    moon_correction = (century + 8) // 25
    g = (century - moon_correction + 1) // 3
    h = (19 * a + century - leap_centuries - g + 15) % 30
    i, k = divmod(year_of_century, 4)
    weekday_shift = (32 + 2 * century_rest + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month, day = divmod(h + weekday_shift - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _holidays_from_rules(year: int) -> dict[date, str]:
    """DOMAIN.md §4 computed directly, named as the holidays package names them."""
    easter = _easter_sunday(year)
    from_easter = {
        -3: "Skærtorsdag",
        -2: "Langfredag",
        0: "Påskedag",
        1: "Anden påskedag",
        39: "Kristi himmelfartsdag",
        49: "Pinsedag",
        50: "Anden pinsedag",
    }
    if year <= 2023:
        # Abolished by lov nr. 214 af 6. marts 2023 from 2024.
        from_easter[26] = "Store bededag"
    result = {easter + timedelta(days=offset): name for offset, name in from_easter.items()}
    result[date(year, 1, 1)] = "Nytårsdag"
    result[date(year, 12, 25)] = "Juledag"
    result[date(year, 12, 26)] = "Anden juledag"
    return dict(sorted(result.items()))


@lru_cache(maxsize=512)
def _public_holidays(year: int) -> Mapping[date, str]:
    # The holidays package (checked for 0.60 and 0.109) matches DOMAIN.md §4, including
    # store bededag being abolished from 2024; the tests re-check it against an
    # independent Easter computation so a package upgrade that breaks this is caught.
    calendar_ = holidays.country_holidays("DK", years=year, categories=(holidays.PUBLIC,), language="da")
    found = {day: str(name) for day, name in calendar_.items()}
    if not found:
        # Newer versions of the package return nothing outside their supported years
        # (0.109: 1771-2100), which would silently turn holidays into working days.
        found = _holidays_from_rules(year)
    # Read-only, because the cached object is shared by every caller.
    return MappingProxyType(found)


def public_holidays(year: int) -> dict[date, str]:
    """Danish public holidays (helligdage) of `year`, date -> Danish name.

    The computation is cached; a fresh dict is returned so callers may modify it.
    """
    return dict(_public_holidays(year))


def non_working_reason(day: date, rules: WorkingDayRules) -> str | None:
    """Why `day` is not a working day (Danish), or None if it is a working day."""
    holiday = _public_holidays(day.year).get(day)
    if holiday is not None:
        # The holiday is the more informative reason when it also falls on a weekend.
        return holiday
    month_day = (day.month, day.day)
    if month_day == (6, 5) and rules.closed_june_5:
        return "Grundlovsdag (lukkedag)"
    if month_day == (12, 24) and rules.closed_dec_24:
        return "Juleaftensdag (lukkedag)"
    if month_day == (12, 31) and rules.closed_dec_31:
        return "Nytårsaftensdag (lukkedag)"
    if month_day == (5, 1) and rules.closed_may_1:
        return "1. maj (lukkedag)"
    weekday = day.weekday()
    if weekday >= 5:
        return _WEEKDAYS[weekday]
    return None


def is_working_day(day: date, rules: WorkingDayRules) -> bool:
    """True if `day` is neither a weekend, a public holiday nor a configured closing day."""
    return non_working_reason(day, rules) is None


class _Index:
    """Precomputed working-day counts for one set of rules over a range of whole years.

    cum[i] is the number of working days in [first, first + i], so counting working days
    in a period is one subtraction and finding the nth working day is one bisection.
    """

    __slots__ = ("first", "last", "cum", "off", "off_days")

    def __init__(self, rules: WorkingDayRules, first_year: int, last_year: int) -> None:
        self.first = date(first_year, 1, 1).toordinal()
        self.last = date(last_year, 12, 31).toordinal()
        self.cum: list[int] = []
        self.off: list[int] = []
        self.off_days: list[SkippedDay] = []
        count = 0
        for ordinal in range(self.first, self.last + 1):
            day = date.fromordinal(ordinal)
            reason = non_working_reason(day, rules)
            if reason is None:
                count += 1
            else:
                self.off.append(ordinal)
                # Shared instances keep the many cached DueDate objects small.
                self.off_days.append(SkippedDay(day, reason))
            self.cum.append(count)


# Covers any realistic case date; other dates grow the index instead of failing.
_DEFAULT_YEARS = (1970, 2130)
_GROW_YEARS = 20
_indexes: dict[WorkingDayRules, _Index] = {}
_index_lock = threading.Lock()


def _index(rules: WorkingDayRules, first: int, last: int) -> _Index:
    """The index for `rules`, covering at least the ordinals first..last."""
    index = _indexes.get(rules)
    if index is not None and index.first <= first and last <= index.last:
        return index
    with _index_lock:
        index = _indexes.get(rules)
        if index is not None and index.first <= first and last <= index.last:
            return index
        first_year = date.fromordinal(first).year
        last_year = date.fromordinal(last).year
        if index is None:
            low, high = _DEFAULT_YEARS
        else:
            low = date.fromordinal(index.first).year
            high = date.fromordinal(index.last).year
        if first_year < low:
            low = max(MINYEAR, first_year - _GROW_YEARS)
        if last_year > high:
            high = min(MAXYEAR, last_year + _GROW_YEARS)
        index = _Index(rules, low, high)
        _indexes[rules] = index
        return index


def working_days_between(start: date, end: date, rules: WorkingDayRules) -> int:
    """Number of working days d with start < d <= end (0 when end <= start).

    This is the processing time in working days of a case received on `start` and
    decided on `end`.
    """
    if end <= start:
        return 0
    first, last = start.toordinal(), end.toordinal()
    index = _index(rules, first, last)
    return index.cum[last - index.first] - index.cum[first - index.first]


def elapsed_working_days(start: date, end: date | None, rules: WorkingDayRules) -> int | None:
    """Processing or reply time: working days from `start` to `end`, None while there is no end."""
    return None if end is None else working_days_between(start, end, rules)


def add_working_days(start: date, n: int, rules: WorkingDayRules) -> date:
    """The nth working day after `start` (n >= 1); `start` itself is never counted."""
    if n < 1:
        raise ValueError(f"Antal arbejdsdage skal være mindst 1, ikke {n}.")
    first = start.toordinal()
    max_ordinal = date.max.toordinal()
    # n working days always fit in 2n + 14 calendar days (at most ~17 weekdays a year
    # are holidays or closing days); the loop only guards that estimate.
    last = min(first + 2 * n + 14, max_ordinal)
    while True:
        index = _index(rules, first, last)
        offset = first - index.first
        target = index.cum[offset] + n
        position = bisect_left(index.cum, target, lo=offset)
        if position < len(index.cum):
            return date.fromordinal(index.first + position)
        if last == max_ordinal:
            raise ValueError(
                f"{plural(n, 'arbejdsdag', 'arbejdsdage')} efter {_fmt(start)} ligger efter år {MAXYEAR}."
            )
        last = min(last + 2 * n + 14, max_ordinal)


def _first_working_day_from(day: date, rules: WorkingDayRules) -> date:
    """`day` if it is a working day, otherwise the next working day."""
    if is_working_day(day, rules):
        return day
    return add_working_days(day, 1, rules)


def _skipped_days(first: date, stop: date, rules: WorkingDayRules) -> tuple[SkippedDay, ...]:
    """The non-working days d with first <= d < stop."""
    if stop <= first:
        return ()
    index = _index(rules, first.toordinal(), stop.toordinal())
    lo = bisect_left(index.off, first.toordinal())
    hi = bisect_left(index.off, stop.toordinal(), lo=lo)
    return tuple(index.off_days[lo:hi])


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    # 31 Jan + 1 month is the last day of February, not an error or 2/3 March.
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


def _calendar_end(received: date, value: int, unit: DeadlineUnit) -> date:
    """The raw end of a calendar deadline, before moving it off a non-working day."""
    if unit is DeadlineUnit.CALENDAR_DAYS:
        return received + timedelta(days=value)
    if unit is DeadlineUnit.WEEKS:
        return received + timedelta(weeks=value)
    if unit is DeadlineUnit.MONTHS:
        return _add_months(received, value)
    raise ValueError(f"{unit} er ikke en kalenderfrist.")


def due_date(received: date, value: int, unit: DeadlineUnit | str, rules: WorkingDayRules) -> DueDate:
    """The due date of a deadline of `value` `unit` for a case received on `received`.

    Working days: the day of receipt is not counted; the due date is the `value`th working
    day after it. A value of 0 working days means the day of receipt itself when it is a
    working day, otherwise the next working day, so that a due date is always a day the
    municipality can act on. Calendar days, weeks and months run from the day of receipt
    (a month deadline ends on the same date, or the month's last day); an end on a
    non-working day moves to the next working day.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"Fristens længde skal være et helt tal, ikke {value!r}.")
    if value < 0:
        raise ValueError(f"Fristens længde kan ikke være negativ: {value}.")
    try:
        deadline_unit = DeadlineUnit(unit)
    except ValueError:
        known = ", ".join(u.value for u in DeadlineUnit)
        raise ValueError(f"Ukendt fristenhed {unit!r}; brug en af: {known}.") from None
    return _due_date(received, value, deadline_unit, rules)


# The demo data generator asks for the same (received, value, unit, rules) many times.
@lru_cache(maxsize=1 << 16)
def _due_date(received: date, value: int, unit: DeadlineUnit, rules: WorkingDayRules) -> DueDate:
    if unit is DeadlineUnit.WORKING_DAYS:
        if value == 0:
            due = _first_working_day_from(received, rules)
            skipped = _skipped_days(received, due, rules)
        else:
            due = add_working_days(received, value, rules)
            skipped = _skipped_days(received + timedelta(days=1), due, rules)
    else:
        end = _calendar_end(received, value, unit)
        due = _first_working_day_from(end, rules)
        skipped = _skipped_days(end, due, rules)
    return DueDate(received=received, value=value, unit=unit, due=due, skipped=skipped)
