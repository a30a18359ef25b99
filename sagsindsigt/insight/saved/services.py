"""Writes of saved views: the owner's own only, the page's object in their scope, every change audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from sagsindsigt.common.audit import audit_record, snapshot
from sagsindsigt.common.models import AuditAction
from sagsindsigt.insight.dashboards.panels import CHARTABLE
from sagsindsigt.insight.metrics.registry import METRICS
from sagsindsigt.insight.saved.models import PAGE_FIELDS, SavedPage, SavedView
from sagsindsigt.insight.saved.periods import FIXED, PERIOD_KINDS
from sagsindsigt.insight.saved.selectors import object_visible, saved_view_get
from sagsindsigt.organisation.access import Perm, require

NAME_LENGTH = SavedView._meta.get_field("name").max_length or 100


@dataclass(frozen=True)
class SavedViewData:
    """What a saved view keeps: the page and its object (None for the overview), the period (dates only
    for a fixed one) and the metric ("" for the page's default)."""

    name: str
    page: str
    object_id: int | None
    period_kind: str
    period_start: date | None = None
    period_end: date | None = None
    metric: str = ""
    digest: bool = False


def _allowed_metrics(page: str) -> tuple[str, ...]:
    """The metrics the page can chart (dashboards/pages.py): theme metrics on a theme's page only."""
    if page == SavedPage.THEME:
        return tuple(code for code, m in METRICS.items() if m.needs_theme)
    return CHARTABLE


def _clean_name(actor: Any, name: str, *, exclude: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Giv visningen et navn."})
    if len(name) > NAME_LENGTH:
        raise ValidationError({"name": f"Navnet må højst være {NAME_LENGTH} tegn."})
    # Compared in Python: SQLite folds the case of ASCII letters only, and Danish names have æ, ø and å.
    others = SavedView.objects.filter(owner_id=actor.pk)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if name.casefold() in {n.casefold() for n in others.values_list("name", flat=True)}:
        raise ValidationError({"name": f"Du har allerede en visning med navnet «{name}»."})
    return name


def _check(actor: Any, data: SavedViewData) -> None:
    """What no model field can check: the page's object is in the actor's scope, the metric fits."""
    if data.page not in SavedPage.values:
        raise ValidationError({"page": "Siden kan ikke gemmes som visning."})
    if data.period_kind not in PERIOD_KINDS:
        raise ValidationError({"period_kind": "Vælg en af perioderne på listen."})
    if data.period_kind == FIXED and (data.period_start is None or data.period_end is None):
        raise ValidationError({"period_kind": "En fast periode skal have både en fra- og en til-dato."})
    if data.period_kind == FIXED and data.period_end < data.period_start:  # type: ignore[operator]
        raise ValidationError({"period_kind": "Perioden skal slutte efter den begynder."})
    if data.metric and data.metric not in _allowed_metrics(data.page):
        raise ValidationError({"metric": "Nøgletallet kan ikke vises på denne side."})
    if not object_visible(actor, data.page, data.object_id):
        # Crafted or stale input: the object does not exist for the actor (ADR 0003), say no more.
        raise ValidationError({"page": "Siden findes ikke i dit adgangsområde og kan ikke gemmes."})


@transaction.atomic
def saved_view_create(*, actor: Any, data: SavedViewData) -> SavedView:
    require(actor, Perm.VIEW_AGGREGATES)
    name = _clean_name(actor, data.name)
    _check(actor, data)
    fixed = data.period_kind == FIXED
    view = SavedView(
        owner_id=actor.pk,
        name=name,
        page=data.page,
        period_kind=data.period_kind,
        period_start=data.period_start if fixed else None,
        period_end=data.period_end if fixed else None,
        metric=data.metric,
        digest=data.digest,
    )
    field = PAGE_FIELDS.get(data.page)
    if field is not None:
        setattr(view, f"{field}_id", data.object_id)
    view.full_clean(exclude=["owner"])
    view.save()
    audit_record(actor=actor, action=AuditAction.CREATE, instance=view)
    return view


@transaction.atomic
def saved_view_update(*, actor: Any, pk: int, name: str, digest: bool) -> SavedView:
    """Rename a view and choose whether it is in the monthly digest; a change of nothing writes nothing.
    Another user's view does not exist for the actor (SavedView.DoesNotExist)."""
    view = saved_view_get(actor, pk)
    before = snapshot(view)
    view.name = _clean_name(actor, name, exclude=view.pk)
    view.digest = digest
    changed = [f for f in ("name", "digest") if snapshot(view)[f] != before[f]]
    if not changed:
        return view
    view.save(update_fields=changed)
    audit_record(actor=actor, action=AuditAction.UPDATE, instance=view, before=before)
    return view


@transaction.atomic
def saved_view_delete(*, actor: Any, pk: int) -> None:
    view = saved_view_get(actor, pk)
    audit_record(actor=actor, action=AuditAction.DELETE, instance=view, before=snapshot(view))
    view.delete()
