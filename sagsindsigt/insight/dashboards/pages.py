"""What each dashboard page shows, read in one call per page: the views only parse input and render.

Every read here goes through the caller's access scope; an administration, unit, case area or theme the
caller may not see answers 404 (it does not exist for them, ADR 0003).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import urlencode

from sagsindsigt.cases.models import CaseArea
from sagsindsigt.common.periods import Period
from sagsindsigt.common.suppression import Shown, suppress_with_total
from sagsindsigt.complaints.models import ComplaintTheme
from sagsindsigt.insight.dashboards.analysis import Change
from sagsindsigt.insight.dashboards.grid import (
    ROOT,
    Cell,
    Grid,
    administration_node,
    area_node,
    own_node,
    unit_node,
)
from sagsindsigt.insight.dashboards.models import RecordingBreak
from sagsindsigt.insight.dashboards.panels import (
    CHARTABLE,
    Analysis,
    analyse,
    chosen_metric,
    history,
    watched_changes,
)
from sagsindsigt.insight.dashboards.presentation import ShownRate, ShownRow, metric_cells, present
from sagsindsigt.insight.dashboards.protection import grid
from sagsindsigt.insight.dashboards.selectors import (
    Row,
    administration_label,
    break_for,
    drilldown,
    monthly_by_administration,
    open_past_deadline,
    overview_by_administration,
    recording_breaks,
    reversal_reasons,
)
from sagsindsigt.insight.metrics.figures import Figures
from sagsindsigt.insight.metrics.registry import METRICS, Context, Metric
from sagsindsigt.insight.rollups.selectors import Slice, figures_for, metric_context
from sagsindsigt.insight.targets.selectors import targets_with_status
from sagsindsigt.organisation.access import (
    Perm,
    administrations_in_scope,
    require,
    scope_of,
    scope_part,
    units_in_scope,
)
from sagsindsigt.organisation.models import Administration, Unit


@dataclass
class Page:
    """A dashboard page: its table (rows and total, as shown), the chosen metric's charts, and the panels
    beside them. `extra` holds what only some pages show (breadcrumbs, targets, reasons, ...)."""

    heading: str
    row_heading: str
    download_name: str
    period: Period
    rows: list[Row]
    total: Figures
    metric: Metric
    allowed: tuple[str, ...]
    analysis: Analysis
    months: list[date]
    changes: list[Change]
    grid: Grid
    total_cell: Cell
    extra: dict[str, Any] = field(default_factory=dict)
    # The main table for download when the page shows another than the figures table (the theme page's).
    main_table: tuple[list[str], list[list[Any]]] | None = None

    @property
    def shown(self) -> tuple[list[ShownRow], ShownRow]:
        """The rows and total as they may be shown: counts as the grid's one decision shows them (ADR 0015),
        rates hidden where needed."""
        return present(
            [(r.label, r.url_kind, r.url_id, r.figures, r.cell) for r in self.rows],
            (self.total, self.total_cell),
            self.grid,
        )

    def context(self) -> dict[str, Any]:
        rows, total = self.shown
        return {
            "heading": self.heading,
            "row_heading": self.row_heading,
            "period": self.period,
            "rows": rows,
            "total": total,
            "threshold": settings.SUPPRESSION_THRESHOLD,
            "analysis": self.analysis,
            "metric": self.metric,
            "metric_choices": [(code, METRICS[code].name) for code in self.allowed],
            "metric_query": urlencode({"maal": self.metric.code}),
            "history_first": self.months[0] if self.months else None,
            "changes": self.changes,
            **self.extra,
        }

    def tables(self) -> dict[str, tuple[list[str], list[list[Any]]]]:
        """Every table of the page for download: the main table as shown, the funnel's and the chart's."""
        main = (
            self.main_table if self.main_table is not None else _figures_table(self.row_heading, *self.shown)
        )
        return {"tal": main, **self.analysis.tables()}


def _figures_table(
    row_heading: str, shown: list[ShownRow], total: ShownRow
) -> tuple[list[str], list[list[Any]]]:
    """The page's main table as it is shown: small counts as "<5", hidden rates as "–"."""
    header = [
        row_heading,
        "Modtagne sager",
        "Afgjorte sager",
        "Afgjort inden for vejledende frist (%)",
        "Klager",
        "Klagepunkter",
        "Formalitetsklager pr. 1.000 afgjorte sager",
        "Realitetsklager pr. 1.000 afgjorte sager",
        "Ankesager afgjort",
        "Omgørelsesprocent (%)",
    ]
    out = [
        [
            r.label,
            r.counts["received"].export(),
            r.counts["decided"].export(),
            r.rates["share_within_deadline"].export(),
            r.counts["complaints"].export(),
            r.counts["complaint_points"].export(),
            r.rates["formal_per_1000"].export(),
            r.rates["substantive_per_1000"].export(),
            r.counts["appeals_decided"].export(),
            r.rates["reversal_rate"].export(),
        ]
        for r in [*shown, total]
    ]
    return header, out


def _per_key(rows: list[Row]) -> dict[str, tuple[Figures, Cell]]:
    """The rows for a funnel by label; two units with the same name each keep their point."""
    found: dict[str, tuple[Figures, Cell]] = {}
    for r in rows:
        label, n = r.label, 2
        while label in found:
            label, n = f"{r.label} ({n})", n + 1
        found[label] = (r.figures, r.cell)
    return found


def _overdue(user: Any, over: Slice) -> dict[str, Any]:
    """The open-cases-past-deadline panel, small counts shown as "<5" with secondary suppression."""
    today = timezone.localdate()
    found = open_past_deadline(user, over, today)
    shown = suppress_with_total([n for _, n in found], settings.SUPPRESSION_THRESHOLD)
    return {
        "overdue": [(label, shown[i]) for i, (label, _) in enumerate(found)],
        "overdue_total": shown[-1],
        "overdue_as_of": today,
    }


def _reversal_reasons(user: Any, period: Period, over: Slice) -> list[tuple[str, Any]]:
    """The reasons by theme, small counts shown as "<5" with secondary suppression."""
    found = reversal_reasons(user, period, over)
    shown = suppress_with_total([n for _, n in found], settings.SUPPRESSION_THRESHOLD)
    return [(f"{theme.code} {theme.name}", shown[i]) for i, (theme, _n) in enumerate(found)]


@dataclass(frozen=True)
class ThemeRow:
    """A line of the theme page's table: an administration's decided cases (all of them: the denominator),
    its complaint points with the theme, their rate, and its reversals with the theme as a reason."""

    label: str
    url_id: int | None
    decided: Shown
    points: Shown
    rate: ShownRate
    reasons: Shown


THEME_TABLE_HEADER = [
    "Forvaltning",
    "Afgjorte sager (alle)",
    "Klagepunkter med temaet",
    "Klagepunkter med temaet pr. 1.000 afgjorte sager",
    "Omgørelser med temaet som årsag",
]


def _theme_table(
    rows: list[Row], total: Figures, the_grid: Grid, ctx: Context
) -> tuple[list[ThemeRow], ThemeRow]:
    """Per administration, the theme's figures (with its local sub-themes), as the grid's one decision
    shows them (the funnel below shows the same)."""
    metric = METRICS["theme_points_per_1000"]
    ids = sorted(ctx.theme_ids)
    decided = the_grid.decision("decided")
    points = the_grid.decision(
        f"theme_points:{ids}", lambda f: sum(f.points_by_theme.get(t, 0) for t in ctx.theme_ids)
    )
    reasons = the_grid.decision(
        f"theme_reasons:{ids}", lambda f: sum(f.reasons_by_theme.get(t, 0) for t in ctx.theme_ids)
    )
    lines = [*((r.label, r.url_id, r.cell, r.figures) for r in rows), ("I alt", None, (ROOT, ROOT), total)]
    rates = metric_cells(the_grid, metric, [(cell, f) for _, _, cell, f in lines], ctx)
    found = [
        ThemeRow(
            label,
            url_id,
            decided.shown(cell),
            points.shown(cell),
            ShownRate(metric, rate.value, suppressed=rate.hidden, threshold=the_grid.threshold),
            reasons.shown(cell),
        )
        for (label, url_id, cell, _f), rate in zip(lines, rates, strict=True)
    ]
    return found[:-1], found[-1]


def _theme_export(shown: list[ThemeRow], total: ThemeRow) -> tuple[list[str], list[list[Any]]]:
    return THEME_TABLE_HEADER, [
        [r.label, r.decided.export(), r.points.export(), r.rate.export(), r.reasons.export()]
        for r in [*shown, total]
    ]


def _scope_label(user: Any) -> str:
    """What the user's whole scope is called above its total, its chart and its signals."""
    if scope_of(user).is_municipality:
        return "Hele kommunen"
    part = scope_part(user)
    return "Dit område" if part is None else f"Dit område ({part})"


@dataclass(frozen=True)
class _Charts:
    """What the funnel, the control chart and the "what changed" panel are drawn from."""

    scope_label: str
    compared: str
    monthly: dict[date, Figures]
    months: list[date]
    ctx: Context
    recording_break: RecordingBreak | None
    allowed: tuple[str, ...] = CHARTABLE


def _page(
    user: Any,
    *,
    heading: str,
    row_heading: str,
    download_name: str,
    period: Period,
    rows: list[Row],
    total: Figures,
    total_cell: Cell,
    metric_code: str | None,
    charts: _Charts,
    changes: Callable[[], list[Change]] | None = None,
    themes: bool = False,
    main_table: tuple[list[str], list[list[Any]]] | None = None,
    **extra: Any,
) -> Page:
    metric = chosen_metric(metric_code, charts.allowed)
    since = charts.months[0] if charts.months else None
    # The "what changed" panel reads the watched metrics' working-day histograms too.
    the_grid = grid(user, period, since=since, themes=themes or metric.needs_theme, days=True)
    analysis = analyse(
        metric,
        scope=charts.scope_label,
        compared=charts.compared,
        per_key=_per_key(rows),
        total=(total, total_cell),
        grid=the_grid,
        period=period,
        months=charts.months,
        monthly=charts.monthly,
        ctx=charts.ctx,
        recording_break=charts.recording_break,
    )
    found = (
        changes()
        if changes is not None
        else watched_changes(
            charts.scope_label,
            period,
            charts.months,
            charts.monthly,
            charts.ctx,
            charts.recording_break,
            grid=the_grid,
            cell=total_cell,
        )
    )
    return Page(
        heading=heading,
        row_heading=row_heading,
        download_name=download_name,
        period=period,
        rows=rows,
        total=total,
        metric=metric,
        allowed=charts.allowed,
        analysis=analysis,
        months=charts.months,
        changes=found,
        grid=the_grid,
        total_cell=total_cell,
        extra=extra,
        main_table=main_table,
    )


def overview_page(user: Any, period: Period, *, metric_code: str | None = None) -> Page:
    """The overview: one row per administration the user sees, and the whole of what they see."""
    require(user, Perm.VIEW_AGGREGATES)
    rows, total = overview_by_administration(user, period)
    span, months = history(period)
    breaks = recording_breaks(months)
    per_admin, everything = monthly_by_administration(user, span)
    ctx = metric_context()
    scope = scope_of(user)
    label = _scope_label(user)
    # When the user sees one administration, the whole is that administration and its break applies.
    whole_break = break_for(breaks, rows[0].url_id if len(rows) == 1 else None)

    def changes() -> list[Change]:
        the_grid = grid(user, period, since=months[0] if months else None, days=True)
        # The whole first (the chart below shows it); each administration's own after, unless it is the whole.
        found = watched_changes(
            label, period, months, everything, ctx, whole_break, grid=the_grid, cell=(ROOT, ROOT)
        )
        if len(rows) > 1:
            for r in rows:
                found += watched_changes(
                    r.label,
                    period,
                    months,
                    per_admin.get(r.url_id or 0, {}),
                    ctx,
                    break_for(breaks, r.url_id),
                    grid=the_grid,
                    cell=r.cell,
                )
        return found

    return _page(
        user,
        heading="Overblik",
        row_heading="Forvaltning",
        download_name="overblik",
        period=period,
        rows=rows,
        total=total,
        total_cell=(ROOT, ROOT),
        metric_code=metric_code,
        charts=_Charts(label, "forvaltninger", everything, months, ctx, whole_break),
        changes=changes,
        scope=scope,
        scope_label=label,
        targets=targets_with_status(user),
        case_areas=list(CaseArea.objects.order_by("name")),
        core_themes=list(ComplaintTheme.objects.filter(parent__isnull=True, active=True).order_by("code")),
        **_overdue(user, Slice()),
    )


def administration_page(user: Any, pk: int, period: Period, *, metric_code: str | None = None) -> Page:
    """An administration: one row per top unit (with its subtree) the user sees."""
    require(user, Perm.VIEW_AGGREGATES)
    administration: Administration = get_object_or_404(administrations_in_scope(user), pk=pk)
    rows, total, _own = drilldown(user, period, administration=administration)
    span, months = history(period)
    over = Slice(administration_id=administration.pk)
    # A user scoped to a unit sees only that part of the administration: the heading says so.
    name = administration_label(administration, scope_part(user))
    return _page(
        user,
        heading=name,
        row_heading="Enhed",
        download_name=f"forvaltning-{administration.code}",
        period=period,
        rows=rows,
        total=total,
        total_cell=(administration_node(administration.pk), ROOT),
        metric_code=metric_code,
        charts=_Charts(
            name,
            "enheder",
            figures_for(user, span, over, by="month", themes=False),
            months,
            metric_context(),
            break_for(recording_breaks(months), administration.pk),
        ),
        breadcrumbs=[],
        administration=administration,
        targets=targets_with_status(user, administration_id=administration.pk),
        reasons=_reversal_reasons(user, period, over),
        **_overdue(user, over),
    )


def unit_page(user: Any, pk: int, period: Period, *, metric_code: str | None = None) -> Page:
    """A unit: one row per child unit (with its subtree), and a row for cases on the unit itself."""
    require(user, Perm.VIEW_AGGREGATES)
    unit: Unit = get_object_or_404(units_in_scope(user), pk=pk)
    rows, total, own = drilldown(user, period, unit=unit)
    # Cases registered on a unit that also has sub-units get their own line, so the rows add up.
    if own is not None and rows and (own.received or own.decided or own.complaints or own.appeals_decided):
        rows = [Row(label=f"{unit.name} (egne sager)", figures=own, cell=(own_node(unit.pk), ROOT)), *rows]
    span, months = history(period)
    over = Slice(unit_id=unit.pk)
    return _page(
        user,
        heading=unit.name,
        row_heading="Enhed",
        download_name=f"enhed-{unit.code}",
        period=period,
        rows=rows,
        total=total,
        total_cell=(unit_node(unit.pk), ROOT),
        metric_code=metric_code,
        charts=_Charts(
            unit.name,
            "underenheder",
            figures_for(user, span, over, by="month", themes=False),
            months,
            metric_context(),
            break_for(recording_breaks(months), unit.administration_id),
        ),
        breadcrumbs=_breadcrumbs(user, unit),
        administration=unit.administration,
        unit=unit,
        targets=targets_with_status(user, unit_id=unit.pk),
        reasons=_reversal_reasons(user, period, over),
        **_overdue(user, over),
    )


def _breadcrumbs(user: Any, unit: Unit) -> list[Unit]:
    """The unit's ancestors the user may see, top first (one read of the administration's units)."""
    visible = {u.pk: u for u in units_in_scope(user).filter(administration_id=unit.administration_id)}
    found: list[Unit] = []
    node = visible.get(unit.parent_id) if unit.parent_id is not None else None
    while node is not None:
        found.insert(0, node)
        node = visible.get(node.parent_id) if node.parent_id is not None else None
    return found


def case_area_page(user: Any, pk: int, period: Period, *, metric_code: str | None = None) -> Page:
    """A case area across the administrations the user sees."""
    require(user, Perm.VIEW_AGGREGATES)
    area: CaseArea = get_object_or_404(CaseArea, pk=pk)
    case_types = list(area.case_types.values_list("pk", flat=True))
    rows, total = overview_by_administration(
        user, period, case_types=case_types, case_node=area_node(area.pk)
    )
    span, months = history(period)
    return _page(
        user,
        heading=f"Sagsområde: {area.name}",
        row_heading="Forvaltning",
        download_name=f"sagsomraade-{area.pk}",
        period=period,
        rows=rows,
        total=total,
        total_cell=(ROOT, area_node(area.pk)),
        metric_code=metric_code,
        charts=_Charts(
            area.name if scope_of(user).is_municipality else f"{area.name} – {_scope_label(user)}",
            "forvaltninger",
            figures_for(user, span, Slice(case_area_id=area.pk), by="month", themes=False),
            months,
            metric_context(),
            break_for(recording_breaks(months), None),
        ),
        case_area=area,
    )


def theme_page(user: Any, pk: int, period: Period, *, metric_code: str | None = None) -> Page:
    """A complaint theme (with the local sub-themes mapped to it) across the administrations."""
    require(user, Perm.VIEW_AGGREGATES)
    theme: ComplaintTheme = get_object_or_404(ComplaintTheme, pk=pk)
    rows, total = overview_by_administration(user, period, themes=True)
    span, months = history(period)
    ctx = metric_context(theme_id=theme.pk)
    # The grid the page reads anyway (the same request's, so read once).
    the_grid = grid(user, period, since=months[0] if months else None, themes=True, days=True)
    shown, shown_total = _theme_table(rows, total, the_grid, ctx)
    return _page(
        user,
        heading=f"Klagetema: {theme.code} {theme.name}",
        row_heading="Forvaltning",
        download_name=f"tema-{theme.code}",
        period=period,
        rows=rows,
        total=total,
        total_cell=(ROOT, ROOT),
        themes=True,
        metric_code=metric_code,
        charts=_Charts(
            _scope_label(user),
            "forvaltninger",
            figures_for(user, span, Slice(), by="month"),
            months,
            ctx,
            break_for(recording_breaks(months), None),
            allowed=("theme_points_per_1000",),
        ),
        changes=list,
        main_table=_theme_export(shown, shown_total),
        theme=theme,
        theme_rows=shown,
        theme_total=shown_total,
    )
