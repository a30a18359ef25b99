"""Reads of complaint rows and the theme taxonomy, always through the caller's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from sagsindsigt.common.audit import access_log
from sagsindsigt.complaints.models import Channel, Complaint, ComplaintKind, PointOutcome
from sagsindsigt.organisation.access import Perm, can, require, require_unit_in_scope, restrict, scope_of


def may_register(user: Any) -> bool:
    """Whether to offer the registration form (the service checks again when it registers)."""
    return can(user, Perm.REGISTER_COMPLAINT)


def require_may_register(user: Any) -> None:
    require(user, Perm.REGISTER_COMPLAINT)


@dataclass(frozen=True)
class ComplaintFilter:
    administration_id: int | None = None
    unit_id: int | None = None
    theme_id: int | None = None
    kind: str = ""
    channel: str = ""
    outcome: str = ""
    received_from: date | None = None
    received_to: date | None = None


def complaint_list(user: Any, filters: ComplaintFilter | None = None) -> QuerySet[Complaint]:
    f = filters or ComplaintFilter()
    qs = restrict(Complaint.objects.all(), user, perm=Perm.VIEW_COMPLAINT_ROWS)
    if f.administration_id:
        qs = qs.filter(unit__administration_id=f.administration_id)
    if f.unit_id:
        qs = qs.filter(unit_id=f.unit_id)
    if f.kind in ComplaintKind.values:
        qs = qs.filter(kind=f.kind)
    if f.channel in Channel.values:
        qs = qs.filter(channel=f.channel)
    if f.theme_id:
        qs = qs.filter(Q(points__theme_id=f.theme_id) | Q(points__theme__parent_id=f.theme_id))
    if f.outcome in PointOutcome.values:
        qs = qs.filter(points__outcome=f.outcome)
    if f.received_from:
        qs = qs.filter(received_date__gte=f.received_from)
    if f.received_to:
        qs = qs.filter(received_date__lte=f.received_to)
    if f.theme_id or f.outcome:
        qs = qs.distinct()
    return (
        qs.select_related("unit", "unit__administration", "case_type")
        .prefetch_related("points__theme")
        .annotate(point_count=Count("points", distinct=True))
        .order_by("-received_date", "-pk")
    )


def complaint_get(user: Any, pk: int) -> Complaint:
    """One complaint, or Complaint.DoesNotExist outside the user's scope (the view answers 404)."""
    complaint = complaint_list(user).get(pk=pk)
    access_log(user=user, what="klage", object_ids=[complaint.pk])
    return complaint


def may_edit(user: Any, complaint: Complaint) -> bool:
    """Whether to offer the edit form: who may register complaints for the complaint's unit (the service
    checks again, and refuses complaints maintained in their source system)."""
    return may_register(user) and scope_of(user).contains_unit(complaint.unit)


def complaint_for_edit(user: Any, pk: int) -> Complaint:
    """A complaint the user may edit: DoesNotExist outside the scope (404), PermissionDenied without the
    right to register complaints (403)."""
    complaint = complaint_get(user, pk)
    require_may_register(user)
    require_unit_in_scope(user, [complaint.unit])
    return complaint
