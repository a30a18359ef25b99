"""Funnel plots and control charts of a metric, with their tables and small numbers held back (pure)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sagsindsigt.common.danish import SHORT_MONTHS
from sagsindsigt.common.suppression import Shown, Sum, protect
from sagsindsigt.insight.dashboards.presentation import ShownValue
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
    events: Shown
    volume: Shown
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
    metric: Metric,
    per_key: Mapping[str, tuple[Figures, ShownValue]],
    total_shown: ShownValue,
    ctx: Context,
    *,
    threshold: int,
    adjust: bool = True,
) -> Funnel | None:
    """Units as rate (or share) against volume, with exact limits around the pooled value. A unit whose
    count or volume is suppressed (as the page's table shows it, ADR 0015) is neither plotted nor given a
    value, only listed as held back; when the total is hidden there is no pooled value to show either.
    None for metrics a funnel does not fit."""
    if metric.kind not in ("rate", "share"):
        return None
    kind: funnels.Kind = "rate" if metric.kind == "rate" else "proportion"
    counted = [(label, f, cell) for label, (f, cell) in per_key.items() if metric.counts(f, ctx)[1] > 0]
    total = Figures.total(f for _, f, _ in counted)
    units, rows, held = [], [], 0
    for label, figures, cell in counted:
        if cell.hidden:
            held += 1
            rows.append(
                FunnelRow(
                    label,
                    cell.events_shown,
                    cell.volume_shown,
                    None,
                    "no_data",
                    True,
                )
            )
            continue
        events, volume = metric.counts(figures, ctx)
        units.append(funnels.FunnelUnit(label, events, float(volume)))
    if not units or total_shown.hidden:
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
                Shown(p.count, threshold),
                Shown(int(p.denominator), threshold),
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
    events: Shown
    volume: Shown
    value: float | None
    centre: float | None
    lower: float | None
    upper: float | None
    signal: bool

    @property
    def hidden(self) -> bool:
        return self.events.suppressed or self.volume.suppressed


@dataclass(frozen=True)
class Control:
    """The chart is drawn over the months that are shown (`labels`); `rows` are every month with data,
    hidden ones included (the table shows them as hidden)."""

    metric: Metric
    chart: spc.ControlChart | None
    labels: tuple[str, ...]
    signals: tuple[spc.Signal, ...]
    rows: tuple[ControlRow, ...]
    held_back: int

    @property
    def plotted(self) -> spc.ControlChart | None:
        return self.chart

    @property
    def plotted_rows(self) -> tuple[ControlRow, ...]:
        """The rows of the drawn chart: the signals' indices point into these."""
        return tuple(r for r in self.rows if not r.hidden)


def _hide_months(
    values: Mapping[date, int], groups: Sequence[Sequence[date]], threshold: int
) -> dict[date, Shown]:
    """Months' counts as they may be shown: small ones hidden, and more (secondary suppression) while a
    total of a group of them that is shown elsewhere (the chart's months, the page's period) would give
    a hidden one back."""
    cells: dict[Any, int] = dict(values)
    sums = []
    for i, group in enumerate(g for g in groups if len(g) > 1):
        cells[("total", i)] = sum(values[m] for m in group)
        sums.append(Sum(("total", i), tuple(group)))
    decision = protect(cells, sums, threshold)
    return {m: decision.shown(m) for m in values}


def control(
    metric: Metric,
    months: Sequence[date],
    per_month: Mapping[date, Figures],
    ctx: Context,
    *,
    threshold: int,
    break_month: date | None = None,
    period_months: Collection[date] = (),
    shown_months: Mapping[date, tuple[Shown, Shown]] | None = None,
) -> Control:
    """The metric month by month on its chart (u, p or XmR), with the signals of DOMAIN.md §8. Months
    without data are left out. A month whose count is hidden (small, or hidden so that the total of the
    chart's months or of the page's period cannot give a small one back) is left out of the centre line,
    the limits and the signals too, so nothing drawn or computed can give it back (ADR 0015). With
    `shown_months` (events and volume per month, as the grid of every output decides them) those decide."""
    found: list[tuple[date, int, int, float]] = []
    for month in months:
        f = per_month.get(month, Figures())
        if f == Figures():
            continue  # nothing at all was recorded: no data, not a count of 0
        events, volume = metric.counts(f, ctx)
        value = metric.value(f, ctx)
        if value is None or (metric.kind != "count" and volume <= 0):
            continue
        found.append((month, events, volume, value))
    if shown_months is not None:
        shown_events = {k[0]: shown_months[k[0]][0] for k in found}
        shown_volume = {k[0]: shown_months[k[0]][1] for k in found}
    else:
        groups = [[k[0] for k in found], [k[0] for k in found if k[0] in period_months]]
        shown_events = _hide_months({k[0]: k[1] for k in found}, groups, threshold)
        shown_volume = _hide_months({k[0]: k[2] for k in found}, groups, threshold)
    kept = [k for k in found if not shown_events[k[0]].suppressed and not shown_volume[k[0]].suppressed]
    chart: spc.ControlChart | None = None
    found_signals: tuple[spc.Signal, ...] = ()
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
        found_signals = tuple(spc.signals(chart))
    flagged = {i for s in found_signals for i in s.indices}
    scale = 1.0 if metric.chart == "xmr" else metric.scale
    position = {k[0]: i for i, k in enumerate(kept)}
    rows = []
    for month, _events, _volume, value in found:
        i = position.get(month)
        rows.append(
            ControlRow(
                month,
                month_label(month),
                shown_events[month],
                shown_volume[month],
                None if i is None else value,
                None if chart is None or i is None else chart.centre[i] * scale,
                None if chart is None or i is None else chart.lower[i] * scale,
                None if chart is None or i is None else chart.upper[i] * scale,
                i is not None and i in flagged,
            )
        )
    labels = tuple(month_label(k[0]) for k in kept)
    return Control(metric, chart, labels, found_signals, tuple(rows), len(found) - len(kept))


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
    rows = ctl.plotted_rows
    last = len(rows)
    for signal in ctl.signals:
        if max(signal.indices) < last - recent:
            continue
        first, final = rows[min(signal.indices)], rows[max(signal.indices)]
        months = first.label if first is final else f"{first.label} – {final.label}"
        better = ctl.metric.better
        good = None if better == "neither" else (signal.direction == "up") == (better == "higher")
        out.append(Change(scope, ctl.metric, signal.text, months, signal.direction, good))
    return out
