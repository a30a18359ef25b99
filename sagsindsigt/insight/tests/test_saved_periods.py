"""The periods a saved view keeps, resolved on the day it is read (pure)."""

from __future__ import annotations

from datetime import date

import pytest

from sagsindsigt.common.periods import Period
from sagsindsigt.insight.dashboards.forms import presets
from sagsindsigt.insight.saved.periods import (
    FIXED,
    LAST_12_MONTHS,
    LAST_MONTH,
    YEAR_TO_DATE,
    digest_today,
    kind_of,
    resolve,
)


@pytest.mark.parametrize(
    ("kind", "today", "expected"),
    [
        (LAST_12_MONTHS, date(2026, 12, 1), Period(date(2025, 12, 1), date(2026, 11, 30))),
        (LAST_12_MONTHS, date(2026, 1, 15), Period(date(2025, 1, 1), date(2025, 12, 31))),
        (LAST_MONTH, date(2026, 12, 1), Period(date(2026, 11, 1), date(2026, 11, 30))),
        (LAST_MONTH, date(2026, 3, 31), Period(date(2026, 2, 1), date(2026, 2, 28))),
        (LAST_MONTH, date(2026, 1, 10), Period(date(2025, 12, 1), date(2025, 12, 31))),
        (YEAR_TO_DATE, date(2026, 12, 1), Period(date(2026, 1, 1), date(2026, 11, 30))),
        (YEAR_TO_DATE, date(2026, 6, 15), Period(date(2026, 1, 1), date(2026, 6, 14))),
        # On New Year's Day the year so far is last year's whole year.
        (YEAR_TO_DATE, date(2027, 1, 1), Period(date(2026, 1, 1), date(2026, 12, 31))),
    ],
)
def test_relative_periods_move_with_the_day(kind: str, today: date, expected: Period) -> None:
    assert resolve(kind, today) == expected


def test_a_fixed_period_stays_put() -> None:
    # given
    start, end = date(2024, 1, 1), date(2024, 6, 30)
    # then
    assert resolve(FIXED, date(2026, 12, 1), start, end) == resolve(FIXED, date(2030, 1, 1), start, end)
    with pytest.raises(ValueError, match="Ukendt"):
        resolve(FIXED, date(2026, 12, 1))


@pytest.mark.parametrize("today", [date(2026, 12, 1), date(2026, 12, 31), date(2027, 1, 1), date(2026, 3, 1)])
def test_the_dashboards_presets_are_saved_as_what_they_mean(today: date) -> None:
    # given the presets the period picker offers today
    found = dict(presets(today))
    # then
    assert kind_of(found["Seneste 12 hele måneder"], today) == LAST_12_MONTHS
    assert kind_of(found[f"{today.year} til dato"], today) == YEAR_TO_DATE
    assert kind_of(found[str(today.year - 2)], today) == FIXED
    assert kind_of(resolve(LAST_MONTH, today), today) == LAST_MONTH


@pytest.mark.parametrize(
    ("month", "today"), [(date(2026, 11, 1), date(2026, 12, 1)), (date(2026, 12, 1), date(2027, 1, 1))]
)
def test_a_digest_reads_its_month_as_the_last_whole_month(month: date, today: date) -> None:
    assert digest_today(month) == today
    assert resolve(LAST_MONTH, digest_today(month)).start == month
