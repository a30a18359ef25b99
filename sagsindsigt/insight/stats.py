"""Funnel-plot limits, over-dispersion and control-chart signals for comparing units fairly (DOMAIN §8)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

# Accuracy: the CDFs come from the regularised incomplete beta/gamma functions (Lentz continued fractions
# and the gamma series, Numerical Recipes §6.2/§6.4) with math.lgamma prefactors. Against scipy the error
# relative to the smaller tail, min(F, 1 - F), stays below 1e-10 for n or mu up to 1e4 and 5e-9 near 1e6,
# where lgamma's rounding dominates. Quantiles come from a search on the integer CDF that starts at the
# Cornish-Fisher guess (two or three CDF calls), so one can only be off by one when the CDF lies within
# that error of the tail probability (no mismatch in 44,000 random comparisons with scipy's ppf). A CDF
# call costs like sqrt(n): about 50 µs at n = 1e5.

Kind = Literal["proportion", "rate"]
Classification = Literal["within", "above_95", "above_998", "below_95", "below_998", "no_data"]
# How a unit's place on a funnel is said in Danish (tables, legends, downloads).
CLASSIFICATION_DA: dict[Classification, str] = {
    "within": "Inden for grænserne",
    "above_95": "Over 95 %-grænsen",
    "above_998": "Over 99,8 %-grænsen",
    "below_95": "Under 95 %-grænsen",
    "below_998": "Under 99,8 %-grænsen",
    "no_data": "Ingen data",
}
ChartKind = Literal["u", "p", "xmr"]
Rule = Literal["outside_limits", "run", "trend"]
Direction = Literal["up", "down"]

ALERT = 0.95
ALARM = 0.998
RUN_LENGTH = 7
TREND_LENGTH = 5
SIGMAS = 3.0
# d2 for moving ranges of two points: E|X_i - X_{i-1}| = 1.128 sigma for normal data.
XMR_D2 = 1.128
WINSOR = 0.10

_EPS = 1e-15
_TINY = 1e-300
_MAX_ITER = 100_000
_TIE = 1e-12


# --- special functions -------------------------------------------------------------------------------


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction for the incomplete beta function (modified Lentz)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, _MAX_ITER):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + aa / c
        c = c if abs(c) > _TINY else _TINY
        step = d * c
        h *= step
        if abs(step - 1.0) < _EPS:
            return h
    raise ArithmeticError("incomplete beta did not converge")


def _betainc(a: float, b: float, x: float, y: float) -> float:
    """Regularised incomplete beta I_x(a, b), given x and y = 1 - x computed without cancellation."""
    if x <= 0.0:
        return 0.0
    if y <= 0.0:
        return 1.0
    # log1p keeps precision when x or y is tiny (a target proportion near 0 or 1).
    log_x = math.log1p(-y) if y < 0.5 else math.log(x)
    log_y = math.log1p(-x) if x < 0.5 else math.log(y)
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * log_x + b * log_y
    # The fraction converges quickly only below the mean; use I_x(a, b) = 1 - I_y(b, a) above it.
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _betacf(a, b, x) / a
    return 1.0 - math.exp(log_front) * _betacf(b, a, y) / b


def _gammaincc(a: float, x: float) -> float:
    """Regularised upper incomplete gamma Q(a, x)."""
    if x <= 0.0:
        return 1.0
    log_front = -x + a * math.log(x) - math.lgamma(a)
    if x < a + 1.0:
        # Series for P(a, x); converges in O(sqrt(a)) terms near the mean.
        term = total = 1.0 / a
        ap = a
        for _ in range(_MAX_ITER):
            ap += 1.0
            term *= x / ap
            total += term
            if abs(term) < abs(total) * _EPS:
                return 1.0 - total * math.exp(log_front)
        raise ArithmeticError("incomplete gamma series did not converge")
    b = x + 1.0 - a
    c = 1.0 / _TINY
    d = 1.0 / b
    h = d
    for i in range(1, _MAX_ITER):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = b + an / c
        c = c if abs(c) > _TINY else _TINY
        step = d * c
        h *= step
        if abs(step - 1.0) < _EPS:
            return math.exp(log_front) * h
    raise ArithmeticError("incomplete gamma fraction did not converge")


def binom_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    if k < 0:
        return 0.0
    if k >= n:
        return 1.0
    return _betainc(n - k, k + 1, 1.0 - p, p)


def poisson_cdf(k: int, mu: float) -> float:
    """P(X <= k) for X ~ Poisson(mu)."""
    if k < 0:
        return 0.0
    if mu <= 0.0:
        return 1.0
    return _gammaincc(k + 1, mu)


def _quantile(
    cdf: Callable[[int], float], q: float, mean: float, sd: float, top: int | None, skew: float = 0.0
) -> int:
    """Smallest integer r >= 0 with cdf(r) >= q (at most top when given), by search on the CDF."""
    # A CDF that equals q exactly (e.g. Binomial(2, 1/2) at 1/4) comes out an ulp low; accept values
    # within rounding of q so exact ties give the smaller count, as scipy's ppf does.
    threshold = q * (1.0 - _TIE)

    def reached(k: int) -> bool:
        return k >= 0 and (top is not None and k >= top or cdf(k) >= threshold)

    # Start at the Cornish-Fisher guess (normal quantile corrected for skew), usually within one of the
    # answer, and widen by doubling steps until the bracket holds; correctness rests on the invariant
    # "not reached(lo), reached(hi)", not on the guess. Two or three CDF calls instead of ten.
    z = NormalDist().inv_cdf(q)
    guess = math.floor(mean + sd * (z + (z * z - 1.0) * skew / 6.0))
    guess = max(0, guess if top is None else min(guess, top))
    step = 1
    if reached(guess):
        hi, lo = guess, guess - 1
        while reached(lo):
            hi, lo = lo, max(-1, lo - step)
            step *= 2
    else:
        lo, hi = guess, guess + 1
        while not reached(hi):
            lo, hi = hi, hi + step
            step *= 2
            if top is not None:
                hi = min(hi, top)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if reached(mid):
            hi = mid
        else:
            lo = mid
    return hi


def binom_ppf(q: float, n: int, p: float) -> int:
    """Smallest r with P(X <= r) >= q for X ~ Binomial(n, p) (scipy's binom.ppf)."""
    sd = math.sqrt(n * p * (1.0 - p))
    return _quantile(lambda k: binom_cdf(k, n, p), q, n * p, sd, n, (1.0 - 2.0 * p) / sd if sd > 0 else 0.0)


def poisson_ppf(q: float, mu: float) -> int:
    """Smallest r with P(X <= r) >= q for X ~ Poisson(mu) (scipy's poisson.ppf)."""
    sd = math.sqrt(mu)
    return _quantile(lambda k: poisson_cdf(k, mu), q, mu, sd, None, 1.0 / sd if sd > 0 else 0.0)


def _interpolated(cdf: Callable[[int], float], r: int, q: float) -> float:
    # Spiegelhalter (2005) appendix A.1.1: spread the step at r linearly over (r-1, r] for a smooth line.
    # Only for drawing: it flags an observed r whose exact tail probability is above the level (see
    # funnel_points), so classification always uses the plain quantiles.
    at, below = cdf(r), cdf(r - 1)
    return r - (at - q) / (at - below)


# --- funnel plots ------------------------------------------------------------------------------------


def _tails(coverage: float) -> tuple[float, float]:
    if not 0.0 < coverage < 1.0:
        raise ValueError("coverage must be between 0 and 1")
    return (1.0 - coverage) / 2.0, (1.0 + coverage) / 2.0


def funnel_limits_proportion(
    p0: float, n: int, coverage: float, *, interpolate: bool = False
) -> tuple[float, float]:
    """Exact binomial limits for an observed proportion out of n around the target p0."""
    if not 0.0 <= p0 <= 1.0:
        raise ValueError("p0 must be a proportion")
    if n < 1:
        raise ValueError("n must be positive")
    q_lo, q_hi = _tails(coverage)
    r_lo, r_hi = binom_ppf(q_lo, n, p0), binom_ppf(q_hi, n, p0)
    if not interpolate:
        return r_lo / n, r_hi / n
    cdf = lambda k: binom_cdf(k, n, p0)  # noqa: E731
    lower = _interpolated(cdf, r_lo, q_lo)
    upper = _interpolated(cdf, r_hi, q_hi)
    # When the quantile is 0 the interpolation runs below zero; no observed share can, so clip.
    return max(lower, 0.0) / n, min(max(upper, 0.0), n) / n


def funnel_limits_rate(
    rate0: float, exposure: float, coverage: float, *, interpolate: bool = False
) -> tuple[float, float]:
    """Exact Poisson limits for an observed rate (events per unit of exposure) around the target rate0."""
    if rate0 < 0.0:
        raise ValueError("rate0 must not be negative")
    if exposure <= 0.0:
        raise ValueError("exposure must be positive")
    mu = rate0 * exposure
    q_lo, q_hi = _tails(coverage)
    r_lo, r_hi = poisson_ppf(q_lo, mu), poisson_ppf(q_hi, mu)
    if not interpolate:
        return r_lo / exposure, r_hi / exposure
    cdf = lambda k: poisson_cdf(k, mu)  # noqa: E731
    lower = _interpolated(cdf, r_lo, q_lo)
    upper = _interpolated(cdf, r_hi, q_hi)
    return max(lower, 0.0) / exposure, max(upper, 0.0) / exposure


def _variance_at_target(target: float, volume: float, kind: Kind) -> float:
    if kind == "proportion":
        return target * (1.0 - target) / volume
    return target / volume


@dataclass(frozen=True)
class Overdispersion:
    """Spiegelhalter's over-dispersion check: z-scores, phi, the test and the random-effects variance."""

    z_scores: tuple[float, ...]
    winsorised: tuple[float, ...]
    phi: float
    threshold: float
    overdispersed: bool
    tau2: float


def _winsorise(values: Sequence[float], share: float) -> list[float]:
    # Spiegelhalter pulls the outer 10 % at each end in to the 10th/90th value so that the very
    # outliers the funnel should reveal do not inflate phi and hide themselves.
    g = math.floor(share * len(values))
    if g == 0:
        return list(values)
    ordered = sorted(values)
    low, high = ordered[g], ordered[-g - 1]
    return [min(max(v, low), high) for v in values]


def overdispersion(observed: Sequence[tuple[int, float]], target: float, kind: Kind) -> Overdispersion:
    """Over-dispersion of (count, denominator) pairs around target, with DerSimonian–Laird tau²."""
    k = len(observed)
    if k < 2:
        raise ValueError("over-dispersion needs at least two units")
    if target <= 0.0 or (kind == "proportion" and target >= 1.0):
        raise ValueError("target must lie strictly inside its range for z-scores to exist")
    variances = []
    z = []
    for count, denominator in observed:
        if denominator <= 0:
            raise ValueError("every unit needs a positive denominator")
        variance = _variance_at_target(target, denominator, kind)
        variances.append(variance)
        z.append((count / denominator - target) / math.sqrt(variance))
    winsorised = _winsorise(z, WINSOR)
    phi = math.fsum(v * v for v in winsorised) / k
    threshold = 1.0 + 2.0 * math.sqrt(2.0 / k)
    weights = [1.0 / v for v in variances]
    w_sum = math.fsum(weights)
    denominator_dl = w_sum - math.fsum(w * w for w in weights) / w_sum
    tau2 = max(0.0, (k * phi - (k - 1)) / denominator_dl) if denominator_dl > 0 else 0.0
    return Overdispersion(
        z_scores=tuple(z),
        winsorised=tuple(winsorised),
        phi=phi,
        threshold=threshold,
        overdispersed=phi > threshold,
        tau2=tau2,
    )


def _limits(target: float, volume: float, coverage: float, kind: Kind) -> tuple[float, float]:
    if kind == "proportion":
        if not float(volume).is_integer():
            raise ValueError("a proportion's denominator must be a whole number")
        return funnel_limits_proportion(target, int(volume), coverage)
    return funnel_limits_rate(target, volume, coverage)


def funnel_limits_adjusted(
    target: float, volume: float, coverage: float, kind: Kind, dispersion: Overdispersion
) -> tuple[float, float]:
    """Limits widened by tau² (normal approximation) when over-dispersed, else the exact limits."""
    if not dispersion.overdispersed:
        return _limits(target, volume, coverage, kind)
    if volume <= 0:
        raise ValueError("volume must be positive")
    _, q_hi = _tails(coverage)
    half = NormalDist().inv_cdf(q_hi) * math.sqrt(_variance_at_target(target, volume, kind) + dispersion.tau2)
    upper = target + half
    return max(target - half, 0.0), min(upper, 1.0) if kind == "proportion" else upper


@dataclass(frozen=True)
class FunnelUnit:
    """One unit on the funnel: a key for display, the event count and the denominator (cases or exposure)."""

    key: str
    count: int
    denominator: float


@dataclass(frozen=True)
class FunnelPoint:
    """A unit's value, its limits at its own volume and where it falls."""

    key: str
    count: int
    denominator: float
    value: float | None
    limits_95: tuple[float, float] | None
    limits_998: tuple[float, float] | None
    classification: Classification


@dataclass(frozen=True)
class FunnelResult:
    """The funnel's target, the units in their given order (never ranked) and the over-dispersion check."""

    kind: Kind
    target: float | None
    points: tuple[FunnelPoint, ...]
    overdispersion: Overdispersion | None
    adjusted: bool


def _classify(value: float, inner: tuple[float, float], outer: tuple[float, float]) -> Classification:
    # Strict comparisons: with exact quantile limits, "value > upper" is exactly P(X >= observed) below
    # the tail probability, so a unit sitting on a limit is not flagged.
    if value > outer[1]:
        return "above_998"
    if value > inner[1]:
        return "above_95"
    if value < outer[0]:
        return "below_998"
    if value < inner[0]:
        return "below_95"
    return "within"


def funnel_points(
    units: Sequence[FunnelUnit], kind: Kind, target: float | None = None, *, adjust: bool = False
) -> FunnelResult:
    """Place units on a funnel around target (pooled when None); adjust widens for over-dispersion."""
    with_data = [u for u in units if u.denominator > 0]
    if target is None and with_data:
        target = math.fsum(u.count for u in with_data) / math.fsum(u.denominator for u in with_data)
    dispersion = None
    if target is not None and len(with_data) >= 2 and 0.0 < target and (kind == "rate" or target < 1.0):
        dispersion = overdispersion([(u.count, u.denominator) for u in with_data], target, kind)
    adjusted = adjust and dispersion is not None and dispersion.overdispersed
    points = []
    for unit in units:
        if target is None or unit.denominator <= 0:
            points.append(FunnelPoint(unit.key, unit.count, unit.denominator, None, None, None, "no_data"))
            continue
        if adjusted and dispersion is not None:
            inner = funnel_limits_adjusted(target, unit.denominator, ALERT, kind, dispersion)
            outer = funnel_limits_adjusted(target, unit.denominator, ALARM, kind, dispersion)
        else:
            inner = _limits(target, unit.denominator, ALERT, kind)
            outer = _limits(target, unit.denominator, ALARM, kind)
        value = unit.count / unit.denominator
        points.append(
            FunnelPoint(
                unit.key, unit.count, unit.denominator, value, inner, outer, _classify(value, inner, outer)
            )
        )
    return FunnelResult(kind, target, tuple(points), dispersion, adjusted)


@dataclass(frozen=True)
class FunnelCurvePoint:
    """The funnel's limits at one volume, for drawing the lines."""

    volume: float
    limits_95: tuple[float, float]
    limits_998: tuple[float, float]


def funnel_curve(
    target: float, kind: Kind, volumes: Sequence[float], *, interpolate: bool = False
) -> tuple[FunnelCurvePoint, ...]:
    """The 95 % and 99.8 % lines at the given volumes; interpolate=True draws Spiegelhalter's smooth line."""
    points = []
    for volume in volumes:
        if kind == "proportion":
            if not float(volume).is_integer():
                raise ValueError("a proportion's denominator must be a whole number")
            inner = funnel_limits_proportion(target, int(volume), ALERT, interpolate=interpolate)
            outer = funnel_limits_proportion(target, int(volume), ALARM, interpolate=interpolate)
        else:
            inner = funnel_limits_rate(target, volume, ALERT, interpolate=interpolate)
            outer = funnel_limits_rate(target, volume, ALARM, interpolate=interpolate)
        points.append(FunnelCurvePoint(volume, inner, outer))
    return tuple(points)


# --- control charts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ControlChart:
    """A control chart: plotted values, and per-point centre line and 3-sigma limits."""

    kind: ChartKind
    values: tuple[float, ...]
    centre: tuple[float, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    break_at: int | None

    def segments(self) -> list[range]:
        """Index ranges before and after the recording break."""
        return _segments(len(self.values), self.break_at)


@dataclass(frozen=True)
class Signal:
    """A control-chart signal: which rule, which points, which way and a Danish explanation."""

    rule: Rule
    indices: tuple[int, ...]
    direction: Direction
    text: str


def _segments(length: int, break_at: int | None) -> list[range]:
    if break_at is None:
        return [range(length)]
    if not 0 < break_at < length:
        raise ValueError("break_at must split the series into two non-empty parts")
    return [range(break_at), range(break_at, length)]


def _check_lengths(a: Sequence[object], b: Sequence[object]) -> None:
    if len(a) != len(b):
        raise ValueError("series must have equal length")
    if not a:
        raise ValueError("a chart needs at least one point")


def u_chart(
    counts: Sequence[int], exposures: Sequence[float], *, break_at: int | None = None
) -> ControlChart:
    """u-chart: events per unit of exposure with limits ū ± 3·sqrt(ū / exposure_i), clipped at 0."""
    _check_lengths(counts, exposures)
    if any(e <= 0 for e in exposures):
        raise ValueError("every period needs a positive exposure")
    n = len(counts)
    centre, lower, upper = [0.0] * n, [0.0] * n, [0.0] * n
    for seg in _segments(n, break_at):
        u_bar = math.fsum(counts[i] for i in seg) / math.fsum(exposures[i] for i in seg)
        for i in seg:
            half = SIGMAS * math.sqrt(u_bar / exposures[i])
            centre[i], lower[i], upper[i] = u_bar, max(u_bar - half, 0.0), u_bar + half
    values = tuple(c / e for c, e in zip(counts, exposures, strict=True))
    return ControlChart("u", values, tuple(centre), tuple(lower), tuple(upper), break_at)


def p_chart(successes: Sequence[int], totals: Sequence[int], *, break_at: int | None = None) -> ControlChart:
    """p-chart: shares with limits p̄ ± 3·sqrt(p̄(1 - p̄) / n_i), clipped to [0, 1]."""
    _check_lengths(successes, totals)
    if any(t <= 0 for t in totals):
        raise ValueError("every period needs a positive total")
    if any(not 0 <= s <= t for s, t in zip(successes, totals, strict=True)):
        raise ValueError("successes must lie between 0 and the total")
    n = len(successes)
    centre, lower, upper = [0.0] * n, [0.0] * n, [0.0] * n
    for seg in _segments(n, break_at):
        p_bar = sum(successes[i] for i in seg) / sum(totals[i] for i in seg)
        for i in seg:
            half = SIGMAS * math.sqrt(p_bar * (1.0 - p_bar) / totals[i])
            centre[i], lower[i], upper[i] = p_bar, max(p_bar - half, 0.0), min(p_bar + half, 1.0)
    values = tuple(s / t for s, t in zip(successes, totals, strict=True))
    return ControlChart("p", values, tuple(centre), tuple(lower), tuple(upper), break_at)


def xmr_sigma(values: Sequence[float]) -> float:
    """Sigma estimated from the mean moving range: mean |x_i - x_{i-1}| / 1.128."""
    if len(values) < 2:
        raise ValueError("a moving range needs at least two points")
    ranges = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    return math.fsum(ranges) / len(ranges) / XMR_D2


def xmr_chart(values: Sequence[float], *, break_at: int | None = None) -> ControlChart:
    """XmR (individuals) chart: mean ± 3 sigma, sigma from the mean moving range within each segment."""
    n = len(values)
    centre, lower, upper = [0.0] * n, [0.0] * n, [0.0] * n
    for seg in _segments(n, break_at):
        part = [values[i] for i in seg]
        # Moving ranges never straddle the break: the jump caused by a new system is not noise.
        sigma = xmr_sigma(part)
        mean = math.fsum(part) / len(part)
        for i in seg:
            centre[i], lower[i], upper[i] = mean, mean - SIGMAS * sigma, mean + SIGMAS * sigma
    return ControlChart("xmr", tuple(values), tuple(centre), tuple(lower), tuple(upper), break_at)


def _side(value: float, centre: float) -> int:
    # The centre line is a computed mean; treat values within rounding of it as on the line.
    if math.isclose(value, centre, rel_tol=1e-12, abs_tol=1e-15):
        return 0
    return 1 if value > centre else -1


def _maximal_runs(indices: range, key: Callable[[int], int], min_length: int) -> list[tuple[int, list[int]]]:
    """Maximal stretches of consecutive indices sharing a non-zero key, at least min_length long."""
    runs: list[tuple[int, list[int]]] = []
    current: list[int] = []
    current_key = 0
    for i in indices:
        k = key(i)
        if k != 0 and k == current_key:
            current.append(i)
        else:
            if current_key != 0 and len(current) >= min_length:
                runs.append((current_key, current))
            current, current_key = [i], k
    if current_key != 0 and len(current) >= min_length:
        runs.append((current_key, current))
    return runs


def signals(chart: ControlChart, *, periods: str = "måneder") -> list[Signal]:
    """Signals of DOMAIN §8: outside the limits, 7 in a row on one side, 5 rising or falling in a row."""
    found: list[Signal] = []
    v = chart.values
    for i, value in enumerate(v):
        if value > chart.upper[i]:
            found.append(Signal("outside_limits", (i,), "up", "Over den øvre kontrolgrænse"))
        elif value < chart.lower[i]:
            found.append(Signal("outside_limits", (i,), "down", "Under den nedre kontrolgrænse"))
    for seg in chart.segments():
        for side, run in _maximal_runs(seg, lambda i: _side(v[i], chart.centre[i]), RUN_LENGTH):
            where = "over" if side > 0 else "under"
            text = f"{len(run)} {periods} i træk {where} gennemsnittet"
            found.append(Signal("run", tuple(run), "up" if side > 0 else "down", text))
        # A trend of m points is m - 1 strict steps in the same direction; ties break it. Step i is the
        # move from point i - 1 to point i, so the run of steps i..j covers points i - 1..j.
        steps = range(seg.start + 1, seg.stop)

        def step(i: int) -> int:
            return (v[i] > v[i - 1]) - (v[i] < v[i - 1])

        for direction, run in _maximal_runs(steps, step, TREND_LENGTH - 1):
            points = (run[0] - 1, *run)
            word = "stigende" if direction > 0 else "faldende"
            found.append(
                Signal(
                    "trend",
                    points,
                    "up" if direction > 0 else "down",
                    f"{len(points)} {periods} i træk {word}",
                )
            )
    found.sort(key=lambda s: s.indices[0])
    return found
