"""Reads of case rows, only within the caller's scope and only for roles that may see rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from sagsindsigt.cases.models import Case, CaseStatus
from sagsindsigt.common.audit import access_log
from sagsindsigt.organisation.access import Perm, restrict


@dataclass(frozen=True)
class CaseFilter:
    administration_id: int | None = None
    unit_id: int | None = None
    case_type_id: int | None = None
    status: str = ""
    received_from: date | None = None
    received_to: date | None = None


def case_list(user: Any, filters: CaseFilter | None = None) -> QuerySet[Case]:
    f = filters or CaseFilter()
    qs = restrict(Case.objects.all(), user, perm=Perm.VIEW_CASE_ROWS).select_related(
        "unit", "unit__administration", "case_type"
    )
    if f.administration_id:
        qs = qs.filter(unit__administration_id=f.administration_id)
    if f.unit_id:
        qs = qs.filter(unit_id=f.unit_id)
    if f.case_type_id:
        qs = qs.filter(case_type_id=f.case_type_id)
    if f.status in CaseStatus.values:
        qs = qs.filter(status=f.status)
    if f.received_from:
        qs = qs.filter(received_date__gte=f.received_from)
    if f.received_to:
        qs = qs.filter(received_date__lte=f.received_to)
    return qs


def case_get(user: Any, pk: int) -> Case:
    """One case, or Case.DoesNotExist when it is outside the user's scope (the view answers 404)."""
    case = case_list(user).get(pk=pk)
    access_log(user=user, what="sag", object_ids=[case.pk])
    return case
