"""What every dashboard page shows beside its table: the chosen metric's funnel plot and control chart,
and the "what changed" panel."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from sagsindsigt.common.periods import Period, months_between
from sagsindsigt.common.suppression import Shown
from sagsindsigt.insight.dashboards.analysis import (
    Change,
    Control,
    Funnel,
    changes,
    control,
    funnel,
    month_label,
)
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
# The trend chart: the period's last whole months (at most a year, so last year's same months are still
# inside the control chart's history and need no read of their own) and at most this many sub-lines.
TREND_MONTHS = 12
TREND_LINES = 5


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


@dataclass(frozen=True)
class TrendLine:
    """One line of the trend chart, month by month as its table shows it: `values` None where there is
    no data or the month is held back (`held`), exactly as on the line's own control-chart table."""

    name: str
    months: tuple[date, ...]
    values: tuple[float | None, ...]
    held: tuple[bool, ...]
    links: tuple[str | None, ...]
    last_year: bool = False

    def cell(self, i: int) -> str:
        if self.held[i]:
            return "–"
        value = self.values[i]
        return "ingen data" if value is None else f"{value:.1f}".replace(".", ",")

    @property
    def cells(self) -> list[str]:
        return [self.cell(i) for i in range(len(self.months))]


@dataclass(frozen=True)
class Trend:
    metric: Metric
    months: tuple[date, ...]
    lines: tuple[TrendLine, ...]
    spec: dict[str, Any]
    # The rows a user may pick as lines: (row id, name, shown), and why a pick was not followed.
    choices: tuple[tuple[int, str, bool], ...] = ()
    error: str | None = None

    @property
    def labels(self) -> list[str]:
        return [month_label(m) for m in self.months]

    def table(self) -> tuple[list[str], list[list[Any]]]:
        """The table behind the chart, as the page shows it: one row per line, one column per month."""
        return ["Linje", *self.labels], [
            [line.name, *(_export(line, i) for i in range(len(self.months)))] for line in self.lines
        ]


def _export(line: TrendLine, i: int) -> float | str:
    value = line.values[i]
    return line.cell(i) if value is None else round(value, 2)


def _year_before(month: date) -> date:
    return month.replace(year=month.year - 1)


def _line(
    name: str,
    months: Sequence[date],
    rows: Control,
    link: Callable[[date], str] | None,
    *,
    last_year: bool = False,
) -> TrendLine:
    # The values and what is held back are a control chart's table rows for these months, so the trend
    # shows no month a table hides.
    by_month = {r.month: r for r in rows.rows}
    values = tuple(by_month[m].value if m in by_month else None for m in months)
    held = tuple(m in by_month and by_month[m].value is None for m in months)
    links = tuple(None if link is None or v is None else link(m) for m, v in zip(months, values, strict=True))
    return TrendLine(name, tuple(months), values, held, links, last_year)


@dataclass(frozen=True)
class TrendPart:
    """A row's line: its months, a link for a month of it, and its months' counts as the grid shows
    them (None: the chart decides, as a control chart without a grid does)."""

    name: str
    monthly: Mapping[date, Figures]
    link: Callable[[date], str] | None
    shown: Mapping[date, tuple[Shown, Shown]] | None = None


def trend(
    metric: Metric,
    *,
    scope: str,
    months: Sequence[date],
    scope_chart: Control,
    ctx: Context,
    month_link: Callable[[date], str],
    parts: Sequence[TrendPart] = (),
) -> Trend | None:
    """The scope month by month over `months` and, dashed, the same months a year before, both as the
    page's control chart (`scope_chart`, whose history holds both) shows them; and a line per part, each
    hidden as its own control chart over `months` would be (by the grid's decisions for its cell, when
    given). None when no month of any line may be shown."""
    if not months:
        return None
    threshold = settings.SUPPRESSION_THRESHOLD
    lines = (
        _line(scope, months, scope_chart, month_link),
        _line(
            f"{scope}, året før",
            [_year_before(m) for m in months],
            scope_chart,
            month_link,
            last_year=True,
        ),
        *(
            _line(
                part.name,
                months,
                control(
                    metric,
                    months,
                    part.monthly,
                    ctx,
                    threshold=threshold,
                    period_months=set(months),
                    shown_months=part.shown,
                ),
                part.link,
            )
            for part in parts
        ),
    )
    if all(v is None for line in lines for v in line.values):
        return None
    labels = [month_label(m) for m in months]
    series = [
        charts.TrendSeries(
            line.name,
            tuple(
                charts.TrendPoint(month_label(m), v, href)
                for m, v, href in zip(line.months, line.values, line.links, strict=True)
            ),
            last_year=line.last_year,
        )
        for line in lines
    ]
    spec = charts.trend_spec(
        series,
        labels,
        title=f"{metric.name}, måned for måned: {scope}",
        value_label=metric.unit,
    )
    return Trend(metric, tuple(months), lines, spec)


@dataclass
class Analysis:
    metric: Metric
    funnel: Funnel | None
    control: Control
    funnel_spec: dict[str, Any] | None
    control_spec: dict[str, Any] | None
    recording_break: RecordingBreak | None = None
    trend: Trend | None = None

    @property
    def specs(self) -> dict[str, dict[str, Any] | None]:
        return {
            "tragt": self.funnel_spec,
            "kontrol": self.control_spec,
            "udvikling": None if self.trend is None else self.trend.spec,
        }

    def tables(self) -> dict[str, tuple[list[str], list[list[Any]]]]:
        found = {"kontrol": control_table(self.control)}
        if self.funnel is not None:
            found["tragt"] = funnel_table(self.funnel)
        if self.trend is not None:
            found["udvikling"] = self.trend.table()
        return found


def _funnel_spec(f: Funnel, what: str, links: Mapping[str, str] | None) -> dict[str, Any] | None:
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
        links=links,
    )


def _control_spec(
    c: Control, scope: str, break_label: str | None, month_link: Callable[[date], str] | None
) -> dict[str, Any] | None:
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
        # One link per drawn month: the chart's labels are the months with a value (ADR 0015).
        links=None if month_link is None else [month_link(r.month) for r in c.rows if r.value is not None],
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
    links: Mapping[str, str] | None = None,
    month_link: Callable[[date], str] | None = None,
) -> Analysis:
    """The funnel of the page's rows (hidden as its table hides them) and the control chart; a row's
    point links to `links[key]` and a month's point to `month_link(month)`, when given."""
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
        _funnel_spec(fun, compared, links) if fun is not None else None,
        _control_spec(ctl, scope, label, month_link),
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
