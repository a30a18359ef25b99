"""Complaint register: list with filters, detail, registration form and CSV export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render

from sagsindsigt.common.audit import access_log, access_logged
from sagsindsigt.common.danish import plural
from sagsindsigt.common.views import csv_response, paginate, query_without_page
from sagsindsigt.complaints.forms import (
    ComplaintEditForm,
    ComplaintFilterForm,
    ComplaintForm,
    NewPointsFormSet,
    PointFormSet,
)
from sagsindsigt.complaints.models import Complaint
from sagsindsigt.complaints.selectors import (
    ComplaintFilter,
    complaint_for_edit,
    complaint_get,
    complaint_list,
    may_edit,
    may_register,
    require_may_register,
)
from sagsindsigt.complaints.services import (
    ComplaintChanges,
    PointInput,
    complaint_register,
    complaint_update,
    maintained_in_source,
)


def _filters(request: HttpRequest) -> tuple[ComplaintFilterForm, ComplaintFilter]:
    form = ComplaintFilterForm(request.GET or None, user=request.user)
    if not form.is_bound or not form.is_valid():
        return form, ComplaintFilter()
    d = form.cleaned_data
    return form, ComplaintFilter(
        administration_id=d["administration"].pk if d["administration"] else None,
        unit_id=d["unit"].pk if d["unit"] else None,
        theme_id=d["theme"].pk if d["theme"] else None,
        kind=d["kind"],
        channel=d["channel"],
        outcome=d["outcome"],
        received_from=d["fra"],
        received_to=d["til"],
    )


@login_required
def complaint_list_view(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    page = paginate(request, complaint_list(request.user, filters))
    access_log(
        user=request.user,
        what="klageliste",
        object_ids=[c.pk for c in page.object_list],
        detail=query_without_page(request),
    )
    return render(
        request,
        "complaints/list.html",
        {
            "filter_form": form,
            "page": page,
            "query": query_without_page(request),
            "can_register_complaint": may_register(request.user),
        },
    )


@login_required
def complaint_export(request: HttpRequest) -> StreamingHttpResponse:
    """Every complaint the filter finds, streamed; each chunk is access-logged as it is read."""
    _form, filters = _filters(request)
    complaints = access_logged(
        complaint_list(request.user, filters),
        user=request.user,
        what="klageeksport",
        detail=query_without_page(request),
    )
    header = [
        "Id",
        "Forvaltning",
        "Enhed",
        "Klageart",
        "Kanal",
        "Modtaget",
        "Besvaret",
        "Klagepunkter",
        "Tilsynssag",
        "Læring",
    ]
    rows = (
        [
            c.pk,
            c.unit.administration.code,
            c.unit.name,
            c.get_kind_display(),
            c.get_channel_display(),
            f"{c.received_date:%d-%m-%Y}",
            f"{c.answered_date:%d-%m-%Y}" if c.answered_date else "",
            ", ".join(f"{p.theme.code} ({p.get_outcome_display()})" for p in c.points.all()),
            "Ja" if c.supervision_case_opened else "Nej",
            c.learning_note,
        ]
        for c in complaints
    )
    return csv_response("klager.csv", header, rows)


@login_required
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        complaint = complaint_get(request.user, pk)
    except Complaint.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "complaints/detail.html",
        {
            "complaint": complaint,
            "may_edit": may_edit(request.user, complaint),
            "maintained_in_source": maintained_in_source(complaint),
        },
    )


@login_required
def complaint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        complaint = complaint_for_edit(request.user, pk)
    except Complaint.DoesNotExist:
        raise Http404 from None
    if maintained_in_source(complaint):
        # No form: the page says where the complaint is corrected (the service refuses a hand edit too).
        return render(request, "complaints/edit.html", {"complaint": complaint, "maintained_in_source": True})
    data: QueryDict | None = request.POST.copy() if request.method == "POST" else None
    if data is not None and "add_point" in data:
        # Re-render with one more empty point row and no error messages yet.
        total = data.get("punkt-TOTAL_FORMS", "0")
        data["punkt-TOTAL_FORMS"] = str(int(total) + 1 if total.isdigit() else 1)
    form = ComplaintEditForm(data, complaint=complaint)
    points = NewPointsFormSet(
        data, prefix="punkt", form_kwargs={"user": request.user}, initial=[{}] if data is None else None
    )
    ctx: dict[str, Any] = {"complaint": complaint, "form": form, "points": points}
    if data is None or "add_point" in data:
        ctx["suppress_errors"] = data is not None
        return render(request, "complaints/edit.html", ctx)
    if form.is_valid() and points.is_valid():
        changes = ComplaintChanges(
            answered_date=form.cleaned_data["answered_date"],
            learning_note=form.cleaned_data["learning_note"],
            outcomes=form.outcomes(),
            new_points=[
                PointInput(theme=p["theme"], outcome=p["outcome"])
                for p in points.cleaned_data
                if p.get("theme")
            ],
        )
        try:
            complaint_update(actor=request.user, complaint=complaint, changes=changes)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Klagen er rettet.")
            return redirect("complaint_detail", pk=complaint.pk)
    return render(request, "complaints/edit.html", ctx)


@login_required
def complaint_create(request: HttpRequest) -> HttpResponse:
    require_may_register(request.user)
    if request.method == "POST":
        form = ComplaintForm(request.POST, user=request.user)
        points = PointFormSet(request.POST, prefix="punkt", form_kwargs={"user": request.user})
        if "add_point" in request.POST:
            # Re-render with one more empty point row and no error messages yet.
            data = request.POST.copy()
            data["punkt-TOTAL_FORMS"] = str(int(data.get("punkt-TOTAL_FORMS", "1")) + 1)
            form = ComplaintForm(data, user=request.user)
            points = PointFormSet(data, prefix="punkt", form_kwargs={"user": request.user})
            return render(
                request, "complaints/form.html", {"form": form, "points": points, "suppress_errors": True}
            )
        if form.is_valid() and points.is_valid():
            d = form.cleaned_data
            chosen = [
                PointInput(theme=p["theme"], outcome=p["outcome"])
                for p in points.cleaned_data
                if p.get("theme")
            ]
            try:
                complaint = complaint_register(
                    actor=request.user,
                    unit=d["unit"],
                    kind=d["kind"],
                    channel=d["channel"],
                    received_date=d["received_date"],
                    answered_date=d["answered_date"],
                    case_type=d["case_type"],
                    supervision_case_opened=d["supervision_case_opened"],
                    learning_note=d["learning_note"],
                    citizen_cpr=d["citizen_cpr"],
                    points=chosen,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, f"Klagen er registreret med {plural(len(chosen), 'klagepunkt', 'klagepunkter')}."
                )
                return redirect("complaint_detail", pk=complaint.pk)
    else:
        form = ComplaintForm(user=request.user)
        points = PointFormSet(prefix="punkt", form_kwargs={"user": request.user}, initial=[{}, {}])
    ctx: dict[str, Any] = {"form": form, "points": points}
    return render(request, "complaints/form.html", ctx)
