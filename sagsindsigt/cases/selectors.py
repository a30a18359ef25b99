"""Reads of case rows, only within the caller's scope and only for roles that may see rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from sagsindsigt.cases.models import Case, CaseStatus, GuidelineDeadline
from sagsindsigt.common.audit import access_log
from sagsindsigt.common.workingdays import due_date
from sagsindsigt.organisation.access import Perm, restrict, unit_tree
from sagsindsigt.organisation.selectors import working_day_rules


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
        # A unit with the units below it, as the dashboards count it (a link from a unit's page lands here).
        qs = qs.filter(unit_id__in=unit_tree(user).subtree(f.unit_id))
    if f.case_type_id:
        qs = qs.filter(case_type_id=f.case_type_id)
    if f.status in CaseStatus.values:
        qs = qs.filter(status=f.status)
    if f.received_from:
        qs = qs.filter(received_date__gte=f.received_from)
    if f.received_to:
        qs = qs.filter(received_date__lte=f.received_to)
    return qs


def deadline_in_force(deadlines: list[GuidelineDeadline], received: date) -> GuidelineDeadline | None:
    """The deadline whose validity period covers the day of receipt (deadlines change over time)."""
    for deadline in deadlines:
        if deadline.covers(received):
            return deadline
    return None


@dataclass(frozen=True)
class CaseDetail:
    case: Case
    deadline: GuidelineDeadline | None
    explanation: str  # how the due date was computed, day by day, in Danish


def case_detail(user: Any, pk: int) -> CaseDetail:
    """One case with the deadline in force when it was received and how its due date was reached."""
    case = case_get(user, pk)
    deadline = deadline_in_force(list(case.case_type.deadlines.all()), case.received_date)
    explanation = (
        due_date(case.received_date, deadline.value, deadline.unit, working_day_rules()).explanation()
        if deadline
        else "Sagstypen havde ingen vejledende frist, da sagen blev modtaget."
    )
    return CaseDetail(case, deadline, explanation)


def case_get(user: Any, pk: int) -> Case:
    """One case, or Case.DoesNotExist when it is outside the user's scope (the view answers 404)."""
    case = case_list(user).get(pk=pk)
    access_log(user=user, what="sag", object_ids=[case.pk])
    return case
