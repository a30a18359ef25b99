"""Turns figures into what a table may show: small counts suppressed, rates hidden when they would
reveal a suppressed count, Danish number formats."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from sagsindsigt.common.suppression import RATE_HIDDEN, Markup, Reason, Shown, rate_explanation
from sagsindsigt.insight.dashboards.grid import Cell, Grid, GridDecision
from sagsindsigt.insight.metrics.figures import Figures
from sagsindsigt.insight.metrics.registry import METRICS, Context, Metric

COUNT_COLUMNS = ("received", "decided", "complaints", "complaint_points", "appeals_decided")
# The table's rate columns and the registered metric each shows.
RATE_COLUMNS: dict[str, str] = {
    "formal_per_1000": "formal_per_1000",
    "substantive_per_1000": "substantive_per_1000",
    "share_within_deadline": "within_deadline_share",
    "reversal_rate": "reversal_rate",
}


@dataclass(frozen=True)
class ShownRate:
    """A rate as it may be displayed: `value` is in the metric's unit (per 1,000 or percent)."""

    metric: Metric
    value: float | None
    suppressed: bool = False
    threshold: int = 5

    def __str__(self) -> str:
        return RATE_HIDDEN if self.suppressed else self.metric.format(self.value)

    @property
    def html(self) -> Markup:
        """For a template: a hidden rate says why (the page's legend says it too)."""
        if not self.suppressed:
            return Markup(escape(str(self)))
        title = escape(rate_explanation(self.threshold))
        return Markup(f'<abbr class="hidden-rate" title="{title}">{RATE_HIDDEN}</abbr>')

    def export(self) -> float | str:
        """For a spreadsheet: a number in the unit shown, or the page's text."""
        if self.suppressed or self.value is None:
            return str(self)
        return round(self.value, 2)


# Shown counts a rate would give back: formal + substantive complaints per 1,000 decided × decided =
# complaints. When the row hides one of them (also by secondary suppression), the rate is hidden too.
# (A share within the deadline or a reversal rate does not give back the counts shown beside it.)
RATE_GUARDS: dict[str, tuple[str, ...]] = {
    "formal_per_1000": ("complaints", "decided"),
    "substantive_per_1000": ("complaints", "decided"),
    "share_within_deadline": (),
    "reversal_rate": (),
}


def metric_hidden(grid: Grid, metric: Metric, cell: Cell, ctx: Context | None = None) -> tuple[bool, bool]:
    """Whether the grid hides a metric's events and its volume in a cell (ADR 0015)."""
    events, volume = metric_decisions(grid, metric, ctx or Context())
    return events.is_hidden(cell), volume.is_hidden(cell)


def metric_decisions(grid: Grid, metric: Metric, ctx: Context) -> tuple[GridDecision, GridDecision]:
    """The grid's decisions on a metric's events and volume (its numerator and denominator)."""
    key = f"{metric.code}:{sorted(ctx.theme_ids)}"
    return (
        grid.decision(f"{key}:events", lambda f: metric.counts(f, ctx)[0]),
        grid.decision(f"{key}:volume", lambda f: metric.counts(f, ctx)[1]),
    )


def _rate(grid: Grid, f: Figures, column: str, cell: Cell, hidden: set[str]) -> ShownRate:
    """A rate is hidden when its numerator or denominator is hidden in the grid (rate × denominator
    would give it back), or when it would give back a count the row hides."""
    metric = METRICS[RATE_COLUMNS[column]]
    if any(metric_hidden(grid, metric, cell)) or hidden.intersection(RATE_GUARDS[column]):
        return ShownRate(metric, None, suppressed=True, threshold=grid.threshold)
    return ShownRate(metric, metric.value(f), threshold=grid.threshold)


@dataclass(frozen=True)
class ShownRow:
    label: str
    url_kind: str
    url_id: int | None
    counts: dict[str, Shown]
    rates: dict[str, ShownRate]


def present(
    rows: Sequence[tuple[str, str, int | None, Figures, Cell]], total: tuple[Figures, Cell], grid: Grid
) -> tuple[list[ShownRow], ShownRow]:
    """Rows plus a total line, every count as the grid's one decision shows it."""
    shown: list[ShownRow] = []
    for label, kind, pk, f, cell in [*rows, ("I alt", "", None, *total)]:
        counts = {c: grid.decision(c).shown(cell) for c in COUNT_COLUMNS}
        hidden = {c for c, v in counts.items() if v.suppressed}
        shown.append(
            ShownRow(
                label=label,
                url_kind=kind,
                url_id=pk,
                counts=counts,
                rates={c: _rate(grid, f, c, cell, hidden) for c in RATE_COLUMNS},
            )
        )
    return shown[:-1], shown[-1]


@dataclass(frozen=True)
class ShownValue:
    """A metric's counts and value as they may be shown: the value is None where a count it rests on is
    hidden (or there is no data)."""

    events_shown: Shown
    volume_shown: Shown
    value: float | None

    @property
    def events(self) -> int | None:
        return self.events_shown.value

    @property
    def volume(self) -> int | None:
        return self.volume_shown.value

    @property
    def hidden(self) -> bool:
        return self.events_shown.suppressed or self.volume_shown.suppressed

    @property
    def reason(self) -> Reason | None:
        """ "small" when a count is small, "secondary" when hidden only to protect another; else None."""
        reasons = [s.reason for s in (self.events_shown, self.volume_shown) if s.reason]
        return "small" if "small" in reasons else (reasons[0] if reasons else None)


def metric_cells(
    grid: Grid, metric: Metric, cells: Sequence[tuple[Cell, Figures]], ctx: Context
) -> list[ShownValue]:
    """One metric for cells of the grid: counts as the grid decides them, the value hidden whenever a
    count it rests on is."""
    events, volume = metric_decisions(grid, metric, ctx)
    out = []
    for cell, f in cells:
        e, v = events.shown(cell), volume.shown(cell)
        out.append(ShownValue(e, v, None if e.suppressed or v.suppressed else metric.value(f, ctx)))
    return out
