"""Funnel-plot limits and over-dispersion for comparing units fairly (DOMAIN §8; pure)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

from sagsindsigt.stats.distributions import (
    binom_cdf,
    binom_ppf,
    interpolated_rank,
    poisson_cdf,
    poisson_ppf,
)

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

ALERT = 0.95
ALARM = 0.998
WINSOR = 0.10


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
    lower = interpolated_rank(cdf, r_lo, q_lo)
    upper = interpolated_rank(cdf, r_hi, q_hi)
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
    lower = interpolated_rank(cdf, r_lo, q_lo)
    upper = interpolated_rank(cdf, r_hi, q_hi)
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
