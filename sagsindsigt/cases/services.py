"""Writes of cases; every write checks the role, computes the due date and records an audit event."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max, Min

from sagsindsigt.cases.models import Case, CaseStatus, CaseType, GuidelineDeadline
from sagsindsigt.cases.selectors import deadline_in_force
from sagsindsigt.common.audit import audit_record
from sagsindsigt.common.models import AuditAction, AuditEvent, StaleKind
from sagsindsigt.common.periods import months_between
from sagsindsigt.common.staleness import mark_stale
from sagsindsigt.common.workingdays import WorkingDayRules, due_date, elapsed_working_days
from sagsindsigt.organisation.access import Perm, require, require_unit_in_scope
from sagsindsigt.organisation.models import Unit
from sagsindsigt.organisation.selectors import working_day_rules


def case_due_date(case_type: CaseType, received: date, rules: WorkingDayRules) -> date | None:
    found = deadline_in_force(list(case_type.deadlines.all()), received)
    if found is None:
        return None
    return due_date(received, found.value, found.unit, rules).due


def status_for(decided_date: date | None, closed_date: date | None) -> CaseStatus:
    if decided_date is not None:
        return CaseStatus.DECIDED
    if closed_date is not None:
        return CaseStatus.CLOSED
    return CaseStatus.OPEN


@transaction.atomic
def case_create(
    *,
    actor: Any,
    source_system: str,
    external_id: str,
    unit: Unit,
    case_type: CaseType,
    received_date: date,
    decided_date: date | None = None,
    closed_date: date | None = None,
    citizen_key: str = "",
    caseworker_key: str = "",
) -> Case:
    require(actor, Perm.EDIT_MASTER_DATA)
    require_unit_in_scope(actor, [unit])
    rules = working_day_rules()
    case = Case(
        source_system=source_system,
        external_id=external_id,
        unit=unit,
        case_type=case_type,
        received_date=received_date,
        decided_date=decided_date,
        closed_date=closed_date,
        status=status_for(decided_date, closed_date),
        due_date=case_due_date(case_type, received_date, rules),
        processing_days=elapsed_working_days(received_date, decided_date, rules),
        citizen_key=citizen_key,
        caseworker_key=caseworker_key,
    )
    case.full_clean()
    case.save()
    audit_record(actor=actor, action=AuditAction.CREATE, instance=case)
    mark_stale(StaleKind.CASES, months=[d for d in (received_date, decided_date) if d], units=[unit.pk])
    return case


@transaction.atomic
def case_recompute_due_dates(*, actor: Any, case_type: CaseType | None = None) -> int:
    """After deadlines or closing days change: recompute the stored due dates and processing days of the
    cases (of one case type, or all), and mark their figures stale. Returns cases changed. (Complaints'
    reply days follow closing days in complaints.services, through the same calendar signal.)"""
    require(actor, Perm.EDIT_MASTER_DATA)
    rules = working_day_rules()
    changed = 0
    deadlines: dict[int, list[GuidelineDeadline]] = {}
    for d in GuidelineDeadline.objects.order_by("valid_from"):
        deadlines.setdefault(d.case_type_id, []).append(d)
    batch: list[Case] = []
    cases = Case.objects.only(
        "pk", "case_type_id", "received_date", "decided_date", "due_date", "processing_days"
    ).order_by()
    if case_type is not None:
        cases = cases.filter(case_type=case_type)
    for case in cases.iterator(chunk_size=5000):
        found = deadline_in_force(deadlines.get(case.case_type_id, []), case.received_date)
        new = due_date(case.received_date, found.value, found.unit, rules).due if found else None
        days = elapsed_working_days(case.received_date, case.decided_date, rules)
        if new != case.due_date or days != case.processing_days:
            case.due_date, case.processing_days = new, days
            batch.append(case)
        if len(batch) >= 5000:
            changed += Case.objects.bulk_update(batch, ["due_date", "processing_days"])
            batch = []
    changed += Case.objects.bulk_update(batch, ["due_date", "processing_days"]) if batch else 0
    AuditEvent.objects.create(
        actor_id=actor.pk if getattr(actor, "is_authenticated", False) else None,
        action=AuditAction.UPDATE,
        model=Case._meta.label,
        object_id="*",
        object_repr="Frister genberegnet",
        changes={"cases_changed": [None, changed]},
    )
    if case_type is None:
        mark_stale(StaleKind.CALENDAR)
    else:
        # Only this case type's units and months can have changed.
        of_type = Case.objects.filter(case_type=case_type)
        span = of_type.aggregate(
            first=Min("received_date"), last=Max("decided_date"), latest=Max("received_date")
        )
        if span["first"] is not None:
            last = max(d for d in (span["last"], span["latest"]) if d is not None)
            units = set(of_type.values_list("unit_id", flat=True).distinct())
            mark_stale(StaleKind.CASES, months=months_between(span["first"], last), units=units)
    return changed


def recompute_after_calendar_change(*, actor: Any, **_kwargs: Any) -> None:
    """Receiver of organisation's `working_day_rules_changed`: every stored due date must follow."""
    case_recompute_due_dates(actor=actor)
