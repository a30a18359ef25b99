"""Writes of complaints: role and scope checked, citizen pseudonymised, every row audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from sagsindsigt.cases.models import Case, CaseType
from sagsindsigt.common.audit import audit_record
from sagsindsigt.common.models import AuditAction
from sagsindsigt.common.pseudonym import pseudonymise_cpr
from sagsindsigt.common.workingdays import elapsed_working_days
from sagsindsigt.complaints.models import Channel, Complaint, ComplaintPoint, ComplaintTheme, PointOutcome
from sagsindsigt.insight.rollups import rollup_refresh
from sagsindsigt.organisation.access import Perm, require, require_unit_in_scope
from sagsindsigt.organisation.models import Unit
from sagsindsigt.organisation.selectors import working_day_rules


@dataclass(frozen=True)
class PointInput:
    theme: ComplaintTheme
    outcome: str = PointOutcome.PENDING


def theme_allowed(theme: ComplaintTheme, unit: Unit) -> bool:
    """Core themes everywhere; a local sub-theme only in its own administration."""
    return theme.active and (
        theme.administration_id is None or theme.administration_id == unit.administration_id
    )


@transaction.atomic
def complaint_register(
    *,
    actor: Any,
    unit: Unit,
    kind: str,
    received_date: date,
    points: Sequence[PointInput],
    channel: str = Channel.DIRECT,
    answered_date: date | None = None,
    case_type: CaseType | None = None,
    related_case: Case | None = None,
    supervision_case_opened: bool = False,
    learning_note: str = "",
    citizen_cpr: str = "",
) -> Complaint:
    require(actor, Perm.REGISTER_COMPLAINT)
    require_unit_in_scope(actor, [unit])
    if not points:
        raise ValidationError("En klage skal have mindst ét klagepunkt.")
    for point in points:
        if not theme_allowed(point.theme, unit):
            raise ValidationError(f"Temaet {point.theme.code} kan ikke bruges i denne forvaltning.")
    if related_case is not None and related_case.unit_id != unit.pk:
        raise ValidationError("Sagen hører ikke til den valgte enhed.")
    complaint = Complaint(
        unit=unit,
        kind=kind,
        channel=channel,
        received_date=received_date,
        answered_date=answered_date,
        reply_days=elapsed_working_days(received_date, answered_date, working_day_rules()),
        case_type=case_type,
        related_case=related_case,
        supervision_case_opened=supervision_case_opened,
        learning_note=learning_note,
        citizen_key=pseudonymise_cpr(citizen_cpr) if citizen_cpr else "",
        created_by=actor,
    )
    complaint.full_clean()
    complaint.save()
    audit_record(actor=actor, action=AuditAction.CREATE, instance=complaint)
    for point in points:
        row = ComplaintPoint(complaint=complaint, theme=point.theme, outcome=point.outcome)
        row.full_clean()
        row.save()
        audit_record(actor=actor, action=AuditAction.CREATE, instance=row)
    # Counted in the month received; the reply time in the month answered.
    months = {day.replace(day=1) for day in (received_date, answered_date) if day is not None}
    rollup_refresh(months=months, units=[unit.pk])
    return complaint
