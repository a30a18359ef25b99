"""Control charts (u, p, XmR) with recording breaks, and their signals in Danish (DOMAIN §8; pure)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

ChartKind = Literal["u", "p", "xmr"]
Rule = Literal["outside_limits", "run", "trend"]
Direction = Literal["up", "down"]

RUN_LENGTH = 7
TREND_LENGTH = 5
SIGMAS = 3.0
# d2 for moving ranges of two points: E|X_i - X_{i-1}| = 1.128 sigma for normal data.
XMR_D2 = 1.128


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
