"""Funnel plots and control charts of a metric, with their tables and small numbers held back (pure)."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sagsindsigt.common.danish import SHORT_MONTHS
from sagsindsigt.common.suppression import is_small
from sagsindsigt.insight.dashboards.presentation import metric_column
from sagsindsigt.insight.metrics.figures import Figures
from sagsindsigt.insight.metrics.registry import Context, Metric
from sagsindsigt.stats import control as spc
from sagsindsigt.stats import funnel as funnels
from sagsindsigt.stats.funnel import CLASSIFICATION_DA

MIN_UNITS_TO_ADJUST = 5


def month_label(month: date) -> str:
    return f"{SHORT_MONTHS[month.month - 1]} {month.year}"


@dataclass(frozen=True)
class FunnelRow:
    label: str
    events: int | None  # None when held back
    volume: int | None
    value: float | None
    classification: funnels.Classification
    held_back: bool

    @property
    def classification_da(self) -> str:
        return CLASSIFICATION_DA[self.classification]


@dataclass(frozen=True)
class Funnel:
    metric: Metric
    result: funnels.FunnelResult | None
    curve: tuple[funnels.FunnelCurvePoint, ...]
    rows: tuple[FunnelRow, ...]
    held_back: int  # units not plotted because a count is small

    @property
    def target_shown(self) -> float | None:
        return (
            None
            if self.result is None or self.result.target is None
            else self.result.target * self.metric.scale
        )


def funnel(
    metric: Metric, per_key: Mapping[str, Figures], ctx: Context, *, threshold: int, adjust: bool = True
) -> Funnel | None:
    """Units as rate (or share) against volume, with exact limits around the pooled value. A unit whose
    count or volume is suppressed (1 to threshold-1, or hidden so that the total, which the pooled value
    reveals, cannot give a small one away) is neither plotted nor given a value, only listed as held back.
    None for metrics a funnel does not fit."""
    if metric.kind not in ("rate", "share"):
        return None
    kind: funnels.Kind = "rate" if metric.kind == "rate" else "proportion"
    counted = [(label, f) for label, f in per_key.items() if metric.counts(f, ctx)[1] > 0]
    total = Figures.total(f for _, f in counted)
    shown = metric_column(metric, [*(f for _, f in counted), total], ctx, threshold)
    units, rows, held = [], [], 0
    for (label, figures), cell in zip(counted, shown, strict=False):
        if cell.hidden:
            held += 1
            rows.append(FunnelRow(label, cell.events, cell.volume, None, "no_data", True))
            continue
        events, volume = metric.counts(figures, ctx)
        units.append(funnels.FunnelUnit(label, events, float(volume)))
    if not units:
        return Funnel(metric, None, (), tuple(rows), held)
    # The pooled value includes every unit, small ones too: leaving them out would bias the target.
    target = metric.fraction(total, ctx)
    # The over-dispersion estimate needs units to go on: with fewer than MIN_UNITS_TO_ADJUST the exact
    # limits are kept (and the check is still reported).
    result = funnels.funnel_points(units, kind, target, adjust=adjust and len(units) >= MIN_UNITS_TO_ADJUST)
    for p in result.points:
        rows.append(
            FunnelRow(
                p.key,
                p.count,
                int(p.denominator),
                None if p.value is None else p.value * metric.scale,
                p.classification,
                False,
            )
        )
    curve: tuple[funnels.FunnelCurvePoint, ...] = ()
    if target is not None and 0 < target and (kind == "rate" or target < 1):
        top = max(u.denominator for u in units)
        # 40 steps draw a smooth enough line; each costs four exact quantiles.
        volumes = sorted({max(1, round(top * i / 40)) for i in range(1, 41)} | {threshold})
        if result.adjusted and result.overdispersion is not None:
            # Draw the limits the units were judged by.
            dispersion = result.overdispersion
            curve = tuple(
                funnels.FunnelCurvePoint(
                    float(v),
                    funnels.funnel_limits_adjusted(target, float(v), funnels.ALERT, kind, dispersion),
                    funnels.funnel_limits_adjusted(target, float(v), funnels.ALARM, kind, dispersion),
                )
                for v in volumes
            )
        else:
            curve = funnels.funnel_curve(target, kind, [float(v) for v in volumes])
    rows.sort(key=lambda r: r.label)  # alphabetical: a funnel never ranks units
    return Funnel(metric, result, curve, tuple(rows), held)


@dataclass(frozen=True)
class ControlRow:
    month: date
    label: str
    events: int | None
    volume: int | None
    value: float | None
    centre: float | None
    lower: float | None
    upper: float | None
    signal: bool


@dataclass(frozen=True)
class Control:
    metric: Metric
    chart: spc.ControlChart | None
    labels: tuple[str, ...]
    signals: tuple[spc.Signal, ...]
    rows: tuple[ControlRow, ...]
    held_back: int

    @property
    def plotted(self) -> spc.ControlChart | None:
        """The chart as drawn: held-back months lose their point and limits (NaN is not drawn)."""
        if self.chart is None:
            return None

        def shown(series: tuple[float, ...]) -> tuple[float, ...]:
            return tuple(
                math.nan if row.value is None else v for row, v in zip(self.rows, series, strict=True)
            )

        chart = self.chart
        return dataclasses.replace(
            chart, values=shown(chart.values), lower=shown(chart.lower), upper=shown(chart.upper)
        )


def control(
    metric: Metric,
    months: Sequence[date],
    per_month: Mapping[date, Figures],
    ctx: Context,
    *,
    threshold: int,
    break_month: date | None = None,
) -> Control:
    """The metric month by month on its chart (u, p or XmR), with the signals of DOMAIN.md §8. Months
    without data are left out; a month with a small count counts towards the limits and signals, but its
    count and value are held back in the table and on the drawn chart."""
    kept: list[tuple[date, int, int, float]] = []
    for month in months:
        f = per_month.get(month, Figures())
        if f == Figures():
            continue  # nothing at all was recorded: no data, not a count of 0
        events, volume = metric.counts(f, ctx)
        value = metric.value(f, ctx)
        if value is None or (metric.kind != "count" and volume <= 0):
            continue
        kept.append((month, events, volume, value))
    chart: spc.ControlChart | None = None
    found: tuple[spc.Signal, ...] = ()
    if len(kept) >= 3:
        break_at = None
        if break_month is not None:
            index = next((i for i, k in enumerate(kept) if k[0] >= break_month), None)
            # An XmR chart's sigma needs two months on each side; with fewer, the break draws one set of
            # limits (a lone month before or after it is no segment to judge).
            least = 2 if metric.chart == "xmr" else 1
            break_at = index if index is not None and least <= index <= len(kept) - least else None
        if metric.chart == "u":
            chart = spc.u_chart([k[1] for k in kept], [float(k[2]) for k in kept], break_at=break_at)
        elif metric.chart == "p":
            chart = spc.p_chart([k[1] for k in kept], [k[2] for k in kept], break_at=break_at)
        else:
            chart = spc.xmr_chart([k[3] for k in kept], break_at=break_at)
        found = tuple(spc.signals(chart))
    flagged = {i for s in found for i in s.indices}
    scale = 1.0 if metric.chart == "xmr" else metric.scale
    rows, held = [], 0
    for i, (month, events, volume, value) in enumerate(kept):
        # A small count is hidden, and so are the value (value × volume gives it away) and, on u and p
        # charts, the limits (their width gives the volume away). For times the count is the cases timed.
        small_events = is_small(events, threshold)
        small_volume = is_small(volume, threshold)
        hidden = small_events or small_volume
        held += hidden
        rows.append(
            ControlRow(
                month,
                month_label(month),
                None if small_events else events,
                None if small_volume else volume,
                None if hidden else value,
                None if chart is None else chart.centre[i] * scale,
                None if chart is None or hidden else chart.lower[i] * scale,
                None if chart is None or hidden else chart.upper[i] * scale,
                i in flagged,
            )
        )
    return Control(metric, chart, tuple(r.label for r in rows), found, tuple(rows), held)


@dataclass(frozen=True)
class Change:
    """One line of the "what changed" panel."""

    scope: str
    metric: Metric
    text: str
    months: str
    direction: str
    good: bool | None  # whether the direction is the better one; None for metrics without a better side


def changes(scope: str, ctl: Control, *, recent: int = 6) -> list[Change]:
    """Signals touching the last `recent` months of the chart, worded for a leader."""
    out = []
    last = len(ctl.rows)
    for signal in ctl.signals:
        if max(signal.indices) < last - recent:
            continue
        first, final = ctl.rows[min(signal.indices)], ctl.rows[max(signal.indices)]
        months = first.label if first is final else f"{first.label} – {final.label}"
        better = ctl.metric.better
        good = None if better == "neither" else (signal.direction == "up") == (better == "higher")
        out.append(Change(scope, ctl.metric, signal.text, months, signal.direction, good))
    return out
