"""Funnel limits against scipy and hand-computed values; control-chart rules against constructed series."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sp

from sagsindsigt.stats.control import ControlChart, p_chart, signals, u_chart, xmr_chart, xmr_sigma
from sagsindsigt.stats.distributions import binom_cdf, poisson_cdf
from sagsindsigt.stats.funnel import (
    FunnelUnit,
    funnel_curve,
    funnel_limits_adjusted,
    funnel_limits_proportion,
    funnel_limits_rate,
    funnel_points,
    overdispersion,
)

COVERAGES = [0.95, 0.998]


def _tails(coverage: float) -> tuple[float, float]:
    return (1 - coverage) / 2, (1 + coverage) / 2


def _scipy_interpolated(dist: sp.rv_discrete, q: float) -> float:
    """Spiegelhalter's interpolated count limit from scipy's ppf and cdf (negative when the quantile is 0)."""
    r = dist.ppf(q)
    at, below = dist.cdf(r), dist.cdf(r - 1)
    return r - (at - q) / (at - below)


# --- funnel limits: reference values --------------------------------------------------------------------


@pytest.mark.parametrize("coverage", COVERAGES)
@pytest.mark.parametrize("n", [1, 10, 1000, 100_000])
@pytest.mark.parametrize("p0", [0.0005, 0.01, 0.2, 0.5, 0.97, 0.9995])
def test_proportion_limits_match_scipy_quantiles(p0: float, n: int, coverage: float) -> None:
    # given
    q_lo, q_hi = _tails(coverage)
    # when
    lower, upper = funnel_limits_proportion(p0, n, coverage)
    # then
    assert lower == sp.binom.ppf(q_lo, n, p0) / n
    assert upper == sp.binom.ppf(q_hi, n, p0) / n


@pytest.mark.parametrize("coverage", COVERAGES)
@pytest.mark.parametrize("n", [1, 10, 1000, 100_000])
@pytest.mark.parametrize("p0", [0.0005, 0.01, 0.2, 0.5, 0.97, 0.9995])
def test_interpolated_proportion_limits_match_scipy(p0: float, n: int, coverage: float) -> None:
    q_lo, q_hi = _tails(coverage)
    dist = sp.binom(n, p0)
    expected_lower = max(_scipy_interpolated(dist, q_lo), 0.0) / n
    expected_upper = max(_scipy_interpolated(dist, q_hi), 0.0) / n

    lower, upper = funnel_limits_proportion(p0, n, coverage, interpolate=True)

    assert lower == pytest.approx(expected_lower, abs=1e-9)
    assert upper == pytest.approx(expected_upper, abs=1e-9)


@pytest.mark.parametrize("coverage", COVERAGES)
@pytest.mark.parametrize("exposure", [1.0, 10.0, 250.0, 1000.0, 50_000.0])
@pytest.mark.parametrize("rate0", [0.0001, 0.004, 0.05, 0.3, 2.5])
def test_rate_limits_match_scipy_quantiles(rate0: float, exposure: float, coverage: float) -> None:
    q_lo, q_hi = _tails(coverage)
    mu = rate0 * exposure

    lower, upper = funnel_limits_rate(rate0, exposure, coverage)
    smooth_lower, smooth_upper = funnel_limits_rate(rate0, exposure, coverage, interpolate=True)

    assert lower == sp.poisson.ppf(q_lo, mu) / exposure
    assert upper == sp.poisson.ppf(q_hi, mu) / exposure
    dist = sp.poisson(mu)
    assert smooth_lower == pytest.approx(max(_scipy_interpolated(dist, q_lo), 0.0) / exposure, abs=1e-9)
    assert smooth_upper == pytest.approx(max(_scipy_interpolated(dist, q_hi), 0.0) / exposure, abs=1e-9)


@pytest.mark.parametrize(
    ("k", "n", "p"),
    [(0, 1, 0.5), (3, 10, 0.2), (480, 1000, 0.5), (10, 100_000, 1e-4), (99_900, 100_000, 0.999)]
    + [(500_700, 1_000_000, 0.5), (1, 3, 1e-9)],
)
def test_binomial_cdf_matches_scipy(k: int, n: int, p: float) -> None:
    assert binom_cdf(k, n, p) == pytest.approx(sp.binom.cdf(k, n, p), rel=1e-8)


@pytest.mark.parametrize(("k", "mu"), [(0, 1.0), (3, 1.0), (5, 0.01), (95, 100.0), (1_001_500, 1e6)])
def test_poisson_cdf_matches_scipy(k: int, mu: float) -> None:
    assert poisson_cdf(k, mu) == pytest.approx(sp.poisson.cdf(k, mu), rel=1e-8)


def test_proportion_limits_by_hand() -> None:
    # Binomial(10, 1/2): P(X <= 1) = 11/1024, P(X <= 2) = 56/1024, P(X <= 7) = 968/1024,
    # P(X <= 8) = 1013/1024, so the 2.5 % and 97.5 % quantiles are 2 and 8.
    assert funnel_limits_proportion(0.5, 10, 0.95) == (0.2, 0.8)
    # Interpolated: 2 - (56 - 25.6)/45 = 1.324444 and 8 - (1013 - 998.4)/45 = 7.675556 (out of 10).
    lower, upper = funnel_limits_proportion(0.5, 10, 0.95, interpolate=True)
    assert lower == pytest.approx(0.1324444, abs=1e-7)
    assert upper == pytest.approx(0.7675556, abs=1e-7)
    # One case at 1/2: P(X <= 0) = 0.5 covers both tails' quantiles at 0 and 1.
    assert funnel_limits_proportion(0.5, 1, 0.95) == (0.0, 1.0)


def test_rate_limits_by_hand() -> None:
    # 1 complaint per 1,000 cases over 1,000 cases: Poisson(1). P(X <= 2) = 2.5/e = 0.9197,
    # P(X <= 3) = (8/3)/e = 0.9810, P(X <= 4) = (65/24)/e = 0.99634, P(X <= 5) = (163/60)/e = 0.99941.
    assert funnel_limits_rate(0.001, 1000, 0.95) == (0.0, 0.003)
    assert funnel_limits_rate(0.001, 1000, 0.998) == (0.0, 0.005)


def test_exact_tie_at_the_quantile_gives_the_smaller_count() -> None:
    # Binomial(2, 1/2): P(X <= 0) = 1/4 and P(X <= 1) = 3/4 exactly, the tails of 50 % coverage.
    assert (sp.binom.ppf(0.25, 2, 0.5), sp.binom.ppf(0.75, 2, 0.5)) == (0, 1)
    assert funnel_limits_proportion(0.5, 2, 0.5) == (0.0, 0.5)


@pytest.mark.parametrize(("p0", "expected"), [(0.0, (0.0, 0.0)), (1.0, (1.0, 1.0))])
def test_degenerate_target_gives_a_closed_funnel(p0: float, expected: tuple[float, float]) -> None:
    assert funnel_limits_proportion(p0, 25, 0.998) == expected


@pytest.mark.parametrize(
    "call",
    [
        lambda: funnel_limits_proportion(0.5, 0, 0.95),
        lambda: funnel_limits_proportion(1.5, 10, 0.95),
        lambda: funnel_limits_proportion(0.5, 10, 1.0),
        lambda: funnel_limits_rate(0.1, 0.0, 0.95),
        lambda: funnel_limits_rate(-0.1, 10.0, 0.95),
    ],
)
def test_invalid_funnel_input_is_rejected(call: object) -> None:
    with pytest.raises(ValueError):
        call()  # type: ignore[operator]


# --- funnel limits: properties --------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    p0=st.floats(min_value=0.001, max_value=0.999),
    n=st.integers(min_value=1, max_value=20_000),
    coverage=st.sampled_from(COVERAGES),
)
def test_proportion_funnel_narrows_as_volume_doubles(p0: float, n: int, coverage: float) -> None:
    # Exact limits are saw-toothed (and for rare events the upper line starts at 0 and opens at n near
    # 1/p0), so narrowing is asserted on doubling the volume once n·p0·(1 - p0) >= 1.
    n = max(n, math.ceil(1 / (p0 * (1 - p0))))
    lower, upper = funnel_limits_proportion(p0, n, coverage)
    lower2, upper2 = funnel_limits_proportion(p0, 2 * n, coverage)
    assert upper2 - lower2 <= upper - lower
    assert lower <= p0 <= upper


@settings(max_examples=150, deadline=None)
@given(
    p0=st.floats(min_value=0.0, max_value=1.0),
    n=st.integers(min_value=1, max_value=20_000),
    coverage=st.sampled_from(COVERAGES),
)
def test_count_limits_grow_by_at_most_one_per_case(p0: float, n: int, coverage: float) -> None:
    # Binomial(n + 1) is Binomial(n) plus one more case, so each count quantile rises by 0 or 1.
    lower, upper = funnel_limits_proportion(p0, n, coverage)
    lower1, upper1 = funnel_limits_proportion(p0, n + 1, coverage)
    assert round(lower1 * (n + 1)) - round(lower * n) in (0, 1)
    assert round(upper1 * (n + 1)) - round(upper * n) in (0, 1)


@settings(max_examples=150, deadline=None)
@given(
    rate0=st.floats(min_value=0.0005, max_value=0.5),
    exposure=st.floats(min_value=1.0, max_value=50_000.0),
    coverage=st.sampled_from(COVERAGES),
)
def test_rate_funnel_narrows_as_exposure_doubles(rate0: float, exposure: float, coverage: float) -> None:
    exposure = max(exposure, 1 / rate0)  # at least one expected event, as for proportions
    lower, upper = funnel_limits_rate(rate0, exposure, coverage)
    lower2, upper2 = funnel_limits_rate(rate0, 2 * exposure, coverage)
    assert upper2 - lower2 <= upper - lower


# --- over-dispersion -------------------------------------------------------------------------------------

POISSON_LIKE = [10, 9, 11, 12, 8, 10, 7, 13, 10, 11, 9, 10]
OVERDISPERSED = [2, 25, 5, 20, 3, 18, 4, 22, 6, 17, 10, 15]


def test_poisson_like_set_is_not_overdispersed() -> None:
    # given: 12 units, 1,000 cases each, target 1 % -> expected 10, z = (count - 10)/sqrt(10)
    observed = [(c, 1000.0) for c in POISSON_LIKE]
    # when
    result = overdispersion(observed, 0.01, "rate")
    # then: Winsorising 1 of 12 at each end turns 7 into 8 and 13 into 12, so the squared deviations sum
    # to 30 - 9 - 9 + 4 + 4 = 20 and phi = 20 / 10 / 12.
    assert result.phi == pytest.approx(20 / 10 / 12)
    assert result.threshold == pytest.approx(1 + 2 * math.sqrt(2 / 12))
    assert not result.overdispersed
    assert result.tau2 == 0.0
    assert result.z_scores[6] == pytest.approx(-3 / math.sqrt(10))
    assert result.winsorised[6] == pytest.approx(-2 / math.sqrt(10))


def test_overdispersed_set_is_flagged_with_dersimonian_laird_tau2() -> None:
    observed = [(c, 1000.0) for c in OVERDISPERSED]

    result = overdispersion(observed, 0.01, "rate")

    # Independent recomputation: sorted counts 2, 3, 4, 5, ..., 22, 25 -> Winsorise 2 -> 3 and 25 -> 22.
    clipped = [min(max(c, 3), 22) for c in OVERDISPERSED]
    phi = sum((c - 10) ** 2 / 10 for c in clipped) / 12
    weights = [1000 / 0.01] * 12
    tau2 = (12 * phi - 11) / (sum(weights) - sum(w * w for w in weights) / sum(weights))
    assert result.phi == pytest.approx(phi)
    assert result.overdispersed
    assert result.tau2 == pytest.approx(tau2)


def test_proportion_z_scores_use_binomial_variance() -> None:
    result = overdispersion([(30, 100.0), (20, 100.0)], 0.25, "proportion")
    se = math.sqrt(0.25 * 0.75 / 100)
    assert result.z_scores == pytest.approx((0.05 / se, -0.05 / se))


def test_adjusted_limits_widen_only_when_overdispersed() -> None:
    # given
    wide = overdispersion([(c, 1000.0) for c in OVERDISPERSED], 0.01, "rate")
    calm = overdispersion([(c, 1000.0) for c in POISSON_LIKE], 0.01, "rate")
    # when
    adjusted = funnel_limits_adjusted(0.01, 1000.0, 0.95, "rate", wide)
    unadjusted = funnel_limits_adjusted(0.01, 1000.0, 0.95, "rate", calm)
    # then
    half = 1.959964 * math.sqrt(0.01 / 1000 + wide.tau2)
    assert adjusted == pytest.approx((max(0.01 - half, 0.0), 0.01 + half), rel=1e-6)
    assert 0.01 - half < 0  # the normal approximation is clipped at zero
    assert adjusted[1] - adjusted[0] > unadjusted[1] - unadjusted[0]
    assert unadjusted == funnel_limits_rate(0.01, 1000.0, 0.95)


def test_overdispersion_needs_two_units_and_an_inner_target() -> None:
    with pytest.raises(ValueError):
        overdispersion([(1, 10.0)], 0.1, "rate")
    with pytest.raises(ValueError):
        overdispersion([(0, 10.0), (0, 10.0)], 0.0, "proportion")


# --- funnel points ---------------------------------------------------------------------------------------


def test_funnel_points_classify_against_exact_limits() -> None:
    # given: target 10 % of 200 cases; scipy's quantiles of Binomial(200, 0.1) set the boundaries
    hi95, hi998 = int(sp.binom.ppf(0.975, 200, 0.1)), int(sp.binom.ppf(0.999, 200, 0.1))
    lo95, lo998 = int(sp.binom.ppf(0.025, 200, 0.1)), int(sp.binom.ppf(0.001, 200, 0.1))
    counts = {
        "on_upper_95": hi95,
        "above_95": hi95 + 1,
        "above_998": hi998 + 1,
        "on_lower_95": lo95,
        "below_95": lo95 - 1,
        "below_998": lo998 - 1,
    }
    units = [FunnelUnit(key, c, 200) for key, c in counts.items()] + [FunnelUnit("empty", 0, 0)]
    # when
    result = funnel_points(units, "proportion", target=0.1)
    # then: a unit sitting on a limit is within; the order is the input order, never a ranking
    got = {p.key: p.classification for p in result.points}
    assert got == {
        "on_upper_95": "within",
        "above_95": "above_95",
        "above_998": "above_998",
        "on_lower_95": "within",
        "below_95": "below_95",
        "below_998": "below_998",
        "empty": "no_data",
    }
    assert [p.key for p in result.points] == [u.key for u in units]
    assert result.points[0].limits_95 == (lo95 / 200, hi95 / 200)


def test_funnel_target_defaults_to_pooled_rate() -> None:
    units = [FunnelUnit("a", 5, 1000.0), FunnelUnit("b", 15, 1000.0), FunnelUnit("c", 0, 0.0)]

    result = funnel_points(units, "rate")

    assert result.target == pytest.approx(20 / 2000)
    assert result.overdispersion is not None
    assert result.points[0].limits_95 == funnel_limits_rate(0.01, 1000.0, 0.95)


def test_funnel_without_any_data_is_no_data() -> None:
    result = funnel_points([FunnelUnit("a", 0, 0.0)], "rate")
    assert result.target is None
    assert [p.classification for p in result.points] == ["no_data"]


def test_perfect_unit_near_full_target_is_within_exact_limits() -> None:
    # Why plain exact quantiles classify: at p0 = 0.999 and n = 10, 10/10 has P = 0.99 and is ordinary,
    # yet the interpolated 99.8 % line sits just below 1 and would raise an alarm.
    assert funnel_limits_proportion(0.999, 10, 0.998, interpolate=True)[1] < 1.0
    result = funnel_points([FunnelUnit("a", 10, 10), FunnelUnit("b", 9, 10)], "proportion", target=0.999)
    assert result.points[0].classification == "within"


def test_adjusted_funnel_flags_fewer_units_when_overdispersed() -> None:
    units = [FunnelUnit(str(i), c, 1000.0) for i, c in enumerate(OVERDISPERSED)]

    plain = funnel_points(units, "rate", target=0.01)
    adjusted = funnel_points(units, "rate", target=0.01, adjust=True)

    def flagged(result: object) -> int:
        return sum(p.classification != "within" for p in result.points)  # type: ignore[attr-defined]

    assert adjusted.adjusted and not plain.adjusted
    assert flagged(adjusted) < flagged(plain)


def test_funnel_curve_matches_point_limits() -> None:
    curve = funnel_curve(0.2, "proportion", [10, 100])
    assert curve[1].limits_998 == funnel_limits_proportion(0.2, 100, 0.998)
    with pytest.raises(ValueError):
        funnel_curve(0.2, "proportion", [10.5])


# --- control charts: limits ------------------------------------------------------------------------------


def test_xmr_sigma_by_hand() -> None:
    # given: moving ranges 2, 1, 4, 3 -> mean 2.5 -> sigma 2.5 / 1.128 = 2.216312
    values = [10.0, 12.0, 11.0, 15.0, 12.0]
    # when
    chart = xmr_chart(values)
    # then: centre 60 / 5 = 12, limits 12 ± 3 × 2.216312
    assert xmr_sigma(values) == pytest.approx(2.216312, abs=1e-6)
    assert chart.centre == (12.0,) * 5
    assert chart.upper[0] == pytest.approx(18.648936, abs=1e-6)
    assert chart.lower[0] == pytest.approx(5.351064, abs=1e-6)


def test_u_chart_limits_per_point_and_clipped_at_zero() -> None:
    chart = u_chart([2, 4, 6], [100.0, 200.0, 300.0])
    # ū = 12 / 600 = 0.02; first point 0.02 ± 3 sqrt(0.02 / 100) = 0.02 ± 0.0424264
    assert chart.centre == (0.02, 0.02, 0.02)
    assert chart.lower[0] == 0.0
    assert chart.upper[0] == pytest.approx(0.0624264, abs=1e-7)
    assert chart.upper[2] == pytest.approx(0.02 + 3 * math.sqrt(0.02 / 300))


def test_p_chart_limits_clipped_to_unit_interval() -> None:
    chart = p_chart([45, 90, 40], [50, 100, 50])
    # p̄ = 175 / 200 = 0.875; n = 50: ± 3 sqrt(0.875 × 0.125 / 50) = ± 0.1403122
    assert chart.centre[0] == 0.875
    assert chart.upper[0] == 1.0
    assert chart.lower[0] == pytest.approx(0.7346878, abs=1e-7)


def test_break_at_computes_limits_per_segment() -> None:
    # given: a new system doubles the level from month 6
    values = [10.0, 11.0] * 3 + [20.0, 21.0] * 3
    # when
    split = xmr_chart(values, break_at=6)
    joined = xmr_chart(values)
    # then: each segment has its own mean and sigma 1 / 1.128; the jump does not count as noise
    assert split.centre[0] == 10.5 and split.centre[6] == 20.5
    assert split.upper[0] == pytest.approx(10.5 + 3 / 1.128)
    assert joined.upper[0] == pytest.approx(15.5 + 3 * (19 / 11) / 1.128)
    assert signals(split) == []


@pytest.mark.parametrize("break_at", [0, 6])
def test_break_must_split_the_series(break_at: int) -> None:
    with pytest.raises(ValueError):
        xmr_chart([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], break_at=break_at)


@pytest.mark.parametrize(
    "call",
    [
        lambda: u_chart([1, 2], [1.0]),
        lambda: u_chart([1], [0.0]),
        lambda: p_chart([3], [2]),
        lambda: xmr_chart([1.0]),
    ],
)
def test_invalid_chart_input_is_rejected(call: object) -> None:
    with pytest.raises(ValueError):
        call()  # type: ignore[operator]


# --- control charts: signals -----------------------------------------------------------------------------


def _chart(values: list[float], *, limit: float = 100.0, break_at: int | None = None) -> ControlChart:
    """A chart with centre 0 and wide limits, so that only the rule under test can fire."""
    n = len(values)
    return ControlChart("xmr", tuple(values), (0.0,) * n, (-limit,) * n, (limit,) * n, break_at)


def _rules(chart: ControlChart) -> list[tuple[str, tuple[int, ...]]]:
    return [(s.rule, s.indices) for s in signals(chart)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (10.0, []),
        (10.000001, [("outside_limits", (1,))]),
        (-10.0, []),
        (-10.000001, [("outside_limits", (1,))]),
    ],
)
def test_point_just_outside_versus_on_the_limit(value: float, expected: list[object]) -> None:
    assert _rules(_chart([1.0, value, -1.0], limit=10.0)) == expected


def test_outside_signal_direction_and_text() -> None:
    (above,) = signals(_chart([50.0], limit=10.0))
    (below,) = signals(_chart([-50.0], limit=10.0))
    assert (above.direction, above.text) == ("up", "Over den øvre kontrolgrænse")
    assert (below.direction, below.text) == ("down", "Under den nedre kontrolgrænse")


def test_six_in_a_row_is_not_a_run() -> None:
    assert _rules(_chart([1.0] * 6 + [-1.0])) == []


def test_seven_in_a_row_is_a_run() -> None:
    # when
    (signal,) = signals(_chart([-1.0] + [1.0] * 7 + [-1.0]))
    # then
    assert signal.rule == "run"
    assert signal.indices == tuple(range(1, 8))
    assert signal.text == "7 måneder i træk over gennemsnittet"


def test_a_long_run_is_one_signal_naming_all_its_points() -> None:
    (signal,) = signals(_chart([-1.0] * 9, limit=10.0))
    assert signal.indices == tuple(range(9))
    assert (signal.direction, signal.text) == ("down", "9 måneder i træk under gennemsnittet")


def test_a_point_on_the_centre_line_breaks_a_run() -> None:
    assert _rules(_chart([1.0] * 3 + [0.0] + [1.0] * 4)) == []
    assert _rules(_chart([1.0] * 8)) == [("run", tuple(range(8)))]


def test_a_value_within_rounding_of_the_centre_counts_as_on_it() -> None:
    # 0.1 + 0.2 != 0.3 in floating point; the centre of a real chart is computed the same way.
    chart = ControlChart(
        "xmr", (0.4,) * 3 + (0.1 + 0.2,) + (0.4,) * 4, (0.3,) * 8, (0.0,) * 8, (1.0,) * 8, None
    )
    assert signals(chart) == []


def test_four_rising_is_not_a_trend() -> None:
    assert _rules(_chart([1.0, 2.0, 3.0, 4.0, 0.5])) == []


def test_five_rising_is_a_trend() -> None:
    (signal,) = signals(_chart([1.0, 2.0, 3.0, 4.0, 5.0]))
    assert (signal.rule, signal.indices, signal.direction) == ("trend", (0, 1, 2, 3, 4), "up")
    assert signal.text == "5 måneder i træk stigende"


def test_five_falling_is_a_trend_and_a_tie_breaks_it() -> None:
    (signal,) = signals(_chart([5.0, 4.0, 3.0, 2.0, 1.0]))
    assert (signal.direction, signal.text) == ("down", "5 måneder i træk faldende")
    assert _rules(_chart([1.0, 2.0, 2.0, 3.0, 4.0])) == []


def test_a_trend_after_a_fall_starts_at_the_low_point() -> None:
    # Six points rising from index 1: one signal naming exactly those six.
    assert _rules(_chart([9.0, -3.0, -2.0, -1.0, 1.0, 2.0, 3.0])) == [("trend", (1, 2, 3, 4, 5, 6))]


def test_break_at_separates_runs_and_trends() -> None:
    # given: 4 + 4 points above the centre, and 3 + 2 rising points, either side of a recording break
    runs = [1.0] * 8
    rising = [1.0, 2.0, 3.0, 4.0, 5.0]
    # then
    assert _rules(_chart(runs, break_at=4)) == []
    assert _rules(_chart(rising, break_at=3)) == []
    assert _rules(_chart(rising)) == [("trend", (0, 1, 2, 3, 4))]


def test_signals_use_the_period_word_and_come_in_time_order() -> None:
    chart = _chart([1.0] * 7 + [50.0, -1.0], limit=10.0)
    found = signals(chart, periods="kvartaler")
    assert [s.rule for s in found] == ["run", "outside_limits"]
    assert found[0].text == "8 kvartaler i træk over gennemsnittet"


def test_real_u_chart_signals_a_spike() -> None:
    # given: 1 complaint per 100 cases for 11 months, then 9 in a month of 100 cases
    counts = [1] * 11 + [9]
    exposures = [100.0] * 12
    # when
    chart = u_chart(counts, exposures)
    # then: ū = 20 / 1200; UCL = ū + 3 sqrt(ū / 100) = 0.0554 < 0.09
    assert [(s.rule, s.indices) for s in signals(chart)] == [
        ("run", tuple(range(11))),
        ("outside_limits", (11,)),
    ]
