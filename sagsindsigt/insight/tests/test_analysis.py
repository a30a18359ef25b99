"""Funnels and control charts of a metric: small numbers held back, signals found, changes worded."""

from __future__ import annotations

from datetime import date

import pytest

from sagsindsigt.common.periods import Period, months_between
from sagsindsigt.insight.dashboards.analysis import Funnel, changes, control, funnel
from sagsindsigt.insight.dashboards.grid import PERIOD, Grid
from sagsindsigt.insight.dashboards.presentation import metric_cells
from sagsindsigt.insight.metrics.figures import Figures
from sagsindsigt.insight.metrics.registry import METRICS, Context, Metric

RATE = METRICS["complaints_per_1000"]
SHARE = METRICS["within_deadline_share"]


def _funnel(
    metric: Metric, per_key: dict[str, Figures], ctx: Context, *, threshold: int, adjust: bool = True
) -> Funnel | None:
    """A funnel of units side by side under one total, suppressed as a page's table would suppress them."""
    keys = list(per_key)
    grid = Grid.of({(k, "t", PERIOD): f for k, f in per_key.items()}, {"*": keys}, {"*": ["t"]}, threshold)
    cells = [((k, "*"), per_key[k]) for k in keys] + [(("*", "*"), Figures.total(per_key.values()))]
    shown = metric_cells(grid, metric, cells, ctx)
    return funnel(
        metric,
        {k: (per_key[k], shown[i]) for i, k in enumerate(keys)},
        shown[-1],
        ctx,
        threshold=threshold,
        adjust=adjust,
    )


def test_funnel_holds_back_a_count_of_four_but_plots_five() -> None:
    # given two units with 4 and 3 complaints (hidden, and together more than a small count) and one with 5
    per_key = {
        "Alfa": Figures(complaints=4, decided=400),
        "Alfa 2": Figures(complaints=3, decided=300),
        "Beta": Figures(complaints=5, decided=500),
        "Gamma": Figures(complaints=30, decided=3000),
    }
    # when
    f = _funnel(RATE, per_key, Context(), threshold=5)
    # then the small ones are listed as held back and not plotted; Beta and Gamma are plotted
    assert f is not None and f.result is not None
    rows = {r.label: r for r in f.rows}
    assert rows["Alfa"].held_back and rows["Alfa"].events.reason == "small" and rows["Alfa"].value is None
    assert rows["Alfa"].volume.value == 400  # a large volume is no secret
    assert not rows["Beta"].held_back and rows["Beta"].events.value == 5
    assert [p.key for p in f.result.points] == ["Beta", "Gamma"]
    assert f.held_back == 2
    # and the pooled target still includes them: 42 / 4,200 = 10 per 1,000
    assert f.target_shown == pytest.approx(10.0)
    # and the rows are alphabetical, never a ranking
    assert [r.label for r in f.rows] == ["Alfa", "Alfa 2", "Beta", "Gamma"]


def test_funnel_threshold_is_configurable() -> None:
    per_key = {"Alfa": Figures(complaints=4, decided=400), "Beta": Figures(complaints=40, decided=400)}
    f = _funnel(RATE, per_key, Context(), threshold=3)
    assert f is not None and f.held_back == 0


def test_funnel_flags_an_outlier_above_998() -> None:
    per_key = {f"Enhed {i}": Figures(complaints=10, decided=1000) for i in range(8)}
    per_key["Afviger"] = Figures(complaints=40, decided=1000)
    f = _funnel(RATE, per_key, Context(), threshold=5, adjust=False)
    assert f is not None
    assert {r.label: r.classification for r in f.rows}["Afviger"] == "above_998"


def test_no_funnel_for_days_or_counts() -> None:
    assert _funnel(METRICS["processing_days_median"], {"A": Figures()}, Context(), threshold=5) is None
    assert _funnel(METRICS["complaints"], {"A": Figures()}, Context(), threshold=5) is None


MONTHS = list(months_between(date(2024, 1, 1), date(2025, 12, 1)))


def test_control_chart_finds_a_run_of_seven_above_the_mean_and_calls_it_a_worsening() -> None:
    # given 24 months of 1,000 decisions: 10 complaints a month, then 16 in the last seven months
    counts = [10] * 17 + [16] * 7
    monthly = {m: Figures(complaints=c, decided=1000) for m, c in zip(MONTHS, counts, strict=True)}
    # when
    c = control(RATE, MONTHS, monthly, Context(), threshold=5)
    # then a u-chart with a run signal over the last seven months
    assert c.chart is not None and c.chart.kind == "u"
    runs = [s for s in c.signals if s.rule == "run" and s.direction == "up"]
    assert runs and runs[0].indices == tuple(range(17, 24))
    found = changes("SOF", c)
    assert any(ch.good is False and "sep 2025" not in ch.months and "dec 2025" in ch.months for ch in found)


def test_control_chart_rising_share_is_an_improvement() -> None:
    # given a share within the deadline rising five months in a row at the end
    within = [800] * 19 + [810, 830, 850, 870, 890]
    monthly = {
        m: Figures(decided_deadline_known=1000, decided_within_deadline=w)
        for m, w in zip(MONTHS, within, strict=True)
    }
    c = control(SHARE, MONTHS, monthly, Context(), threshold=5)
    assert c.chart is not None and c.chart.kind == "p"
    trend = [ch for ch in changes("SOF", c) if "stig" in ch.text.lower() or ch.direction == "up"]
    assert trend and all(ch.good for ch in trend)


def test_control_chart_leaves_out_months_without_data_and_holds_back_small_counts() -> None:
    monthly = {m: Figures(complaints=3 if i == 2 else 20 + i, decided=1000) for i, m in enumerate(MONTHS[:6])}
    monthly[MONTHS[3]] = Figures()  # no decisions: no data that month
    c = control(RATE, MONTHS[:6], monthly, Context(), threshold=5)
    assert [r.month for r in c.rows] == [MONTHS[i] for i in (0, 1, 2, 4, 5)]
    assert str(c.rows[2].events) == "<5" and c.rows[2].value is None  # 3 per 1,000 would give the 3 away
    assert c.rows[2].volume.value == 1000  # a large volume is no secret
    # the total of the chart's months would give the 3 back, so the smallest other month is hidden too
    assert str(c.rows[0].events) == "•" and c.rows[0].value is None and c.held_back == 2
    # neither is drawn, and neither counts towards the centre line or the limits
    assert c.chart is not None and c.labels == ("feb 2024", "maj 2024", "jun 2024")
    assert c.chart.centre[0] == pytest.approx((21 + 24 + 25) / 3000)
    assert c.rows[2].upper is None and c.rows[2].centre is None and c.rows[1].upper is not None


@pytest.mark.parametrize("hidden", [1, 2, 3, 4])
def test_a_hidden_month_cannot_be_worked_out_from_the_chart(hidden: int) -> None:
    # given 24 months of 1,000 decisions with about 40 complaints, and one month of 1 to 4
    counts = [40 + (i % 5) for i in range(24)]
    counts[10] = hidden
    monthly = {m: Figures(complaints=c, decided=1000) for m, c in zip(MONTHS, counts, strict=True)}
    c = control(RATE, MONTHS, monthly, Context(), threshold=5)
    # then nothing drawn or computed depends on the hidden count: the chart is the same for 1, 2, 3 and 4
    reference = control(
        RATE, MONTHS, {**monthly, MONTHS[10]: Figures(complaints=4, decided=1000)}, Context(), threshold=5
    )
    assert c.chart == reference.chart and c.signals == reference.signals
    assert [(r.events, r.value, r.centre, r.lower, r.upper) for r in c.rows] == [
        (r.events, r.value, r.centre, r.lower, r.upper) for r in reference.rows
    ]


def test_a_median_of_fewer_than_five_cases_is_held_back() -> None:
    from collections import Counter

    monthly = {m: Figures(processing_days=Counter({10: 20, 12: 20})) for m in MONTHS[:5]}
    monthly[MONTHS[2]] = Figures(processing_days=Counter({57: 1}))
    c = control(METRICS["processing_days_median"], MONTHS[:5], monthly, Context(), threshold=5)
    assert c.rows[2].value is None and c.rows[2].events.suppressed and c.rows[1].value == pytest.approx(11.0)


@pytest.mark.parametrize("lone", [1, 11])
def test_a_recording_break_next_to_a_lone_month_draws_one_set_of_xmr_limits(lone: int) -> None:
    from collections import Counter

    # given twelve months of processing times and a break leaving one month on one side of it
    monthly = {m: Figures(processing_days=Counter({10 + i % 3: 20})) for i, m in enumerate(MONTHS[:12])}
    # when the XmR chart is drawn (a lone month has no moving range)
    c = control(
        METRICS["processing_days_median"],
        MONTHS[:12],
        monthly,
        Context(),
        threshold=5,
        break_month=MONTHS[lone],
    )
    # then it is drawn, with one set of limits across the break
    assert c.chart is not None and c.chart.break_at is None
    assert len(set(c.chart.centre)) == 1


def test_control_chart_marks_a_recording_break() -> None:
    counts = [10] * 12 + [14] * 12  # a new system raises counts by 40 %
    monthly = {m: Figures(complaints=c, decided=1000) for m, c in zip(MONTHS, counts, strict=True)}
    without = control(RATE, MONTHS, monthly, Context(), threshold=5)
    with_break = control(RATE, MONTHS, monthly, Context(), threshold=5, break_month=MONTHS[12])
    assert with_break.chart is not None and with_break.chart.break_at == 12
    assert len(with_break.signals) < len(without.signals)


def test_changes_ignore_signals_older_than_six_months() -> None:
    counts = [40] + [8, 14] * 11 + [8]  # an old outlier, then plain variation around the mean
    monthly = {m: Figures(complaints=c, decided=1000) for m, c in zip(MONTHS, counts, strict=True)}
    c = control(RATE, MONTHS, monthly, Context(), threshold=5)
    assert c.signals  # the first month is far above the limit
    assert changes("SOF", c) == []


def test_an_overdispersed_funnel_is_drawn_with_the_limits_it_was_judged_by() -> None:
    # given ten units whose rates vary far more than chance allows
    rates = [5, 9, 14, 20, 6, 18, 11, 25, 8, 16]
    per_key = {f"Enhed {i}": Figures(complaints=r * 10, decided=10_000) for i, r in enumerate(rates)}
    f = _funnel(RATE, per_key, Context(), threshold=5)
    assert f is not None and f.result is not None and f.result.adjusted
    # then the drawn 99.8 % line at a unit's volume is the unit's own (widened) limit
    at_volume = next(p for p in f.curve if p.volume == 10_000)
    unit = f.result.points[0]
    assert at_volume.limits_998 == pytest.approx(unit.limits_998)


def test_few_units_keep_the_exact_limits() -> None:
    per_key = {f"Enhed {i}": Figures(complaints=r * 10, decided=10_000) for i, r in enumerate([5, 25, 12])}
    f = _funnel(RATE, per_key, Context(), threshold=5)
    assert f is not None and f.result is not None and not f.result.adjusted


def test_funnel_follows_secondary_suppression() -> None:
    # given A with 3 complaints (small) and B with 7: the pooled value reveals the total, so B is hidden too
    per_key = {
        "A": Figures(complaints=3, decided=500),
        "B": Figures(complaints=7, decided=500),
        "C": Figures(complaints=20, decided=800),
        "D": Figures(complaints=30, decided=800),
    }
    f = _funnel(RATE, per_key, Context(), threshold=5)
    assert f is not None
    rows = {r.label: r for r in f.rows}
    assert rows["A"].held_back and rows["B"].held_back
    assert str(rows["A"].events) == "<5" and str(rows["B"].events) == "•" and rows["B"].events.secondary
    assert not rows["C"].held_back and rows["C"].events.value == 20


@pytest.mark.parametrize(
    ("period", "today", "first", "last"),
    [
        # a whole year in the past: the 24 months ending with its December
        (Period.year(2024), date(2026, 11, 23), date(2023, 1, 1), date(2024, 12, 1)),
        # "2026 til dato" on 23 November: November is still running, so October is the last month
        (
            Period(date(2026, 1, 1), date(2026, 11, 23)),
            date(2026, 11, 23),
            date(2024, 11, 1),
            date(2026, 10, 1),
        ),
        # a period cut in the middle of a month ends with the month before
        (Period(date(2024, 1, 1), date(2024, 6, 15)), date(2026, 11, 23), date(2022, 6, 1), date(2024, 5, 1)),
        # a period in the future stops at the last month that has ended
        (Period.year(2030), date(2026, 11, 23), date(2024, 11, 1), date(2026, 10, 1)),
    ],
)
def test_control_chart_history_holds_whole_months_that_have_ended(
    period: Period, today: date, first: date, last: date
) -> None:
    from sagsindsigt.insight.dashboards.panels import history

    span, months = history(period, today)
    assert (months[0], months[-1], len(months)) == (first, last, 24)
    assert span.start == first and span.end.month == last.month and span.end.day >= 28


def test_months_with_nothing_recorded_are_no_data_not_zero() -> None:
    monthly = {m: Figures(complaints=10, decided=1000) for m in MONTHS[6:12]}
    c = control(METRICS["complaints"], MONTHS[:12], monthly, Context(), threshold=5)
    assert [r.month for r in c.rows] == MONTHS[6:12]
