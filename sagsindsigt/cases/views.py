"""Case rows for roles that may see them: list, detail with the due date explained, CSV export."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from sagsindsigt.cases.forms import CaseFilterForm
from sagsindsigt.cases.models import Case, CaseStatus
from sagsindsigt.cases.selectors import CaseFilter, case_detail, case_list
from sagsindsigt.common.audit import access_log, access_logged
from sagsindsigt.common.views import csv_response, paginate, query_without_page


def _filters(request: HttpRequest) -> tuple[CaseFilterForm, CaseFilter]:
    form = CaseFilterForm(request.GET or None, user=request.user)
    if not form.is_bound or not form.is_valid():
        return form, CaseFilter()
    d = form.cleaned_data
    return form, CaseFilter(
        administration_id=d["administration"].pk if d["administration"] else None,
        unit_id=d["unit"].pk if d["unit"] else None,
        status=d["status"],
        received_from=d["fra"],
        received_to=d["til"],
    )


@login_required
def case_list_view(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    page = paginate(request, case_list(request.user, filters))
    access_log(
        user=request.user,
        what="sagsliste",
        object_ids=[c.pk for c in page.object_list],
        detail=query_without_page(request),
    )
    return render(
        request, "cases/list.html", {"filter_form": form, "page": page, "query": query_without_page(request)}
    )


EXPORT_HEADER = [
    "Kildesystem",
    "Sagsnummer",
    "Forvaltning",
    "Enhed",
    "Sagstype",
    "Modtaget",
    "Afgjort",
    "Frist",
    "Status",
]


def export_row(c: Case) -> list[Any]:
    """One case as a line of the CSV (dates become dd-mm-åååå there)."""
    return [
        c.source_system,
        c.external_id,
        c.unit.administration.code,
        c.unit.name,
        c.case_type.name,
        c.received_date,
        c.decided_date,
        c.due_date,
        # The enum's label, not get_status_display(), which rebuilds its choices for every row.
        CaseStatus(c.status).label,
    ]


@login_required
def case_export(request: HttpRequest) -> StreamingHttpResponse:
    """Every case the filter finds, streamed; each chunk is access-logged as it is read."""
    _form, filters = _filters(request)
    cases = access_logged(
        case_list(request.user, filters),
        user=request.user,
        what="sagseksport",
        detail=query_without_page(request),
    )
    return csv_response("sager.csv", EXPORT_HEADER, (export_row(c) for c in cases))


@login_required
def case_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        found = case_detail(request.user, pk)
    except Case.DoesNotExist:
        raise Http404 from None
    return render(request, "cases/detail.html", vars(found))
