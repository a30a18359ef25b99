"""What every FOKUS service shares: the status move and the respondent check."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from sagsindsigt.common.audit import audit_record, snapshot
from sagsindsigt.common.models import AuditAction
from sagsindsigt.evaluation import workflow
from sagsindsigt.evaluation.models import Evaluation
from sagsindsigt.evaluation.selectors import is_respondent


def move(*, actor: Any, evaluation: Evaluation, target: str, fields: dict[str, Any] | None = None) -> None:
    """Change status (and any fields set with it) after checking the transition; audited."""
    try:
        workflow.check_transition(evaluation.status, target)
    except workflow.TransitionError as error:
        raise ValidationError(str(error)) from None
    before = snapshot(evaluation)
    evaluation.status = target
    for name, value in (fields or {}).items():
        setattr(evaluation, name, value)
    evaluation.save(update_fields=["status", *(fields or {})])
    audit_record(actor=actor, action=AuditAction.UPDATE, instance=evaluation, before=before)


def require_respondent(actor: Any, evaluation: Evaluation) -> None:
    if not is_respondent(actor, evaluation):
        raise PermissionDenied("Du er ikke besvarer for denne forvaltnings evaluering.")


def require_open_for_answers(evaluation: Evaluation) -> None:
    if evaluation.status not in workflow.ANSWERABLE:
        raise ValidationError("Besvarelsen er indsendt og kan ikke længere ændres.")


def require_assessable(evaluation: Evaluation) -> None:
    if evaluation.status not in workflow.ASSESSABLE:
        if evaluation.status == workflow.PUBLISHED:
            raise ValidationError("Rapporten er offentliggjort; vurderingen kan ikke længere ændres.")
        raise ValidationError("Besvarelsen er ikke indsendt endnu og kan ikke vurderes.")
