"""Saved-view pages: save from a dashboard, the list "Mine visninger", open, rename, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sagsindsigt.insight.saved.forms import SavedViewEditForm, SaveViewForm
from sagsindsigt.insight.saved.models import SavedView
from sagsindsigt.insight.saved.selectors import saved_view_get, saved_view_resolve, saved_view_rows
from sagsindsigt.insight.saved.services import saved_view_create, saved_view_delete, saved_view_update


def _own(request: HttpRequest, pk: int) -> SavedView:
    try:
        return saved_view_get(request.user, pk)
    except SavedView.DoesNotExist:
        raise Http404("Visningen findes ikke.") from None


@login_required
def saved_view_list(request: HttpRequest) -> HttpResponse:
    rows = saved_view_rows(request.user, timezone.localdate())
    return render(request, "insight/saved/list.html", {"rows": rows})


@login_required
@require_POST
def saved_view_create_view(request: HttpRequest) -> HttpResponse:
    form = SaveViewForm(request.POST)
    if form.is_valid():
        try:
            view = saved_view_create(actor=request.user, data=form.to_data())
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields and name not in ("page",) else None, problems)
        else:
            messages.success(request, f"Visningen «{view.name}» er gemt under Mine visninger.")
            return redirect("saved_view_open", pk=view.pk)
    return render(request, "insight/saved/save.html", {"form": form}, status=400)


@login_required
def saved_view_open(request: HttpRequest, pk: int) -> HttpResponse:
    """The dashboard page with the view's filters, its period read as of today; when its administration
    or unit has left the user's scope, a page that says so (not a 404: the view is theirs)."""
    resolved = saved_view_resolve(request.user, _own(request, pk), timezone.localdate())
    if resolved.url is None:
        return render(request, "insight/saved/unavailable.html", {"resolved": resolved}, status=403)
    return redirect(resolved.url)


@login_required
def saved_view_edit(request: HttpRequest, pk: int) -> HttpResponse:
    view = _own(request, pk)
    form = SavedViewEditForm(request.POST or None, initial=SavedViewEditForm.initial_from(view))
    if request.method == "POST" and form.is_valid():
        try:
            saved = saved_view_update(
                actor=request.user,
                pk=view.pk,
                name=form.cleaned_data["name"],
                digest=form.cleaned_data["digest"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Visningen «{saved.name}» er gemt.")
            return redirect("saved_views")
    return render(request, "insight/saved/edit.html", {"form": form, "view": view})


@login_required
@require_POST
def saved_view_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    view = _own(request, pk)
    saved_view_delete(actor=request.user, pk=view.pk)
    messages.success(request, f"Visningen «{view.name}» er slettet.")
    return redirect("saved_views")
