"""Tests for sagsindsigt.common.workingdays: hand-checked dates and properties."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sagsindsigt.common.workingdays import (
    DeadlineUnit,
    DueDate,
    SkippedDay,
    WorkingDayRules,
    _holidays_from_rules,
    add_working_days,
    due_date,
    is_working_day,
    non_working_reason,
    public_holidays,
    working_days_between,
)

COPENHAGEN = WorkingDayRules()  # 24 and 31 Dec are working days there
ALL_CLOSED = WorkingDayRules(closed_june_5=True, closed_dec_24=True, closed_dec_31=True, closed_may_1=True)
CALENDAR_UNITS = [DeadlineUnit.CALENDAR_DAYS, DeadlineUnit.WEEKS, DeadlineUnit.MONTHS]


def d(iso: str) -> date:
    return date.fromisoformat(iso)


# --- independent oracles -------------------------------------------------------------------


def easter_sunday(year: int) -> date:
    """Anonymous Gregorian algorithm (Meeus/Jones/Butcher), independent of the holidays package."""
    a = year % 19
    b, c = divmod(year, 100)
    d_, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d_ - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def expected_holiday_dates(year: int) -> set[date]:
    """DOMAIN.md §4, written out from the rules."""
    easter = easter_sunday(year)
    offsets = [-3, -2, 0, 1, 39, 49, 50]
    if year <= 2023:
        offsets.append(26)  # store bededag, abolished from 2024
    fixed = {date(year, 1, 1), date(year, 12, 25), date(year, 12, 26)}
    return fixed | {easter + timedelta(days=o) for o in offsets}


def brute_working_days_between(start: date, end: date, rules: WorkingDayRules) -> int:
    return sum(
        1 for i in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=i), rules)
    )


def raw_calendar_end(received: date, value: int, unit: DeadlineUnit) -> date:
    if unit is DeadlineUnit.CALENDAR_DAYS:
        return received + timedelta(days=value)
    if unit is DeadlineUnit.WEEKS:
        return received + timedelta(days=7 * value)
    year, month = divmod(received.month - 1 + value, 12)
    year += received.year
    month += 1
    return date(year, month, min(received.day, calendar.monthrange(year, month)[1]))


# --- public holidays -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2023, "2023-04-09"),
        (2024, "2024-03-31"),
        (2025, "2025-04-20"),
        (2000, "2000-04-23"),
        (2038, "2038-04-25"),
    ],
)
def test_easter_oracle_matches_known_easter_sundays(year: int, easter: str) -> None:
    assert easter_sunday(year) == d(easter)


@pytest.mark.parametrize("year", [*range(1990, 2101), 1700, 2101, 2150, 2400])
def test_public_holidays_match_domain_rules(year: int) -> None:
    # The holidays package is trusted only as far as it agrees with DOMAIN.md §4;
    # beyond its supported years (0.109: up to 2100) the module computes them itself.
    assert set(public_holidays(year)) == expected_holiday_dates(year)


@pytest.mark.parametrize("year", range(1990, 2101))
def test_package_and_own_rules_agree_on_dates_and_names(year: int) -> None:
    # keeps the names identical on both sides of the package's last supported year
    assert public_holidays(year) == _holidays_from_rules(year)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        ("2024-01-01", "Nytårsdag"),
        ("2024-03-28", "Skærtorsdag"),
        ("2024-03-29", "Langfredag"),
        ("2024-03-31", "Påskedag"),
        ("2024-04-01", "Anden påskedag"),
        ("2024-05-09", "Kristi himmelfartsdag"),
        ("2024-05-19", "Pinsedag"),
        ("2024-05-20", "Anden pinsedag"),
        ("2024-12-25", "Juledag"),
        ("2024-12-26", "Anden juledag"),
        ("2023-04-06", "Skærtorsdag"),
        ("2023-04-07", "Langfredag"),
        ("2023-04-09", "Påskedag"),
        ("2023-04-10", "Anden påskedag"),
        ("2023-05-05", "Store bededag"),
        ("2023-05-18", "Kristi himmelfartsdag"),
    ],
)
def test_public_holiday_names(day: str, name: str) -> None:
    assert non_working_reason(d(day), COPENHAGEN) == name
    assert public_holidays(d(day).year)[d(day)] == name


def test_store_bededag_is_abolished_from_2024() -> None:
    # given Easter 2024 is 31 March, so Easter + 26 is Friday 26 April 2024
    easter_plus_26 = d("2024-03-31") + timedelta(days=26)
    assert easter_plus_26 == d("2024-04-26")
    # then it is an ordinary working day, while store bededag 2023 was not
    assert is_working_day(easter_plus_26, COPENHAGEN)
    assert "Store bededag" not in public_holidays(2024).values()
    assert not is_working_day(d("2023-05-05"), COPENHAGEN)


def test_public_holidays_returns_a_copy_that_callers_may_change() -> None:
    holidays_2024 = public_holidays(2024)
    holidays_2024.clear()
    assert d("2024-12-25") in public_holidays(2024)


# --- working days and closing days ---------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "rules", "reason"),
    [
        ("2024-06-01", COPENHAGEN, "lørdag"),
        ("2024-06-02", COPENHAGEN, "søndag"),
        ("2024-06-03", COPENHAGEN, None),
        ("2024-06-05", COPENHAGEN, None),
        ("2024-06-05", WorkingDayRules(closed_june_5=True), "Grundlovsdag (lukkedag)"),
        ("2024-12-24", COPENHAGEN, None),
        ("2024-12-24", WorkingDayRules(closed_dec_24=True), "Juleaftensdag (lukkedag)"),
        ("2024-12-25", COPENHAGEN, "Juledag"),
        ("2024-12-26", COPENHAGEN, "Anden juledag"),
        ("2024-12-27", ALL_CLOSED, None),
        ("2024-12-31", COPENHAGEN, None),
        ("2024-12-31", WorkingDayRules(closed_dec_31=True), "Nytårsaftensdag (lukkedag)"),
        ("2025-05-01", COPENHAGEN, None),
        ("2025-05-01", WorkingDayRules(closed_may_1=True), "1. maj (lukkedag)"),
        # a holiday on a weekend is reported as the holiday, the more useful reason
        ("2022-12-25", COPENHAGEN, "Juledag"),
        # a closing day on a weekend is reported as the closing day
        ("2022-12-24", WorkingDayRules(closed_dec_24=True), "Juleaftensdag (lukkedag)"),
        # a closing setting only closes its own date
        ("2024-12-24", WorkingDayRules(closed_dec_31=True), None),
    ],
)
def test_non_working_reason(day: str, rules: WorkingDayRules, reason: str | None) -> None:
    assert non_working_reason(d(day), rules) == reason
    assert is_working_day(d(day), rules) is (reason is None)


# --- due dates in working days --------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "value", "rules", "due"),
    [
        # received on Langfredag: day 1 is Tuesday 2 April (after Easter Monday)
        ("2024-03-29", 10, COPENHAGEN, "2024-04-15"),
        # received on Skærtorsdag: the day of receipt never counts anyway
        ("2024-03-28", 10, COPENHAGEN, "2024-04-15"),
        ("2024-03-27", 1, COPENHAGEN, "2024-04-02"),
        # received Saturday: day 1 is Monday
        ("2024-06-01", 1, COPENHAGEN, "2024-06-03"),
        ("2024-06-01", 5, COPENHAGEN, "2024-06-07"),
        ("2024-06-01", 5, WorkingDayRules(closed_june_5=True), "2024-06-10"),
        # Christmas in Copenhagen: 24 and 31 Dec count as working days
        ("2024-12-23", 1, COPENHAGEN, "2024-12-24"),
        ("2024-12-23", 3, COPENHAGEN, "2024-12-30"),
        ("2024-12-23", 4, COPENHAGEN, "2024-12-31"),
        ("2024-12-23", 5, COPENHAGEN, "2025-01-02"),
        # ... and where they are closing days
        ("2024-12-23", 1, WorkingDayRules(closed_dec_24=True, closed_dec_31=True), "2024-12-27"),
        ("2024-12-23", 3, WorkingDayRules(closed_dec_24=True, closed_dec_31=True), "2025-01-02"),
        # store bededag 2023 is skipped, 26 April 2024 is not
        ("2023-05-04", 1, COPENHAGEN, "2023-05-08"),
        ("2024-04-25", 1, COPENHAGEN, "2024-04-26"),
        ("2025-04-30", 1, COPENHAGEN, "2025-05-01"),
        ("2025-04-30", 1, WorkingDayRules(closed_may_1=True), "2025-05-02"),
    ],
)
def test_due_date_in_working_days(received: str, value: int, rules: WorkingDayRules, due: str) -> None:
    # when
    result = due_date(d(received), value, DeadlineUnit.WORKING_DAYS, rules)
    # then
    assert result.due == d(due)
    assert add_working_days(d(received), value, rules) == d(due)
    assert working_days_between(d(received), d(due), rules) == value


def test_received_on_good_friday_skips_easter_and_explains_it() -> None:
    # given a case received on Langfredag 2024 with a 10 working day deadline
    result = due_date(d("2024-03-29"), 10, "working_days", COPENHAGEN)
    # then day 1 is 2 April and the skipped days are the rest of Easter and the weekends
    assert result == DueDate(
        received=d("2024-03-29"),
        value=10,
        unit=DeadlineUnit.WORKING_DAYS,
        due=d("2024-04-15"),
        skipped=(
            SkippedDay(d("2024-03-30"), "lørdag"),
            SkippedDay(d("2024-03-31"), "Påskedag"),
            SkippedDay(d("2024-04-01"), "Anden påskedag"),
            SkippedDay(d("2024-04-06"), "lørdag"),
            SkippedDay(d("2024-04-07"), "søndag"),
            SkippedDay(d("2024-04-13"), "lørdag"),
            SkippedDay(d("2024-04-14"), "søndag"),
        ),
    )
    text = result.explanation()
    assert "Modtaget 29-03-2024" in text
    assert "10 arbejdsdage" in text
    assert "dag 1 er 02-04-2024" in text
    assert "15-04-2024" in text
    assert "01-04-2024 (Anden påskedag)" in text


def test_explanation_names_the_skipped_holidays() -> None:
    # given a deadline received the day before Easter 2024
    result = due_date(d("2024-03-27"), 2, DeadlineUnit.WORKING_DAYS, COPENHAGEN)
    # then the explanation names every holiday it skipped
    text = result.explanation()
    for name in ("Skærtorsdag", "Langfredag", "Påskedag", "Anden påskedag", "lørdag"):
        assert name in text
    assert "29-03-2024 (Langfredag)" in text
    assert result.due == d("2024-04-03")


def test_explanation_without_skipped_days() -> None:
    result = due_date(d("2024-04-08"), 3, DeadlineUnit.WORKING_DAYS, COPENHAGEN)
    assert result.due == d("2024-04-11")
    assert result.skipped == ()
    assert "Ingen fridage" in result.explanation()


def test_explanation_singular_unit() -> None:
    assert "1 arbejdsdag;" in due_date(d("2024-04-08"), 1, "working_days", COPENHAGEN).explanation()
    assert "1 måned " in due_date(d("2024-04-08"), 1, "months", COPENHAGEN).explanation()


@pytest.mark.parametrize(
    ("received", "due", "skipped"),
    [
        ("2024-04-02", "2024-04-02", ()),
        ("2024-03-29", "2024-04-02", ("2024-03-29", "2024-03-30", "2024-03-31", "2024-04-01")),
        ("2024-06-01", "2024-06-03", ("2024-06-01", "2024-06-02")),
    ],
)
def test_zero_working_days_is_receipt_day_or_next_working_day(
    received: str, due: str, skipped: tuple[str, ...]
) -> None:
    result = due_date(d(received), 0, DeadlineUnit.WORKING_DAYS, COPENHAGEN)
    assert result.due == d(due)
    assert tuple(s.day for s in result.skipped) == tuple(map(d, skipped))
    assert "0 arbejdsdage" in result.explanation()


# --- due dates in calendar units ------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "value", "unit", "rules", "due"),
    [
        # month-end clamp: leap year and ordinary year (28 Feb 2023 is a Tuesday)
        ("2024-01-31", 1, DeadlineUnit.MONTHS, COPENHAGEN, "2024-02-29"),
        ("2023-01-31", 1, DeadlineUnit.MONTHS, COPENHAGEN, "2023-02-28"),
        ("2024-03-31", 1, DeadlineUnit.MONTHS, COPENHAGEN, "2024-04-30"),
        ("2023-11-30", 3, DeadlineUnit.MONTHS, COPENHAGEN, "2024-02-29"),
        ("2024-01-15", 12, DeadlineUnit.MONTHS, COPENHAGEN, "2025-01-15"),
        # month ending on store bededag 2023 moves to Monday; the same in 2024 does not move
        ("2023-04-05", 1, DeadlineUnit.MONTHS, COPENHAGEN, "2023-05-08"),
        ("2024-03-26", 1, DeadlineUnit.MONTHS, COPENHAGEN, "2024-04-26"),
        # calendar days ending on a Sunday move to Monday
        ("2024-09-02", 6, DeadlineUnit.CALENDAR_DAYS, COPENHAGEN, "2024-09-09"),
        ("2024-09-02", 4, DeadlineUnit.CALENDAR_DAYS, COPENHAGEN, "2024-09-06"),
        ("2024-12-20", 4, DeadlineUnit.CALENDAR_DAYS, COPENHAGEN, "2024-12-24"),
        ("2024-12-20", 4, DeadlineUnit.CALENDAR_DAYS, WorkingDayRules(closed_dec_24=True), "2024-12-27"),
        ("2024-12-21", 10, DeadlineUnit.CALENDAR_DAYS, COPENHAGEN, "2024-12-31"),
        ("2024-12-21", 10, DeadlineUnit.CALENDAR_DAYS, ALL_CLOSED, "2025-01-02"),
        # weeks
        ("2024-09-08", 2, DeadlineUnit.WEEKS, COPENHAGEN, "2024-09-23"),
        ("2024-09-04", 1, DeadlineUnit.WEEKS, COPENHAGEN, "2024-09-11"),
        ("2024-03-14", 2, DeadlineUnit.WEEKS, COPENHAGEN, "2024-04-02"),
        ("2024-05-29", 1, DeadlineUnit.WEEKS, WorkingDayRules(closed_june_5=True), "2024-06-06"),
        # zero calendar days: the day of receipt, moved if needed
        ("2024-03-29", 0, DeadlineUnit.CALENDAR_DAYS, COPENHAGEN, "2024-04-02"),
    ],
)
def test_due_date_in_calendar_units(
    received: str, value: int, unit: DeadlineUnit, rules: WorkingDayRules, due: str
) -> None:
    assert due_date(d(received), value, unit, rules).due == d(due)


def test_calendar_deadline_on_sunday_is_moved_and_explained() -> None:
    # given Monday 2 September 2024 + 6 days = Sunday 8 September
    result = due_date(d("2024-09-02"), 6, "calendar_days", COPENHAGEN)
    # then
    assert result.due == d("2024-09-09")
    assert result.skipped == (SkippedDay(d("2024-09-08"), "søndag"),)
    text = result.explanation()
    assert "08-09-2024 (søndag)" in text
    assert "flyttes til næste arbejdsdag, 09-09-2024" in text


def test_weeks_ending_on_maundy_thursday_explains_easter() -> None:
    result = due_date(d("2024-03-14"), 2, DeadlineUnit.WEEKS, COPENHAGEN)
    assert [s.reason for s in result.skipped] == [
        "Skærtorsdag",
        "Langfredag",
        "lørdag",
        "Påskedag",
        "Anden påskedag",
    ]
    assert "2 uger" in result.explanation()


def test_month_clamp_is_explained() -> None:
    text = due_date(d("2023-01-31"), 1, DeadlineUnit.MONTHS, COPENHAGEN).explanation()
    assert "28-02-2023 (tirsdag)" in text
    assert "månedens sidste dag" in text


def test_christmas_explanation_names_closing_days() -> None:
    rules = WorkingDayRules(closed_dec_24=True, closed_dec_31=True)
    text = due_date(d("2024-12-23"), 3, DeadlineUnit.WORKING_DAYS, rules).explanation()
    assert "24-12-2024 (Juleaftensdag (lukkedag))" in text
    assert "31-12-2024 (Nytårsaftensdag (lukkedag))" in text
    assert "01-01-2025 (Nytårsdag)" in text


# --- validation and unit handling -----------------------------------------------------------


def test_unit_may_be_given_as_the_stored_string() -> None:
    result = due_date(d("2024-09-04"), 1, "weeks", COPENHAGEN)
    assert result.unit is DeadlineUnit.WEEKS
    assert result == due_date(d("2024-09-04"), 1, DeadlineUnit.WEEKS, COPENHAGEN)


def test_deadline_unit_values_are_stable() -> None:
    # these are stored in the database
    assert [u.value for u in DeadlineUnit] == ["calendar_days", "working_days", "weeks", "months"]


@pytest.mark.parametrize("unit", list(DeadlineUnit))
def test_negative_value_is_rejected_in_danish(unit: DeadlineUnit) -> None:
    with pytest.raises(ValueError, match="negativ"):
        due_date(d("2024-01-10"), -1, unit, COPENHAGEN)


def test_unknown_unit_is_rejected() -> None:
    with pytest.raises(ValueError, match="Ukendt fristenhed"):
        due_date(d("2024-01-10"), 1, "fortnights", COPENHAGEN)


@pytest.mark.parametrize("n", [0, -3])
def test_add_working_days_needs_at_least_one(n: int) -> None:
    with pytest.raises(ValueError, match="mindst 1"):
        add_working_days(d("2024-01-10"), n, COPENHAGEN)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2024-03-27", "2024-03-27", 0),
        ("2024-04-15", "2024-03-29", 0),
        ("2024-03-27", "2024-04-02", 1),
        ("2024-03-29", "2024-04-15", 10),
        # 2024: 262 weekdays, 8 of them holidays (1/1, 28/3, 29/3, 1/4, 9/5, 20/5, 25/12, 26/12)
        ("2024-01-01", "2024-12-31", 254),
        ("2023-12-31", "2024-12-31", 254),
    ],
)
def test_working_days_between_hand_checked(start: str, end: str, expected: int) -> None:
    assert working_days_between(d(start), d(end), COPENHAGEN) == expected


def test_closing_days_reduce_the_working_days_of_a_year() -> None:
    # 1 May, 5 June, 24 and 31 Dec 2024 are all weekdays
    assert working_days_between(d("2023-12-31"), d("2024-12-31"), ALL_CLOSED) == 250


def test_dates_far_outside_the_precomputed_range() -> None:
    # the index grows on demand; results must still match a day-by-day count
    for start, end in [(d("1900-02-20"), d("1900-05-01")), (d("2400-12-01"), d("2401-01-10"))]:
        assert working_days_between(start, end, ALL_CLOSED) == brute_working_days_between(
            start, end, ALL_CLOSED
        )
    assert add_working_days(d("2400-12-23"), 1, COPENHAGEN) == d("2400-12-27")


def test_large_working_day_count() -> None:
    start = d("2024-01-01")
    due = add_working_days(start, 5000, ALL_CLOSED)
    assert is_working_day(due, ALL_CLOSED)
    assert working_days_between(start, due, ALL_CLOSED) == 5000


# --- properties ----------------------------------------------------------------------------

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
rules_st = st.builds(WorkingDayRules, st.booleans(), st.booleans(), st.booleans(), st.booleans())
values = st.integers(min_value=0, max_value=400)


@settings(max_examples=300)
@given(received=dates, n=st.integers(min_value=1, max_value=400), rules=rules_st)
def test_property_working_day_due_date(received: date, n: int, rules: WorkingDayRules) -> None:
    result = due_date(received, n, DeadlineUnit.WORKING_DAYS, rules)
    assert is_working_day(result.due, rules)
    assert working_days_between(received, result.due, rules) == n
    # the day before the due date still had fewer than n working days
    assert working_days_between(received, result.due - timedelta(days=1), rules) == n - 1


@settings(max_examples=300)
@given(received=dates, value=values, unit=st.sampled_from(DeadlineUnit), rules=rules_st)
def test_property_due_date_is_not_before_receipt(
    received: date, value: int, unit: DeadlineUnit, rules: WorkingDayRules
) -> None:
    result = due_date(received, value, unit, rules)
    assert result.due >= received
    assert is_working_day(result.due, rules)
    assert result.explanation().startswith(f"Modtaget {received:%d-%m-%Y}")


@settings(max_examples=300)
@given(received=dates, value=values, unit=st.sampled_from(CALENDAR_UNITS), rules=rules_st)
def test_property_calendar_due_date_is_first_working_day_from_raw_end(
    received: date, value: int, unit: DeadlineUnit, rules: WorkingDayRules
) -> None:
    # given
    raw_end = raw_calendar_end(received, value, unit)
    # when
    result = due_date(received, value, unit, rules)
    # then
    assert result.due >= raw_end
    assert is_working_day(result.due, rules)
    between = [raw_end + timedelta(days=i) for i in range((result.due - raw_end).days)]
    assert all(not is_working_day(day, rules) for day in between)
    assert [s.day for s in result.skipped] == between


@settings(max_examples=300)
@given(days=st.lists(dates, min_size=3, max_size=3), rules=rules_st)
def test_property_working_days_between_is_additive(days: list[date], rules: WorkingDayRules) -> None:
    a, b, c = sorted(days)
    assert working_days_between(a, c, rules) == working_days_between(a, b, rules) + working_days_between(
        b, c, rules
    )


@settings(max_examples=200)
@given(start=dates, length=st.integers(min_value=-10, max_value=120), rules=rules_st)
def test_property_working_days_between_matches_day_by_day_count(
    start: date, length: int, rules: WorkingDayRules
) -> None:
    end = start + timedelta(days=length)
    assert working_days_between(start, end, rules) == brute_working_days_between(start, end, rules)


@settings(max_examples=300)
@given(received=dates, value=values, unit=st.sampled_from(DeadlineUnit), rules=rules_st)
def test_property_skipped_days_are_non_working_and_within_the_period(
    received: date, value: int, unit: DeadlineUnit, rules: WorkingDayRules
) -> None:
    result = due_date(received, value, unit, rules)
    skipped_days = [s.day for s in result.skipped]
    assert skipped_days == sorted(set(skipped_days))
    for skipped in result.skipped:
        assert received <= skipped.day <= result.due
        assert skipped.day != result.due
        assert non_working_reason(skipped.day, rules) == skipped.reason
    if unit is DeadlineUnit.WORKING_DAYS and value >= 1:
        # every non-working day strictly between receipt and due date is accounted for
        period = [received + timedelta(days=i) for i in range(1, (result.due - received).days)]
        assert skipped_days == [day for day in period if not is_working_day(day, rules)]
