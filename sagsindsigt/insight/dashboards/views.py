"""The dashboards: overview, administration, unit, case area and theme pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import urlencode

from sagsindsigt.cases.models import CaseArea
from sagsindsigt.common.periods import Period
from sagsindsigt.common.suppression import suppress_with_total
from sagsindsigt.complaints.models import ComplaintTheme
from sagsindsigt.insight.dashboards.downloads import download
from sagsindsigt.insight.dashboards.forms import PeriodForm, default_period, presets
from sagsindsigt.insight.dashboards.models import RecordingBreak
from sagsindsigt.insight.dashboards.panels import (
    CHARTABLE,
    Analysis,
    analyse,
    chosen_metric,
    history,
    watched_changes,
)
from sagsindsigt.insight.dashboards.presentation import present
from sagsindsigt.insight.dashboards.selectors import (
    Row,
    break_for,
    drilldown,
    monthly_by_administration,
    open_past_deadline,
    overview_by_administration,
    recording_breaks,
    reversal_reasons,
)
from sagsindsigt.insight.metrics.figures import Figures
from sagsindsigt.insight.metrics.registry import METRICS, Context
from sagsindsigt.insight.rollups.selectors import Slice, figures_for, metric_context
from sagsindsigt.insight.targets.selectors import targets_with_status
from sagsindsigt.organisation.access import (
    Perm,
    administrations_in_scope,
    require,
    scope_of,
    units_in_scope,
)
from sagsindsigt.organisation.models import Unit


def _period(request: HttpRequest) -> tuple[PeriodForm, Period]:
    fallback = default_period(timezone.localdate())
    form = (
        PeriodForm(request.GET)
        if {"fra", "til"} <= set(request.GET)
        else PeriodForm(initial={"fra": fallback.start, "til": fallback.end})
    )
    return form, form.period(fallback)


def _context(
    period_form: PeriodForm,
    period: Period,
    rows: list[Row],
    total: Figures,
    **extra: Any,
) -> dict[str, Any]:
    shown, shown_total = present(
        [(r.label, r.url_kind, r.url_id, r.figures) for r in rows], total, settings.SUPPRESSION_THRESHOLD
    )
    today = timezone.localdate()
    return {
        "period_form": period_form,
        "period": period,
        "period_query": urlencode({"fra": period.start.isoformat(), "til": period.end.isoformat()}),
        "presets": [
            (label, urlencode({"fra": p.start.isoformat(), "til": p.end.isoformat()}))
            for label, p in presets(today)
        ],
        "rows": shown,
        "total": shown_total,
        "threshold": settings.SUPPRESSION_THRESHOLD,
        **extra,
    }


def _analysis_context(
    request: HttpRequest,
    period: Period,
    *,
    scope_label: str,
    compared: str,
    per_key: dict[str, Figures],
    monthly: dict[date, Figures],
    months: list[date],
    ctx: Context,
    allowed: tuple[str, ...] = CHARTABLE,
    recording_break: RecordingBreak | None = None,
) -> dict[str, Any]:
    metric = chosen_metric(request, allowed)
    analysis = analyse(
        metric,
        scope=scope_label,
        compared=compared,
        per_key=per_key,
        months=months,
        monthly=monthly,
        ctx=ctx,
        recording_break=recording_break,
    )
    return {
        "analysis": analysis,
        "metric": metric,
        "metric_choices": [(code, METRICS[code].name) for code in allowed],
        "metric_query": urlencode({"maal": metric.code}),
        "history_first": months[0] if months else None,
    }


def _respond(
    request: HttpRequest, template: str, ctx: dict[str, Any], *, name: str, rows: list[Row], total: Figures
) -> HttpResponse:
    analysis: Analysis = ctx["analysis"]
    tables = {"tal": _figures_table(ctx["row_heading"], rows, total), **analysis.tables()}
    found = download(
        request,
        name=name,
        title=f"{ctx['heading']}, {ctx['period'].label()}",
        tables=tables,
        specs=analysis.specs,
    )
    return found if found is not None else render(request, template, ctx)


def _per_key(rows: list[Row]) -> dict[str, Figures]:
    """The rows for a funnel by label; two units with the same name each keep their point."""
    found: dict[str, Figures] = {}
    for r in rows:
        label, n = r.label, 2
        while label in found:
            label, n = f"{r.label} ({n})", n + 1
        found[label] = r.figures
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


def _theme_rows(rows: list[Row], theme_ids: frozenset[int]) -> list[tuple[str, Any, Any]]:
    """Per administration: points with the theme and reversals with it as a reason, suppressed."""
    points = [sum(r.figures.points_by_theme.get(t, 0) for t in theme_ids) for r in rows]
    reasons = [sum(r.figures.reasons_by_theme.get(t, 0) for t in theme_ids) for r in rows]
    threshold = settings.SUPPRESSION_THRESHOLD
    shown_points = suppress_with_total(points, threshold)
    shown_reasons = suppress_with_total(reasons, threshold)
    labels = [r.label for r in rows] + ["I alt"]
    return [(label, shown_points[i], shown_reasons[i]) for i, label in enumerate(labels)]


def _reversal_reasons(user: Any, period: Period, over: Slice) -> list[tuple[str, Any]]:
    """The reasons by theme, small counts shown as "<5" with secondary suppression."""
    found = reversal_reasons(user, period, over)
    shown = suppress_with_total([n for _, n in found], settings.SUPPRESSION_THRESHOLD)
    return [(f"{theme.code} {theme.name}", shown[i]) for i, (theme, _n) in enumerate(found)]


def _figures_table(row_heading: str, rows: list[Row], total: Figures) -> tuple[list[str], list[list[Any]]]:
    """The page's main table as it is shown: small counts as "<5", hidden rates as "–"."""
    shown, shown_total = present(
        [(r.label, r.url_kind, r.url_id, r.figures) for r in rows], total, settings.SUPPRESSION_THRESHOLD
    )
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
    out = []
    for r in [*shown, shown_total]:
        out.append(
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
        )
    return header, out


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.VIEW_AGGREGATES)
    form, period = _period(request)
    rows, total = overview_by_administration(request.user, period)
    span, months = history(period)
    breaks = recording_breaks(months)
    per_admin, municipality = monthly_by_administration(request.user, span)
    names = {r.url_id: r.label for r in rows}
    ctx = metric_context()
    scope = scope_of(request.user)
    scope_label = "Hele kommunen" if scope.is_municipality else "Dit område"
    found = []
    for admin_id, label in names.items():
        found += watched_changes(
            label, months, per_admin.get(admin_id or 0, {}), ctx, break_for(breaks, admin_id)
        )
    context = _context(
        form,
        period,
        rows,
        total,
        heading="Overblik",
        row_heading="Forvaltning",
        scope=scope,
        changes=found,
        targets=targets_with_status(request.user),
        case_areas=CaseArea.objects.order_by("name"),
        core_themes=ComplaintTheme.objects.filter(parent__isnull=True, active=True).order_by("code"),
        **_overdue(request.user, Slice()),
        **_analysis_context(
            request,
            period,
            scope_label=scope_label,
            compared="forvaltninger",
            per_key=_per_key(rows),
            monthly=municipality,
            months=months,
            ctx=ctx,
            recording_break=break_for(breaks, None),
        ),
    )
    return _respond(request, "insight/overview.html", context, name="overblik", rows=rows, total=total)


@login_required
def administration_page(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Perm.VIEW_AGGREGATES)
    administration = get_object_or_404(administrations_in_scope(request.user), pk=pk)
    form, period = _period(request)
    rows, total, _own = drilldown(request.user, period, administration=administration)
    span, months = history(period)
    recording_break = break_for(recording_breaks(months), administration.pk)
    monthly = figures_for(
        request.user, span, Slice(administration_id=administration.pk), by="month", themes=False
    )
    ctx = metric_context()
    context = _context(
        form,
        period,
        rows,
        total,
        heading=str(administration),
        row_heading="Enhed",
        breadcrumbs=[],
        administration=administration,
        targets=targets_with_status(request.user, administration_id=administration.pk),
        reasons=_reversal_reasons(request.user, period, Slice(administration_id=administration.pk)),
        changes=watched_changes(str(administration), months, monthly, ctx, recording_break),
        **_overdue(request.user, Slice(administration_id=administration.pk)),
        **_analysis_context(
            request,
            period,
            scope_label=str(administration),
            compared="enheder",
            recording_break=recording_break,
            per_key=_per_key(rows),
            monthly=monthly,
            months=months,
            ctx=ctx,
        ),
    )
    return _respond(
        request,
        "insight/drilldown.html",
        context,
        name=f"forvaltning-{administration.code}",
        rows=rows,
        total=total,
    )


@login_required
def unit_page(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Perm.VIEW_AGGREGATES)
    unit = get_object_or_404(units_in_scope(request.user), pk=pk)
    form, period = _period(request)
    rows, total, own = drilldown(request.user, period, unit=unit)
    # Cases registered on a unit that also has sub-units get their own line, so the rows add up.
    if own is not None and rows and (own.received or own.decided or own.complaints or own.appeals_decided):
        rows = [Row(label=f"{unit.name} (egne sager)", figures=own), *rows]
    visible = {u.pk for u in units_in_scope(request.user).filter(administration_id=unit.administration_id)}
    breadcrumbs: list[Unit] = []
    node = unit.parent
    while node is not None and node.pk in visible:
        breadcrumbs.insert(0, node)
        node = node.parent
    span, months = history(period)
    recording_break = break_for(recording_breaks(months), unit.administration_id)
    monthly = figures_for(request.user, span, Slice(unit_id=unit.pk), by="month", themes=False)
    ctx = metric_context()
    context = _context(
        form,
        period,
        rows,
        total,
        heading=unit.name,
        row_heading="Enhed",
        breadcrumbs=breadcrumbs,
        administration=unit.administration,
        unit=unit,
        targets=targets_with_status(request.user, unit_id=unit.pk),
        reasons=_reversal_reasons(request.user, period, Slice(unit_id=unit.pk)),
        changes=watched_changes(unit.name, months, monthly, ctx, recording_break),
        **_overdue(request.user, Slice(unit_id=unit.pk)),
        **_analysis_context(
            request,
            period,
            scope_label=unit.name,
            compared="underenheder",
            recording_break=recording_break,
            per_key=_per_key(rows),
            monthly=monthly,
            months=months,
            ctx=ctx,
        ),
    )
    return _respond(
        request, "insight/drilldown.html", context, name=f"enhed-{unit.code}", rows=rows, total=total
    )


@login_required
def case_area_page(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Perm.VIEW_AGGREGATES)
    area = get_object_or_404(CaseArea, pk=pk)
    form, period = _period(request)
    case_types = list(area.case_types.values_list("pk", flat=True))
    rows, total = overview_by_administration(request.user, period, case_types=case_types)
    span, months = history(period)
    recording_break = break_for(recording_breaks(months), None)
    monthly = figures_for(request.user, span, Slice(case_area_id=area.pk), by="month", themes=False)
    ctx = metric_context()
    context = _context(
        form,
        period,
        rows,
        total,
        heading=f"Sagsområde: {area.name}",
        row_heading="Forvaltning",
        case_area=area,
        changes=watched_changes(area.name, months, monthly, ctx, recording_break),
        **_analysis_context(
            request,
            period,
            scope_label=area.name,
            compared="forvaltninger",
            per_key=_per_key(rows),
            monthly=monthly,
            months=months,
            ctx=ctx,
            recording_break=recording_break,
        ),
    )
    return _respond(
        request, "insight/area.html", context, name=f"sagsomraade-{area.pk}", rows=rows, total=total
    )


@login_required
def theme_page(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Perm.VIEW_AGGREGATES)
    theme = get_object_or_404(ComplaintTheme, pk=pk)
    form, period = _period(request)
    rows, total = overview_by_administration(request.user, period, themes=True)
    span, months = history(period)
    recording_break = break_for(recording_breaks(months), None)
    monthly = figures_for(request.user, span, Slice(), by="month")
    ctx = metric_context(theme_id=theme.pk)
    context = _context(
        form,
        period,
        rows,
        total,
        heading=f"Klagetema: {theme.code} {theme.name}",
        row_heading="Forvaltning",
        theme=theme,
        theme_rows=_theme_rows(rows, ctx.theme_ids),
        changes=[],
        **_analysis_context(
            request,
            period,
            scope_label="Hele kommunen" if scope_of(request.user).is_municipality else "Dit område",
            compared="forvaltninger",
            per_key=_per_key(rows),
            monthly=monthly,
            months=months,
            ctx=ctx,
            allowed=("theme_points_per_1000",),
            recording_break=recording_break,
        ),
    )
    return _respond(request, "insight/theme.html", context, name=f"tema-{theme.code}", rows=rows, total=total)
