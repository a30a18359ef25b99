"""Reads for the dashboard pages and the REST API (rows per administration or unit, open cases past the
deadline, reversal reasons, breaks in recording, a metric's table), always through the caller's scope."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case as DbCase
from django.db.models import Count, Value, When
from django.http import Http404

from sagsindsigt.cases.models import Case, CaseStatus
from sagsindsigt.common.periods import Period
from sagsindsigt.complaints.models import ComplaintTheme
from sagsindsigt.insight.dashboards.grid import (
    ROOT,
    Cell,
    Grid,
    Node,
    administration_node,
    month_cell,
    own_node,
    unit_node,
)
from sagsindsigt.insight.dashboards.models import RecordingBreak
from sagsindsigt.insight.dashboards.presentation import ShownValue, metric_cells
from sagsindsigt.insight.dashboards.protection import grid, slice_cell
from sagsindsigt.insight.metrics.figures import Figures
from sagsindsigt.insight.metrics.registry import METRICS, Metric
from sagsindsigt.insight.rollups.selectors import (
    GroupBy,
    Slice,
    figures_for,
    figures_grouped,
    metric_context,
    slice_filters,
)
from sagsindsigt.organisation.access import (
    Perm,
    administrations_in_scope,
    require,
    restrict,
    scope_part,
    units_in_scope,
)
from sagsindsigt.organisation.models import Administration, Unit


def figures_by_unit(user: Any, period: Period) -> dict[int, Figures]:
    """Figures per unit (cases attached directly to that unit) within the user's scope, for the tables
    and funnels (which show no working-day times)."""
    return figures_grouped(user, period, by="unit", days=False, themes=False)


@dataclass
class Row:
    """One line of an overview table: an administration or a unit with its subtree."""

    label: str
    figures: Figures
    cell: Cell
    url_kind: str = ""
    url_id: int | None = None
    depth: int = 0


def overview_by_administration(
    user: Any,
    period: Period,
    *,
    case_types: Collection[int] | None = None,
    case_node: Node = ROOT,
    themes: bool = False,
) -> tuple[list[Row], Figures]:
    """One row per administration the user sees units of (their units only), and the total; optionally
    narrowed to the case types of `case_node` (its cell in the grid), with the theme breakdowns."""
    found = figures_grouped(
        user, period, by="administration", case_types=case_types, days=False, themes=themes
    )
    visible = set(units_in_scope(user).values_list("administration_id", flat=True))
    part = scope_part(user)
    rows = [
        Row(
            label=administration_label(a, part),
            figures=found.get(a.pk, Figures()),
            cell=(administration_node(a.pk), case_node),
            url_kind="administration",
            url_id=a.pk,
        )
        for a in administrations_in_scope(user).filter(pk__in=visible).order_by("code")
    ]
    return rows, Figures.total(r.figures for r in rows)


def administration_label(administration: Administration, part: str | None = None) -> str:
    """An administration's row label; with the part of it the figures cover when that is all the user
    sees (`access.scope_part`), so a row named after the whole never passes for it."""
    return str(administration) if part is None else f"{administration} (kun: {part})"


def group_labels(by: GroupBy, keys: Collection[Any], *, part: str | None = None) -> dict[Any, str]:
    """Names for the keys of a grouped read: units, administrations (with `part` when the figures cover only
    that part of them), months (åååå-mm) or "I alt"."""
    if by == "unit":
        return dict(Unit.objects.filter(pk__in=list(keys)).values_list("pk", "name"))
    if by == "administration":
        return {a.pk: administration_label(a, part) for a in Administration.objects.filter(pk__in=list(keys))}
    if by == "month":
        return {k: k.strftime("%Y-%m") for k in keys}
    return dict.fromkeys(keys, "I alt")


def monthly_by_administration(
    user: Any, period: Period
) -> tuple[dict[int, dict[date, Figures]], dict[date, Figures]]:
    """Month by month, per administration and for everything the user sees (no theme breakdowns)."""
    per_administration: dict[int, dict[date, Figures]] = defaultdict(dict)
    everything: dict[date, Figures] = defaultdict(Figures)
    for (administration_id, month), f in figures_grouped(
        user, period, by="administration_month", themes=False
    ).items():
        per_administration[administration_id][month] = f
        everything[month].add(f)
    return dict(per_administration), dict(everything)


def reversal_reasons(user: Any, period: Period, over: Slice) -> list[tuple[ComplaintTheme, int]]:
    """Why the appeal body reversed decisions in the slice: counts by core theme (a local sub-theme
    counts with its core theme), in theme order."""
    figures = figures_for(user, period, over, days=False).get(None, Figures())
    themes = {t.pk: t for t in ComplaintTheme.objects.all()}
    by_core: dict[int, int] = defaultdict(int)
    for theme_id, n in figures.reasons_by_theme.items():
        by_core[themes[theme_id].parent_id or theme_id] += n
    return [(themes[pk], by_core[pk]) for pk in sorted(by_core, key=lambda pk: themes[pk].code)]


def _subtree_totals(units: list[Unit], per_unit: dict[int, Figures]) -> dict[int, Figures]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for u in units:
        children[u.parent_id].append(u.pk)
    totals: dict[int, Figures] = {}

    def walk(pk: int) -> Figures:
        if pk not in totals:
            total = Figures()
            total.add(per_unit.get(pk, Figures()))
            for child in children.get(pk, ()):
                total.add(walk(child))
            totals[pk] = total
        return totals[pk]

    for u in units:
        walk(u.pk)
    return totals


def drilldown(
    user: Any, period: Period, *, administration: Administration | None = None, unit: Unit | None = None
) -> tuple[list[Row], Figures, Figures | None]:
    """Child units (each with its whole subtree) of an administration or a unit, the total, and the
    figures of cases registered directly on `unit` itself (None for an administration)."""
    units = list(
        units_in_scope(user).filter(
            administration=administration if administration is not None else unit.administration  # type: ignore[union-attr]
        )
    )
    visible = {u.pk for u in units}
    per_unit = figures_by_unit(user, period)
    totals = _subtree_totals(units, per_unit)
    if unit is not None:
        parent_id: int | None = unit.pk
        children = [u for u in units if u.parent_id == parent_id]
    else:
        # Top of what the user may see: units whose parent is outside the scope (or absent).
        children = [u for u in units if u.parent_id is None or u.parent_id not in visible]
    rows = [
        Row(label=u.name, figures=totals[u.pk], cell=(unit_node(u.pk), ROOT), url_kind="unit", url_id=u.pk)
        for u in sorted(children, key=lambda u: u.name)
    ]
    if unit is not None:
        own = per_unit.get(unit.pk, Figures())
        return rows, totals.get(unit.pk, Figures()), own
    return rows, Figures.total(r.figures for r in rows), None


# Days past the deadline, as a leader would sort a pile: (label, first day, last day or None).
OVERDUE_AGES: tuple[tuple[str, int, int | None], ...] = (
    ("1–10 dage", 1, 10),
    ("11–30 dage", 11, 30),
    ("31–90 dage", 31, 90),
    ("Over 90 dage", 91, None),
)


def open_past_deadline(user: Any, over: Slice, as_of: date) -> list[tuple[str, int]]:
    """Open cases whose due date has passed on `as_of`, by calendar days past it. A snapshot of now, not a
    period sum: cases from count-only sources cannot be counted (they have no rows)."""
    units, case_types = slice_filters(user, over)
    qs = restrict(
        Case.objects.filter(status=CaseStatus.OPEN, due_date__lt=as_of), user, perm=Perm.VIEW_AGGREGATES
    )
    if units is not None:
        qs = qs.filter(unit_id__in=units)
    if case_types is not None:
        qs = qs.filter(case_type_id__in=case_types)
    # Grouped by bucket with COUNT(*), not COUNT(id): the partial index on open cases then answers it
    # without reading the table (ten times faster with five million cases).
    bucket = DbCase(
        *[
            When(due_date__gte=as_of - timedelta(days=high), then=Value(i))
            for i, (_label, _low, high) in enumerate(OVERDUE_AGES)
            if high is not None
        ],
        default=Value(len(OVERDUE_AGES) - 1),
    )
    found = dict(
        qs.annotate(bucket=bucket)
        .values("bucket")
        .order_by()
        .annotate(n=Count("*"))
        .values_list("bucket", "n")
    )
    return [(label, found.get(i, 0)) for i, (label, _low, _high) in enumerate(OVERDUE_AGES)]


def recording_breaks(months: list[date]) -> list[RecordingBreak]:
    """The breaks in recording inside a chart's months (after its first), latest first."""
    if not months:
        return []
    return list(RecordingBreak.objects.filter(month__gt=months[0], month__lte=months[-1]).order_by("-month"))


def break_for(breaks: list[RecordingBreak], administration_id: int | None) -> RecordingBreak | None:
    """The latest break that applies to a scope: the whole municipality's, or its administration's."""
    return next(
        (b for b in breaks if b.administration_id is None or b.administration_id == administration_id), None
    )


def metric_definitions(user: Any) -> list[Metric]:
    require(user, Perm.VIEW_AGGREGATES)
    return list(METRICS.values())


@dataclass(frozen=True)
class MetricTable:
    """One metric for a slice and period, grouped, as it may leave the system (the REST API): every row
    and the total suppressed as on the pages. `rows` is empty for an ungrouped read of one total."""

    metric: Metric
    period: Period
    rows: list[tuple[str, str, ShownValue]]  # key, label, value
    total: ShownValue


def metric_table(
    user: Any,
    code: str,
    start: date,
    end: date,
    over: Slice,
    *,
    by: GroupBy = "all",
    theme_id: int | None = None,
) -> MetricTable:
    """Http404 for an unknown metric or a unit or administration outside the user's scope (it does not
    exist for them); ValidationError when the metric needs a theme and none is given, or the period ends
    before it starts."""
    require(user, Perm.VIEW_AGGREGATES)
    metric = METRICS.get(code)
    if metric is None:
        raise Http404(f"Ukendt nøgletal: {code}.")
    if metric.needs_theme and theme_id is None:
        raise ValidationError("Nøgletallet kræver et tema (tema=…).")
    if end < start:
        raise ValidationError(f"Perioden slutter ({end:%d-%m-%Y}) før den begynder ({start:%d-%m-%Y}).")
    period = Period(start, end)
    if over.unit_id is not None and not units_in_scope(user).filter(pk=over.unit_id).exists():
        raise Http404("Enheden findes ikke i dit adgangsområde.")
    if (
        over.administration_id is not None
        and not administrations_in_scope(user).filter(pk=over.administration_id).exists()
    ):
        raise Http404("Forvaltningen findes ikke i dit adgangsområde.")
    found = figures_for(user, period, over, by=by)
    labels = group_labels(by, found, part=scope_part(user) if by == "administration" else None)
    keys = sorted(found, key=lambda k: labels[k])
    total_cell = slice_cell(over)
    total = Figures.total(found.values())
    theme_ctx = metric_context(theme_id)
    # Whole months only (the caller checks), so the grid holds the months a grouping by month shows.
    the_grid = grid(user, period, themes=metric.needs_theme, days=metric.needs_days)
    if by == "month":
        shown = _month_cells(metric, keys, found, total, the_grid, total_cell, theme_ctx)
    else:
        cells = [(_group_cell(by, k, total_cell, the_grid), found[k]) for k in keys]
        shown = metric_cells(the_grid, metric, [*cells, (total_cell, total)], theme_ctx)
    rows = [(str(k), labels[k], cell) for k, cell in zip(keys, shown, strict=False)]
    return MetricTable(metric, period, rows if len(keys) > 1 or by != "all" else [], shown[-1])


def _group_cell(by: GroupBy, key: Any, total: Cell, the_grid: Any) -> Cell:
    """The grid cell of one row of a grouped read: an administration, the cases on a unit itself."""
    if by == "administration":
        # A slice of a unit lies in one administration: its row is the slice itself.
        unit_part = total[0]
        if isinstance(unit_part, tuple) and unit_part[0] == "u":
            return total
        return (administration_node(key), total[1])
    if by == "unit":
        node = unit_node(key)
        return (own_node(key) if node in the_grid.unit_children else node, total[1])
    return total


def _month_cells(
    metric: Metric,
    months: list[Any],
    found: dict[Any, Figures],
    total: Figures,
    the_grid: Grid,
    total_cell: Cell,
    ctx: Any,
) -> list[ShownValue]:
    """Months of a slice and, last, their total, as the grid decides them."""
    cells = [(month_cell(total_cell, m), found[m]) for m in months]
    return metric_cells(the_grid, metric, [*cells, (total_cell, total)], ctx)
