"""Writes of rounds and respondents."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from sagsindsigt.common.audit import audit_record
from sagsindsigt.common.models import AuditAction
from sagsindsigt.evaluation.models import Evaluation, Round, Scheme
from sagsindsigt.evaluation.permissions import FokusPerm
from sagsindsigt.evaluation.services._common import require_respondent
from sagsindsigt.evaluation.services.schemes import copy_scheme
from sagsindsigt.organisation.access import can, require, scope_of
from sagsindsigt.organisation.models import Administration, ScopeKind, User


@transaction.atomic
def round_create(
    *,
    actor: Any,
    year: int,
    scheme: Scheme,
    administrations: Sequence[Administration],
    answer_deadline: date,
    assessment_deadline: date | None = None,
) -> Round:
    """A new round with its own deep copy of `scheme`, and one invited evaluation per administration."""
    require(actor, FokusPerm.MANAGE)
    if Round.objects.filter(year=year).exists():
        raise ValidationError(f"Der findes allerede en evalueringsrunde for {year}.")
    if not administrations:
        raise ValidationError("Vælg mindst én deltagende forvaltning.")
    if assessment_deadline is not None and assessment_deadline < answer_deadline:
        raise ValidationError("Fristen for vurdering kan ikke ligge før svarfristen.")
    copy = copy_scheme(scheme, name=f"FOKUS {year}", year_label=str(year))
    audit_record(actor=actor, action=AuditAction.CREATE, instance=copy, extra={"kopieret_fra": scheme.pk})
    round_ = Round(
        year=year, scheme=copy, answer_deadline=answer_deadline, assessment_deadline=assessment_deadline
    )
    round_.full_clean()
    round_.save()
    audit_record(actor=actor, action=AuditAction.CREATE, instance=round_)
    # Creation order is the order of the side-by-side overview (the report's appendix 2).
    for administration in dict.fromkeys(administrations):
        evaluation = Evaluation.objects.create(round=round_, administration=administration)
        audit_record(actor=actor, action=AuditAction.CREATE, instance=evaluation)
    return round_


@transaction.atomic
def respondent_add(*, actor: Any, evaluation: Evaluation, user: User) -> Evaluation:
    """Make `user` a respondent of `evaluation`; the user must belong to that administration."""
    if not can(actor, FokusPerm.MANAGE):
        require(actor, FokusPerm.ANSWER)
        require_respondent(actor, evaluation)
    scope = scope_of(user)
    if scope.kind == ScopeKind.MUNICIPALITY or scope.administration_id != evaluation.administration_id:
        raise ValidationError(
            f"{user.get_full_name() or user.username} hører ikke til {evaluation.administration.name}."
        )
    if not user.is_active:
        raise ValidationError("Brugeren er deaktiveret.")
    evaluation.respondents.add(user)
    audit_record(
        actor=actor, action=AuditAction.UPDATE, instance=evaluation, extra={"besvarer_tilføjet": user.pk}
    )
    return evaluation


@transaction.atomic
def respondent_remove(*, actor: Any, evaluation: Evaluation, user: User) -> Evaluation:
    if not can(actor, FokusPerm.MANAGE):
        require(actor, FokusPerm.ANSWER)
        require_respondent(actor, evaluation)
    evaluation.respondents.remove(user)
    audit_record(
        actor=actor, action=AuditAction.UPDATE, instance=evaluation, extra={"besvarer_fjernet": user.pk}
    )
    return evaluation
