"""Overview and drill-down pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import urlencode

from sagsindsigt.insight.figures import Figures, Period
from sagsindsigt.insight.forms import PeriodForm, default_period, presets
from sagsindsigt.insight.presentation import present
from sagsindsigt.insight.selectors import Row, drilldown, overview_by_administration
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


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.VIEW_AGGREGATES)
    form, period = _period(request)
    rows, total = overview_by_administration(request.user, period)
    ctx = _context(
        form,
        period,
        rows,
        total,
        heading="Overblik",
        row_heading="Forvaltning",
        scope=scope_of(request.user),
    )
    return render(request, "insight/overview.html", ctx)


@login_required
def administration_page(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Perm.VIEW_AGGREGATES)
    administration = get_object_or_404(administrations_in_scope(request.user), pk=pk)
    form, period = _period(request)
    rows, total, _own = drilldown(request.user, period, administration=administration)
    ctx = _context(
        form,
        period,
        rows,
        total,
        heading=str(administration),
        row_heading="Enhed",
        breadcrumbs=[],
        administration=administration,
    )
    return render(request, "insight/drilldown.html", ctx)


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
    ctx = _context(
        form,
        period,
        rows,
        total,
        heading=unit.name,
        row_heading="Enhed",
        breadcrumbs=breadcrumbs,
        administration=unit.administration,
        unit=unit,
    )
    return render(request, "insight/drilldown.html", ctx)
