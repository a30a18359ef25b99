"""The dashboards: overview, administration, unit, case area and theme pages (parse, read a page, render)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from sagsindsigt.common.periods import Period
from sagsindsigt.common.suppression import whole_months_problem
from sagsindsigt.insight.dashboards import pages
from sagsindsigt.insight.dashboards.downloads import download
from sagsindsigt.insight.dashboards.forms import PeriodForm, default_period, presets
from sagsindsigt.insight.dashboards.protection import readable_period
from sagsindsigt.insight.saved.forms import SaveViewForm


def _period(request: HttpRequest) -> tuple[PeriodForm, Period, str | None]:
    """The period asked for. A user who may not read the case rows gets whole months (ADR 0015): two
    periods a day apart would otherwise give one day's count by subtraction; the note says so."""
    fallback = default_period(timezone.localdate())
    form = (
        PeriodForm(request.GET)
        if {"fra", "til"} <= set(request.GET)
        else PeriodForm(initial={"fra": fallback.start, "til": fallback.end})
    )
    asked = form.period(fallback)
    period, note = readable_period(request.user, asked)
    if period == asked:
        return form, period, None
    return PeriodForm(initial={"fra": period.start, "til": period.end}), period, note


def _respond(
    request: HttpRequest, template: str, read: Callable[..., pages.Page], *args: Any
) -> HttpResponse:
    """Read the page for the period and metric asked for; answer a download, or render the page."""
    form, period, period_note = _period(request)
    page = read(
        request.user, *args, period, metric_code=request.GET.get("maal"), lines=request.GET.getlist("linje")
    )
    found = download(
        request,
        name=page.download_name,
        title=f"{page.heading}, {period.label()}",
        tables=page.tables(),
        specs=page.analysis.specs,
        period=period,
    )
    if found is not None:
        return found
    match = request.resolver_match
    context = page.context() | {
        "save_view_form": SaveViewForm.for_page(
            (match.url_name if match is not None else None) or "overview",
            args[0] if args else None,
            period,
            page.metric.code,
            timezone.localdate(),
        ),
        "period_form": form,
        "period_query": urlencode({"fra": period.start.isoformat(), "til": period.end.isoformat()}),
        "export_problem": whole_months_problem(period.start, period.end),
        "period_note": period_note,
        "presets": [
            (label, urlencode({"fra": p.start.isoformat(), "til": p.end.isoformat()}))
            for label, p in presets(timezone.localdate())
        ],
    }
    return render(request, template, context)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    return _respond(request, "insight/overview.html", pages.overview_page)


@login_required
def administration_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _respond(request, "insight/drilldown.html", pages.administration_page, pk)


@login_required
def unit_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _respond(request, "insight/drilldown.html", pages.unit_page, pk)


@login_required
def case_area_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _respond(request, "insight/area.html", pages.case_area_page, pk)


@login_required
def theme_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _respond(request, "insight/theme.html", pages.theme_page, pk)
