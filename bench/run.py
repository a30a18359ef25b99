"""Benchmarks: print figures and ratios against a baseline measured in the same run (make bench)."""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sagsindsigt.common.workingdays import (  # noqa: E402
    DeadlineUnit,
    WorkingDayRules,
    add_working_days,
    due_date,
    is_working_day,
    working_days_between,
)

RULES = WorkingDayRules(closed_june_5=True)
N = 300_000  # cases in the default demo municipality


def naive_working_days_between(start: date, end: date) -> int:
    """Baseline: walk day by day."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day, RULES)
    return count


def naive_add_working_days(start: date, n: int) -> date:
    """Baseline: step day by day until n working days have passed."""
    day = start
    while n:
        day += timedelta(days=1)
        n -= is_working_day(day, RULES)
    return day


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def bench_working_days() -> None:
    rng = random.Random(1)
    first = date(2022, 1, 1).toordinal()
    pairs = []
    for _ in range(N):
        received = date.fromordinal(first + rng.randrange(3 * 365))
        pairs.append((received, received + timedelta(days=rng.randrange(1, 120))))

    fast = timed(lambda: [working_days_between(a, b, RULES) for a, b in pairs])
    naive = timed(lambda: [naive_working_days_between(a, b) for a, b in pairs[: N // 10]], repeat=1) * 10
    print(
        f"working_days_between  {N:,} cases: {fast:.2f} s ({N / fast:,.0f}/s); "
        f"day-by-day baseline {naive:.2f} s; ratio {naive / fast:.1f}x faster"
    )

    received_dates = [a for a, _b in pairs]
    due = timed(lambda: [due_date(a, 10, DeadlineUnit.WORKING_DAYS, RULES).due for a in received_dates])
    naive_due = (
        timed(lambda: [naive_add_working_days(a, 10) for a in received_dates[: N // 10]], repeat=1) * 10
    )
    print(
        f"due_date (10 wd)      {N:,} cases: {due:.2f} s ({N / due:,.0f}/s); "
        f"day-by-day baseline {naive_due:.2f} s; ratio {naive_due / due:.1f}x faster"
    )
    assert add_working_days(received_dates[0], 10, RULES) == naive_add_working_days(received_dates[0], 10)


if __name__ == "__main__":
    bench_working_days()
