"""Target pages: the list, the create and edit forms with the count-cap warning, archiving and history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sagsindsigt.insight.metrics.registry import METRICS
from sagsindsigt.insight.targets.forms import ArchiveForm, TargetEditForm, TargetForm
from sagsindsigt.insight.targets.models import Target
from sagsindsigt.insight.targets.selectors import target_get, target_history, target_row, targets_with_status
from sagsindsigt.insight.targets.services import (
    WARNING_NOT_ACKNOWLEDGED,
    may_set_target,
    may_set_targets,
    require_may_set_target,
    require_may_set_targets,
    target_archive,
    target_create,
    target_update,
)

# The edit form has a `reason` field too; the prefix keeps the two ids apart on one page.
ARCHIVE_PREFIX = "arkiv"


def _target(request: HttpRequest, pk: int) -> Target:
    try:
        return target_get(request.user, pk)
    except Target.DoesNotExist:
        raise Http404 from None


def _form_context(form: TargetForm, warning: str | None) -> dict[str, Any]:
    chosen = METRICS.get(form["metric"].value() or "")
    return {"form": form, "warning": warning, "metrics": list(METRICS.values()), "chosen_metric": chosen}


def _save(form: TargetForm, save: Callable[[bool], Target]) -> tuple[Target | None, str | None]:
    """Run the service unless the count-cap warning still needs confirming; (target, warning shown)."""
    warning = form.warning()
    if warning and not form.cleaned_data["acknowledge_warning"]:
        return None, warning
    try:
        return save(form.cleaned_data["acknowledge_warning"]), warning
    except ValidationError as error:
        if getattr(error, "code", None) == WARNING_NOT_ACKNOWLEDGED:
            return None, warning or error.messages[0]
        form.add_error(None, error)
        return None, warning


@login_required
def target_list(request: HttpRequest) -> HttpResponse:
    include_archived = request.GET.get("arkiverede") == "1"
    return render(
        request,
        "insight/targets.html",
        {
            "targets": targets_with_status(request.user, include_archived=include_archived),
            "include_archived": include_archived,
            "can_set_targets": may_set_targets(request.user),
        },
    )


@login_required
def target_create_view(request: HttpRequest) -> HttpResponse:
    require_may_set_targets(request.user)
    form = TargetForm(request.POST or None, user=request.user)
    warning = None
    if request.method == "POST" and form.is_valid():
        target, warning = _save(
            form,
            lambda ack: target_create(actor=request.user, data=form.to_data(), warning_acknowledged=ack),
        )
        if target is not None:
            messages.success(request, "Målet er oprettet.")
            return redirect("targets")
    elif request.method == "POST":
        warning = form.warning()  # shown already while other fields still need correcting
    return render(request, "insight/target_form.html", {**_form_context(form, warning), "target": None})


@login_required
def target_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The target's status and history for everyone who sees it; the form for those who may change it."""
    target = _target(request, pk)
    editable = not target.archived and may_set_target(request.user, target)
    if request.method == "POST" and not editable:
        if target.archived:
            messages.error(request, "Målet er arkiveret og kan ikke ændres.")
            return redirect("target_edit", pk=target.pk)
        require_may_set_target(request.user, administration_id=target.administration_id, unit=target.unit)
    row = target_row(request.user, target)
    ctx: dict[str, Any] = {"form": None, "warning": None}
    if editable:
        form = TargetEditForm(
            request.POST or None, user=request.user, initial=TargetEditForm.initial_from(target)
        )
        # An existing count cap shows its warning before anything is submitted; a submitted form, its own.
        warning = row.warning
        valid = False
        if request.method == "POST":
            valid = form.is_valid()
            warning = form.warning()
        if valid:
            saved, warning = _save(
                form,
                lambda ack: target_update(
                    actor=request.user,
                    target=target,
                    data=form.to_data(),
                    warning_acknowledged=ack,
                    reason=form.cleaned_data["reason"],
                ),
            )
            if saved is not None:
                messages.success(request, "Målet er gemt.")
                return redirect("target_edit", pk=saved.pk)
        ctx = _form_context(form, warning)
    ctx |= {
        "target": target,
        "row": row,
        "history": target_history(request.user, target),
        "editable": editable,
        "archive_form": ArchiveForm(prefix=ARCHIVE_PREFIX) if editable else None,
    }
    return render(request, "insight/target_form.html", ctx)


@login_required
@require_POST
def target_archive_view(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target(request, pk)
    form = ArchiveForm(request.POST, prefix=ARCHIVE_PREFIX)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        target_archive(actor=request.user, target=target, reason=reason)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("target_edit", pk=target.pk)
    messages.success(
        request, "Målet er arkiveret. Det vises ikke længere på oversigterne, men historikken er gemt."
    )
    return redirect("targets")
