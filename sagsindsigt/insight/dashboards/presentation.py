"""Turns figures into what a table may show: small counts suppressed, rates hidden when they would
reveal a suppressed count, Danish number formats."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sagsindsigt.common.suppression import Shown, is_small, suppress_column
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

    def __str__(self) -> str:
        return "–" if self.suppressed else self.metric.format(self.value)

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


def _rate(f: Figures, column: str, threshold: int, hidden: set[str]) -> ShownRate:
    """A rate is hidden when its numerator or denominator is a small count (rate × denominator would
    reveal it), or when it would give back a count the row hides."""
    metric = METRICS[RATE_COLUMNS[column]]
    n, d = metric.counts(f)
    if is_small(n, threshold) or is_small(d, threshold) or hidden.intersection(RATE_GUARDS[column]):
        return ShownRate(metric, None, suppressed=True)
    return ShownRate(metric, metric.value(f))


@dataclass(frozen=True)
class ShownRow:
    label: str
    url_kind: str
    url_id: int | None
    counts: dict[str, Shown]
    rates: dict[str, ShownRate]


def present(
    rows: Sequence[tuple[str, str, int | None, Figures]], total: Figures, threshold: int
) -> tuple[list[ShownRow], ShownRow]:
    """Rows plus a total line; secondary suppression works down each count column including the total."""
    all_figures = [r[3] for r in rows] + [total]
    columns = {
        c: suppress_column([getattr(f, c) for f in all_figures], threshold, total_shown=len(rows) > 1)
        for c in COUNT_COLUMNS
    }
    shown: list[ShownRow] = []
    for i, (label, kind, pk, f) in enumerate([*rows, ("I alt", "", None, total)]):
        shown.append(
            ShownRow(
                label=label,
                url_kind=kind,
                url_id=pk,
                counts={c: columns[c][i] for c in COUNT_COLUMNS},
                rates={
                    c: _rate(f, c, threshold, {k for k in COUNT_COLUMNS if columns[k][i].suppressed})
                    for c in RATE_COLUMNS
                },
            )
        )
    return shown[:-1], shown[-1]


@dataclass(frozen=True)
class ShownValue:
    """A metric's counts and value as they may be shown: None where hidden (or, for the value, no data)."""

    events: int | None
    volume: int | None
    value: float | None
    hidden: bool


def metric_column(
    metric: Metric, figures: Sequence[Figures], ctx: Context, threshold: int, *, total_shown: bool = True
) -> list[ShownValue]:
    """One metric down a column whose last entry is the total of the others: small counts suppressed with
    secondary suppression (DOMAIN.md §8), and the value hidden whenever a count it rests on is."""
    counts = [metric.counts(f, ctx) for f in figures]
    events = suppress_column([c[0] for c in counts], threshold, total_shown=total_shown)
    volumes = suppress_column([c[1] for c in counts], threshold, total_shown=total_shown)
    shown = []
    for f, e, v in zip(figures, events, volumes, strict=True):
        hidden = e.suppressed or v.suppressed
        shown.append(ShownValue(e.value, v.value, None if hidden else metric.value(f, ctx), hidden))
    return shown
