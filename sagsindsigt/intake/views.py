"""Intake pages: sources and their mappings, upload, the report with live progress, commit, rollback."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sagsindsigt.common.confirm import Confirmation, confirmation_page, confirmed
from sagsindsigt.common.danish import plural
from sagsindsigt.common.views import csv_response, paginate
from sagsindsigt.intake.dispatch import load_process
from sagsindsigt.intake.forms import MappingFileForm, MappingForm, SourceForm, UploadForm
from sagsindsigt.intake.mapping import Mapping
from sagsindsigt.intake.models import Load, LoadStatus
from sagsindsigt.intake.progress import progress_get
from sagsindsigt.intake.selectors import load_get, load_issues, load_list, source_get, source_list
from sagsindsigt.intake.services import (
    ACTIVE,
    load_receive,
    load_rollback,
    source_create,
    source_issue_token,
    source_set_mapping,
)
from sagsindsigt.intake.tasks import loads_sweep


@login_required
def intake_home(request: HttpRequest) -> HttpResponse:
    sources = source_list(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    form.fields["source"].queryset = sources  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        source = form.cleaned_data["source"]
        path = getattr(upload, "temporary_file_path", None)
        if path is not None:
            load = load_receive(actor=request.user, source=source, path=Path(path()), file_name=upload.name)
        else:
            with tempfile.NamedTemporaryFile(suffix=Path(upload.name).suffix) as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
                handle.flush()
                load = load_receive(
                    actor=request.user, source=source, path=Path(handle.name), file_name=upload.name
                )
        if load.status == LoadStatus.RECEIVED:
            load = load_process(actor=request.user, load=load)
        return redirect("intake_load", pk=load.pk)
    loads_sweep()  # a load listed as being checked must really be alive
    return render(
        request,
        "intake/home.html",
        {
            "form": form,
            "sources": sources,
            "loads": load_list(request.user)[:30],
        },
    )


@login_required
def source_new(request: HttpRequest) -> HttpResponse:
    form = SourceForm(request.POST or None)
    source_list(request.user)  # role check before showing the form
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        source = source_create(
            actor=request.user,
            name=d["name"],
            kind=d["kind"],
            administration=d["administration"],
            future_days=d["future_days"],
        )
        messages.success(request, "Kildesystemet er oprettet. Tilpas kortlægningen til systemets eksport.")
        return redirect("intake_source", pk=source.pk)
    return render(request, "intake/source_new.html", {"form": form})


@login_required
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = source_get(request.user, pk)
    form = MappingForm(request.POST or None, source=source)
    file_form = MappingFileForm(source=source)
    if request.method == "POST" and "save_mapping" in request.POST and form.is_valid():
        try:
            source_set_mapping(
                actor=request.user,
                source=source,
                mapping=form.mapping(),
                future_days=form.cleaned_data["future_days"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Kortlægningen er gemt.")
            return redirect("intake_source", pk=source.pk)
    return render(request, "intake/source.html", {"source": source, "form": form, "file_form": file_form})


@login_required
@require_POST
def source_mapping_import(request: HttpRequest, pk: int) -> HttpResponse:
    source = source_get(request.user, pk)
    file_form = MappingFileForm(request.POST, request.FILES, source=source)
    if file_form.is_valid():
        source_set_mapping(actor=request.user, source=source, mapping=file_form.cleaned_data["file"])
        messages.success(request, "Kortlægningen er indlæst fra filen.")
        return redirect("intake_source", pk=source.pk)
    return render(
        request,
        "intake/source.html",
        {"source": source, "form": MappingForm(source=source), "file_form": file_form},
    )


@login_required
def source_mapping_export(request: HttpRequest, pk: int) -> HttpResponse:
    source = source_get(request.user, pk)
    body = Mapping.from_json(source.mapping, source.kind).dumps(source.name)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kortlaegning-{source.pk}.json"'
    return response


@login_required
@require_POST
def source_token(request: HttpRequest, pk: int) -> HttpResponse:
    source = source_get(request.user, pk)
    # Shown once, in this response only: it is stored nowhere but as a hash.
    token = source_issue_token(actor=request.user, source=source)
    return render(
        request,
        "intake/source.html",
        {
            "source": source,
            "form": MappingForm(source=source),
            "file_form": MappingFileForm(source=source),
            "token": token,
        },
    )


def commit_confirmation(load: Load) -> Confirmation:
    counts = load.counts or {}
    return Confirmation(
        key="bekraeft-indlaes",
        action_url=reverse("intake_commit", args=[load.pk]),
        back_url=reverse("intake_load", args=[load.pk]),
        button_label="Indlæs",
        question=f"Indlæs {load.file_name}?",
        consequence=(
            f"Alle rækker fra {load.source_system} indlæses i én omgang: "
            f"{plural(counts.get('new', 0), 'ny post', 'nye poster')} og "
            f"{plural(counts.get('changed', 0), 'ændret post', 'ændrede poster')}. "
            "Tallene på oversigterne opdateres bagefter. "
            "Indlæsningen kan rulles tilbage senere, så længe ingen nyere indlæsning fra samme kilde "
            "er indlæst."
        ),
        confirm_label="Ja, indlæs filen",
    )


def rollback_confirmation(load: Load) -> Confirmation:
    counts = load.counts or {}
    return Confirmation(
        key="bekraeft-rul-tilbage",
        action_url=reverse("intake_rollback", args=[load.pk]),
        back_url=reverse("intake_load", args=[load.pk]),
        button_label="Rul indlæsningen tilbage",
        question=f"Rul indlæsning {load.pk} tilbage?",
        consequence=(
            f"Indlæsningens {plural(counts.get('new', 0), 'nye post', 'nye poster')} slettes, og dens "
            f"{plural(counts.get('changed', 0), 'ændrede post', 'ændrede poster')} sættes tilbage til, "
            "som de var før. Tallene på oversigterne opdateres bagefter. "
            "En tilbagerulning kan ikke fortrydes; filen kan indlæses igen."
        ),
        confirm_label="Ja, rul indlæsningen tilbage",
        secondary=True,
    )


def _report_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    load = load_get(request.user, pk)
    if load.status in ACTIVE and loads_sweep():
        load = load_get(request.user, pk)  # it may have been ended: its process died
    progress = progress_get(load.pk) if load.status in ACTIVE else None
    percent = None
    if progress and progress.get("total"):
        percent = min(100, round(100 * progress["done"] / progress["total"]))
    return {
        "load": load,
        "active": load.status in ACTIVE,
        "progress": progress,
        "percent": percent,
        "confirm_commit": commit_confirmation(load),
        "confirm_rollback": rollback_confirmation(load),
    }


@login_required
def load_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ctx = _report_context(request, pk)
    ctx["page"] = paginate(request, load_issues(request.user, ctx["load"]))
    return render(request, "intake/load.html", ctx)


@login_required
def load_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The htmx fragment polled while the load is being worked on."""
    ctx = _report_context(request, pk)
    response = render(request, "intake/_progress.html", ctx)
    if not ctx["active"]:
        response["HX-Refresh"] = "true"  # finished: reload the page to show the report
    return response


@login_required
def load_issues_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    load = load_get(request.user, pk)
    rows = (
        [i.row or "", i.column, i.get_severity_display(), i.message]
        for i in load_issues(request.user, load).iterator()
    )
    return csv_response(f"fejl-indlaesning-{load.pk}.csv", ["Række", "Kolonne", "Type", "Besked"], rows)


@login_required
@require_POST
def load_commit_view(request: HttpRequest, pk: int) -> HttpResponse:
    load = load_get(request.user, pk)
    if not confirmed(request):
        return confirmation_page(request, commit_confirmation(load))
    try:
        load = load_process(actor=request.user, load=load)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("intake_load", pk=load.pk)


@login_required
@require_POST
def load_rollback_view(request: HttpRequest, pk: int) -> HttpResponse:
    load = load_get(request.user, pk)
    if not confirmed(request):
        return confirmation_page(request, rollback_confirmation(load))
    try:
        load_rollback(actor=request.user, load=load)
        messages.success(request, "Indlæsningen er rullet tilbage.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("intake_load", pk=load.pk)
