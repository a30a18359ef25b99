"""Writes by the ombudsman: categories, remarks, conclusions, follow-up meeting and publication."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sagsindsigt.common.audit import audit_record, snapshot
from sagsindsigt.common.models import AuditAction
from sagsindsigt.evaluation import workflow
from sagsindsigt.evaluation.colours import CATEGORIES
from sagsindsigt.evaluation.models import (
    Criterion,
    CriterionAssessment,
    Evaluation,
    MainCriterion,
    MainCriterionRemark,
)
from sagsindsigt.evaluation.permissions import FokusPerm
from sagsindsigt.evaluation.services._common import move, require_assessable
from sagsindsigt.organisation.access import require


@dataclass(frozen=True)
class CriterionInput:
    category: int | None
    remarks: str = ""


def _criterion_of(evaluation: Evaluation, criterion: Criterion) -> None:
    if criterion.scheme_id != evaluation.round.scheme_id:
        raise ValidationError("Kriteriet hører ikke til denne evaluerings skema.")


@transaction.atomic
def criterion_assess(
    *, actor: Any, evaluation: Evaluation, criterion: Criterion, category: int | None, remarks: str = ""
) -> CriterionAssessment:
    """Set the category (None: no sufficient answer) and remarks. The colour follows; it is never set."""
    require(actor, FokusPerm.ASSESS)
    require_assessable(evaluation)
    _criterion_of(evaluation, criterion)
    if category is not None and category not in CATEGORIES:
        raise ValidationError(f"Kategori {category} findes ikke; vælg 1–7.")
    assessment = CriterionAssessment.objects.filter(evaluation=evaluation, criterion=criterion).first()
    remarks = remarks.strip()
    if assessment is None:
        assessment = CriterionAssessment.objects.create(
            evaluation=evaluation, criterion=criterion, category=category, remarks=remarks
        )
        audit_record(actor=actor, action=AuditAction.CREATE, instance=assessment)
    elif (assessment.category, assessment.remarks) != (category, remarks):
        before = snapshot(assessment)
        assessment.category = category
        assessment.remarks = remarks
        assessment.save(update_fields=["category", "remarks"])
        audit_record(actor=actor, action=AuditAction.UPDATE, instance=assessment, before=before)
    return assessment


@transaction.atomic
def main_criterion_remark_set(
    *, actor: Any, evaluation: Evaluation, main: MainCriterion, remarks: str
) -> MainCriterionRemark:
    require(actor, FokusPerm.ASSESS)
    require_assessable(evaluation)
    if main.scheme_id != evaluation.round.scheme_id:
        raise ValidationError("Hovedkriteriet hører ikke til denne evaluerings skema.")
    row, created = MainCriterionRemark.objects.get_or_create(evaluation=evaluation, main_criterion=main)
    before = snapshot(row)
    if created or row.remarks != remarks.strip():
        row.remarks = remarks.strip()
        row.save(update_fields=["remarks"])
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            instance=row,
            before=None if created else before,
        )
    return row


@transaction.atomic
def conclusions_set(
    *, actor: Any, evaluation: Evaluation, overall_assessment: str, recommendations: str
) -> Evaluation:
    require(actor, FokusPerm.ASSESS)
    require_assessable(evaluation)
    before = snapshot(evaluation)
    evaluation.overall_assessment = overall_assessment.strip()
    evaluation.recommendations = recommendations.strip()
    evaluation.save(update_fields=["overall_assessment", "recommendations"])
    if snapshot(evaluation) != before:
        audit_record(actor=actor, action=AuditAction.UPDATE, instance=evaluation, before=before)
    return evaluation


@transaction.atomic
def assessment_save(
    *,
    actor: Any,
    evaluation: Evaluation,
    criteria: Mapping[int, CriterionInput],
    main_remarks: Mapping[int, str],
    overall_assessment: str,
    recommendations: str,
) -> Evaluation:
    """The whole assessment form at once (criterion ids and main criterion ids as keys)."""
    require(actor, FokusPerm.ASSESS)
    require_assessable(evaluation)
    scheme_id = evaluation.round.scheme_id
    known = {c.pk: c for c in Criterion.objects.filter(scheme_id=scheme_id, pk__in=list(criteria))}
    mains = {m.pk: m for m in MainCriterion.objects.filter(scheme_id=scheme_id, pk__in=list(main_remarks))}
    if set(criteria) - set(known) or set(main_remarks) - set(mains):
        raise ValidationError("Kriteriet hører ikke til denne evaluerings skema.")
    for pk, value in criteria.items():
        criterion_assess(
            actor=actor,
            evaluation=evaluation,
            criterion=known[pk],
            category=value.category,
            remarks=value.remarks,
        )
    for pk, text in main_remarks.items():
        main_criterion_remark_set(actor=actor, evaluation=evaluation, main=mains[pk], remarks=text)
    conclusions_set(
        actor=actor,
        evaluation=evaluation,
        overall_assessment=overall_assessment,
        recommendations=recommendations,
    )
    return evaluation


@transaction.atomic
def evaluation_reopen(*, actor: Any, evaluation: Evaluation) -> Evaluation:
    """Hand a submitted questionnaire back to the administration for completion."""
    require(actor, FokusPerm.ASSESS)
    move(actor=actor, evaluation=evaluation, target=workflow.ANSWERING, fields={"submitted_at": None})
    return evaluation


@transaction.atomic
def evaluation_mark_assessed(*, actor: Any, evaluation: Evaluation) -> Evaluation:
    require(actor, FokusPerm.ASSESS)
    if evaluation.status == workflow.SUBMITTED and not evaluation.assessments.exists():
        raise ValidationError(
            "Sæt en kategori for mindst ét kriterium, før evalueringen markeres som vurderet."
        )
    move(actor=actor, evaluation=evaluation, target=workflow.ASSESSED, fields={"assessed_at": timezone.now()})
    return evaluation


@transaction.atomic
def follow_up_record(*, actor: Any, evaluation: Evaluation, meeting_date: date, notes: str) -> Evaluation:
    """Notes from the follow-up meeting with the administration; first time moves to follow-up."""
    require(actor, FokusPerm.ASSESS)
    if meeting_date > timezone.localdate():
        raise ValidationError("Opfølgningsmødet kan ikke ligge i fremtiden.")
    fields = {"follow_up_date": meeting_date, "follow_up_notes": notes.strip()}
    if evaluation.status == workflow.FOLLOW_UP:
        before = snapshot(evaluation)
        for name, value in fields.items():
            setattr(evaluation, name, value)
        evaluation.save(update_fields=list(fields))
        audit_record(actor=actor, action=AuditAction.UPDATE, instance=evaluation, before=before)
        return evaluation
    move(actor=actor, evaluation=evaluation, target=workflow.FOLLOW_UP, fields=fields)
    return evaluation


@transaction.atomic
def evaluation_publish(*, actor: Any, evaluation: Evaluation) -> Evaluation:
    """Publish the final report: leaders in scope and the central analyst can now read it."""
    require(actor, FokusPerm.ASSESS)
    if evaluation.status == workflow.FOLLOW_UP and not evaluation.overall_assessment:
        raise ValidationError("Skriv den samlede vurdering, før rapporten offentliggøres.")
    move(
        actor=actor, evaluation=evaluation, target=workflow.PUBLISHED, fields={"published_at": timezone.now()}
    )
    return evaluation
