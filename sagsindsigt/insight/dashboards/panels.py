"""What every dashboard page shows beside its table: the chosen metric's funnel plot and control chart,
and the "what changed" panel."""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from sagsindsigt.common.periods import Period, months_between
from sagsindsigt.common.suppression import Shown
from sagsindsigt.insight.dashboards.analysis import Change, Control, Funnel, changes, control, funnel
from sagsindsigt.insight.dashboards.downloads import control_table, funnel_table
from sagsindsigt.insight.dashboards.grid import Cell, Grid, month_cell
from sagsindsigt.insight.dashboards.models import RecordingBreak
from sagsindsigt.insight.dashboards.presentation import metric_cells, metric_decisions
from sagsindsigt.insight.metrics.figures import Figures
from sagsindsigt.insight.metrics.registry import METRICS, Context, Metric
from sagsindsigt.stats import charts

DEFAULT_METRIC = "complaints_per_1000"
# Metrics a page can chart (theme metrics live on the theme page).
CHARTABLE = tuple(code for code, m in METRICS.items() if not m.needs_theme)
# Metrics watched by the "what changed" panel.
WATCHED = (
    "complaints_per_1000",
    "within_deadline_share",
    "processing_days_median",
    "reply_within_rule",
    "reversal_rate",
)
HISTORY_MONTHS = 24


def chosen_metric(code: str | None, allowed: Sequence[str] = CHARTABLE) -> Metric:
    """The metric asked for, when the page can chart it; else the page's default."""
    if code is None or code not in allowed:
        code = DEFAULT_METRIC if DEFAULT_METRIC in allowed else allowed[0]
    return METRICS[code]


def history(period: Period, today: date | None = None) -> tuple[Period, list[date]]:
    """The control chart's months: the 24 whole months up to the period's last whole month that has
    ended (a month still running, or cut short by the period, would look like a fall)."""
    end = min(period.end, (today or timezone.localdate()) - timedelta(days=1))
    if end.day != calendar.monthrange(end.year, end.month)[1]:
        end = end.replace(day=1) - timedelta(days=1)
    last = end.replace(day=1)
    back = last.year * 12 + last.month - 1 - (HISTORY_MONTHS - 1)
    start = date(back // 12, back % 12 + 1, 1)
    return Period(start, end), list(months_between(start, end))


@dataclass
class Analysis:
    metric: Metric
    funnel: Funnel | None
    control: Control
    funnel_spec: dict[str, Any] | None
    control_spec: dict[str, Any] | None
    recording_break: RecordingBreak | None = None

    @property
    def specs(self) -> dict[str, dict[str, Any] | None]:
        return {"tragt": self.funnel_spec, "kontrol": self.control_spec}

    def tables(self) -> dict[str, tuple[list[str], list[list[Any]]]]:
        found = {"kontrol": control_table(self.control)}
        if self.funnel is not None:
            found["tragt"] = funnel_table(self.funnel)
        return found


def _funnel_spec(f: Funnel, what: str) -> dict[str, Any] | None:
    if f.result is None or not f.curve:
        return None
    m = f.metric
    return charts.funnel_spec(
        f.result,
        f.curve,
        title=f"{m.name}: {what}",
        value_label=m.unit,
        volume_label=m.volume_label,
        scale=m.scale,
    )


def _control_spec(c: Control, scope: str, break_label: str | None) -> dict[str, Any] | None:
    plotted = c.plotted
    if plotted is None:
        return None
    m = c.metric
    return charts.control_chart_spec(
        plotted,
        c.labels,
        c.signals,
        title=f"{m.name}, måned for måned: {scope}",
        value_label=m.unit,
        scale=1.0 if m.chart == "xmr" else m.scale,
        break_label=break_label,
    )


def analyse(
    metric: Metric,
    *,
    scope: str,
    compared: str,
    per_key: Mapping[str, tuple[Figures, Cell]],
    total: tuple[Figures, Cell],
    grid: Grid,
    period: Period,
    months: Sequence[date],
    monthly: Mapping[date, Figures],
    ctx: Context,
    recording_break: RecordingBreak | None = None,
) -> Analysis:
    """The funnel of the page's rows (hidden as its table hides them) and the control chart."""
    threshold = settings.SUPPRESSION_THRESHOLD
    keys = list(per_key)
    shown = metric_cells(grid, metric, [(per_key[k][1], per_key[k][0]) for k in keys] + [total[::-1]], ctx)
    fun = funnel(
        metric,
        {k: (per_key[k][0], shown[i]) for i, k in enumerate(keys)},
        shown[-1],
        ctx,
        threshold=threshold,
    )
    break_month = recording_break.month if recording_break is not None else None
    ctl = control(
        metric,
        months,
        monthly,
        ctx,
        threshold=threshold,
        break_month=break_month,
        period_months=_months_of(period),
        shown_months=months_shown(grid, metric, total[1], months, ctx),
    )
    label = f"Brud i registreringen: {recording_break.description}" if recording_break is not None else None
    return Analysis(
        metric,
        fun,
        ctl,
        _funnel_spec(fun, compared) if fun is not None else None,
        _control_spec(ctl, scope, label),
        recording_break,
    )


def _months_of(period: Period) -> set[date]:
    """The whole months of a period (a month cut short is not a total any table shows)."""
    return {
        m
        for m in months_between(period.start, period.end)
        if m >= period.start and Period.month(m.year, m.month).end <= period.end
    }


def months_shown(
    grid: Grid, metric: Metric, cell: Cell, months: Sequence[date], ctx: Context
) -> dict[date, tuple[Shown, Shown]] | None:
    """A slice's months of a metric's events and volume as the grid shows them (None: the grid has no
    months, the period is not whole months, and the chart decides its months itself)."""
    if not grid.months:
        return None
    events, volume = metric_decisions(grid, metric, ctx)
    return {m: (events.shown(month_cell(cell, m)), volume.shown(month_cell(cell, m))) for m in months}


def watched_changes(
    scope: str,
    period: Period,
    months: Sequence[date],
    monthly: Mapping[date, Figures],
    ctx: Context,
    recording_break: RecordingBreak | None = None,
    *,
    grid: Grid,
    cell: Cell,
) -> list[Change]:
    threshold = settings.SUPPRESSION_THRESHOLD
    break_month = recording_break.month if recording_break is not None else None
    found: list[Change] = []
    for code in WATCHED:
        chart = control(
            METRICS[code],
            months,
            monthly,
            ctx,
            threshold=threshold,
            break_month=break_month,
            period_months=_months_of(period),
            shown_months=months_shown(grid, METRICS[code], cell, months, ctx),
        )
        found += changes(scope, chart)
    return found
