"""Writes of complaints: role and scope checked, citizen pseudonymised, every row audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sagsindsigt.cases.models import Case, CaseType
from sagsindsigt.common.audit import audit_record, snapshot
from sagsindsigt.common.models import AuditAction, AuditEvent, StaleKind
from sagsindsigt.common.pseudonym import pseudonymise_cpr
from sagsindsigt.common.staleness import mark_stale
from sagsindsigt.common.workingdays import elapsed_working_days
from sagsindsigt.complaints.models import Channel, Complaint, ComplaintPoint, ComplaintTheme, PointOutcome
from sagsindsigt.organisation.access import Perm, require, require_unit_in_scope
from sagsindsigt.organisation.models import Unit
from sagsindsigt.organisation.selectors import working_day_rules


@dataclass(frozen=True)
class PointInput:
    theme: ComplaintTheme
    outcome: str = PointOutcome.PENDING


@dataclass(frozen=True)
class ComplaintChanges:
    """What a hand edit may change: the answer, the learning, the points' outcomes and new points."""

    answered_date: date | None
    learning_note: str = ""
    outcomes: dict[int, str] = field(default_factory=dict)  # point pk → outcome
    new_points: Sequence[PointInput] = ()


def answered_date_problem(received: date | None, answered: date | None, today: date) -> str | None:
    """Why an answer date cannot be right, in Danish; None when it can."""
    if received is None or answered is None:
        return None
    if answered < received:
        return "Svardatoen kan ikke ligge før modtagelsesdatoen."
    if answered > today:
        return "Svardatoen kan ikke ligge i fremtiden."
    return None


def maintained_in_source(complaint: Complaint) -> bool:
    """An imported complaint is corrected in its source system: the next load would overwrite a hand edit."""
    return bool(complaint.source_system)


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
    problem = answered_date_problem(received_date, answered_date, timezone.localdate())
    if problem:
        raise ValidationError({"answered_date": problem})
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
    mark_stale(StaleKind.COMPLAINTS, months=[d for d in (received_date, answered_date) if d], units=[unit.pk])
    return complaint


@transaction.atomic
def complaint_update(*, actor: Any, complaint: Complaint, changes: ComplaintChanges) -> Complaint:
    """Add the answer date, the outcomes and new points to a complaint registered by hand; every changed
    row is audited, and the months it is counted in are marked stale."""
    require(actor, Perm.REGISTER_COMPLAINT)
    require_unit_in_scope(actor, [complaint.unit])
    if maintained_in_source(complaint):
        raise ValidationError(
            f"Klagen er indlæst fra {complaint.source_system} og rettes dér: "
            "en rettelse her ville blive overskrevet ved næste indlæsning."
        )
    problem = answered_date_problem(complaint.received_date, changes.answered_date, timezone.localdate())
    if problem:
        raise ValidationError({"answered_date": problem})
    points = {p.pk: p for p in complaint.points.select_related("theme")}
    unknown = set(changes.outcomes) - set(points)
    if unknown:
        raise ValidationError("Et klagepunkt hører ikke til klagen.")
    taken = {p.theme_id for p in points.values()}
    for point in changes.new_points:
        if not theme_allowed(point.theme, complaint.unit):
            raise ValidationError(f"Temaet {point.theme.code} kan ikke bruges i denne forvaltning.")
        if point.theme.pk in taken:
            raise ValidationError(f"Temaet {point.theme.code} er allerede et klagepunkt i klagen.")
        taken.add(point.theme.pk)
    old_answered = complaint.answered_date
    before = snapshot(complaint)
    complaint.answered_date = changes.answered_date
    complaint.learning_note = changes.learning_note
    complaint.reply_days = elapsed_working_days(
        complaint.received_date, complaint.answered_date, working_day_rules()
    )
    fields = ["answered_date", "learning_note", "reply_days"]
    changed = any(before[f] != snapshot(complaint)[f] for f in fields)
    if changed:
        complaint.full_clean()
        complaint.save(update_fields=fields)
        audit_record(actor=actor, action=AuditAction.UPDATE, instance=complaint, before=before)
    for pk, outcome in changes.outcomes.items():
        row = points[pk]
        if row.outcome == outcome:
            continue
        changed = True
        row_before = snapshot(row)
        row.outcome = outcome
        row.full_clean()
        row.save(update_fields=["outcome"])
        audit_record(actor=actor, action=AuditAction.UPDATE, instance=row, before=row_before)
    for point in changes.new_points:
        row = ComplaintPoint(complaint=complaint, theme=point.theme, outcome=point.outcome)
        row.full_clean()
        row.save()
        audit_record(actor=actor, action=AuditAction.CREATE, instance=row)
    if changed or changes.new_points:
        # As at registration: counted in the month received, the reply time in the month answered (the old
        # month loses it, the new one gains it).
        months = [d for d in (complaint.received_date, old_answered, complaint.answered_date) if d]
        mark_stale(StaleKind.COMPLAINTS, months=months, units=[complaint.unit_id])
    return complaint


@transaction.atomic
def complaint_recompute_reply_days(*, actor: Any) -> int:
    """After closing days change: recompute every complaint's reply time in working days, and mark the
    figures stale. Returns complaints changed."""
    require(actor, Perm.EDIT_MASTER_DATA)
    rules = working_day_rules()
    changed = []
    for complaint in Complaint.objects.only("pk", "received_date", "answered_date", "reply_days"):
        days = elapsed_working_days(complaint.received_date, complaint.answered_date, rules)
        if days != complaint.reply_days:
            complaint.reply_days = days
            changed.append(complaint)
    Complaint.objects.bulk_update(changed, ["reply_days"], batch_size=5000)
    AuditEvent.objects.create(
        actor_id=actor.pk if getattr(actor, "is_authenticated", False) else None,
        action=AuditAction.UPDATE,
        model=Complaint._meta.label,
        object_id="*",
        object_repr="Svartider genberegnet",
        changes={"complaints_changed": [None, len(changed)]},
    )
    mark_stale(StaleKind.CALENDAR)
    return len(changed)


def recompute_after_calendar_change(*, actor: Any, **_kwargs: Any) -> None:
    """Receiver of organisation's `working_day_rules_changed`: every reply time must follow."""
    complaint_recompute_reply_days(actor=actor)
