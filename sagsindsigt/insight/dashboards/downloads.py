"""The downloads of a dashboard page: every table as XLSX or CSV, every chart as SVG or PNG."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse

from sagsindsigt.common.exports import csv_bytes, xlsx_bytes
from sagsindsigt.common.periods import Period
from sagsindsigt.common.suppression import whole_months_problem
from sagsindsigt.insight.dashboards.analysis import Control, Funnel
from sagsindsigt.stats import charts


def _num(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def funnel_table(f: Funnel) -> tuple[list[str], list[list[Any]]]:
    m = f.metric
    header = ["Enhed", m.events_label, m.volume_label, f"{m.name} ({m.unit})", "Placering"]
    rows = [
        [
            r.label,
            r.events.export(),
            r.volume.export(),
            _num(r.value),
            "Skjult: vises ikke i diagrammet" if r.held_back else r.classification_da,
        ]
        for r in f.rows
    ]
    return header, rows


def control_table(c: Control) -> tuple[list[str], list[list[Any]]]:
    m = c.metric
    header = [
        "Måned",
        m.events_label,
        m.volume_label,
        f"{m.name} ({m.unit})",
        "Midtlinje",
        "Nedre grænse",
        "Øvre grænse",
        "Signal",
    ]
    rows = [
        [
            r.label,
            r.events.export(),
            r.volume.export(),
            _num(r.value),
            _num(r.centre),
            _num(r.lower),
            _num(r.upper),
            "Ja" if r.signal else "",
        ]
        for r in c.rows
    ]
    return header, rows


def download(
    request: HttpRequest,
    *,
    name: str,
    title: str,
    tables: Mapping[str, tuple[list[str], list[list[Any]]]],
    specs: Mapping[str, dict[str, Any] | None],
    period: Period,
) -> HttpResponse | None:
    """Answer ?eksport=xlsx|csv&tabel=… or ?diagram=…&format=svg|png; None when nothing was asked for
    (or something unknown was: the page is shown instead). A download leaves the user's own view, so it
    is given for whole months only (ADR 0015): else a 400 that says why."""
    fmt = request.GET.get("format", "")
    problem = whole_months_problem(period.start, period.end)
    if fmt in ("xlsx", "csv", "svg", "png") and problem is not None:
        return HttpResponse(problem, status=400, content_type="text/plain; charset=utf-8")
    table = request.GET.get("tabel", "")
    if fmt in ("xlsx", "csv") and table in tables:
        header, rows = tables[table]
        if fmt == "csv":
            response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
        else:
            response = HttpResponse(
                xlsx_bytes(header, rows, sheet_title=table[:31], title=title),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{name}-{table}.{fmt}"'
        return response
    chart = request.GET.get("diagram", "")
    spec = specs.get(chart)
    if fmt in ("svg", "png") and spec is not None:
        if fmt == "svg":
            response = HttpResponse(charts.spec_to_svg(spec), content_type="image/svg+xml")
        else:
            response = HttpResponse(charts.spec_to_png(spec), content_type="image/png")
        response["Content-Disposition"] = f'attachment; filename="{name}-{chart}.{fmt}"'
        return response
    return None
