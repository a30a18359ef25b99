"""Writes of schemes: deep copies for new rounds, and edits that never reach a round already under way."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from sagsindsigt.common.audit import audit_record, snapshot
from sagsindsigt.common.models import AuditAction
from sagsindsigt.evaluation import workflow
from sagsindsigt.evaluation.models import (
    CategoryDefinition,
    ColourDefinition,
    Criterion,
    Evaluation,
    MainCriterion,
    Scheme,
    SubQuestion,
)
from sagsindsigt.evaluation.permissions import FokusPerm
from sagsindsigt.organisation.access import require


def copy_scheme(scheme: Scheme, *, name: str, year_label: str) -> Scheme:
    """A deep copy: categories, colours, main criteria, criteria and sub-questions. Not audited here."""
    copy = Scheme.objects.create(name=name, year_label=year_label, copied_from=scheme)
    CategoryDefinition.objects.bulk_create(
        CategoryDefinition(scheme=copy, number=c.number, text=c.text, note=c.note, colour=c.colour)
        for c in scheme.categories.all()
    )
    ColourDefinition.objects.bulk_create(
        ColourDefinition(scheme=copy, colour=c.colour, meaning=c.meaning)
        for c in scheme.colour_definitions.all()
    )
    for main in scheme.main_criteria.all():
        new_main = MainCriterion.objects.create(
            scheme=copy, letter=main.letter, title=main.title, question=main.question
        )
        for criterion in main.criteria.all():
            new_criterion = Criterion.objects.create(
                scheme=copy,
                main_criterion=new_main,
                number=criterion.number,
                text=criterion.text,
                determining=criterion.determining,
            )
            SubQuestion.objects.bulk_create(
                SubQuestion(criterion=new_criterion, code=s.code, text=s.text)
                for s in criterion.sub_questions.all()
            )
    return copy


@transaction.atomic
def scheme_copy(*, actor: Any, scheme: Scheme, name: str, year_label: str) -> Scheme:
    require(actor, FokusPerm.MANAGE)
    copy = copy_scheme(scheme, name=name, year_label=year_label)
    audit_record(actor=actor, action=AuditAction.CREATE, instance=copy, extra={"kopieret_fra": scheme.pk})
    return copy


def _require_editable(scheme: Scheme) -> None:
    """Once answers are submitted, the wording they answered is frozen."""
    started = Evaluation.objects.filter(round__scheme=scheme).exclude(status__in=workflow.ANSWERABLE)
    if started.exists():
        raise ValidationError(
            "Skemaet bruges i en runde, hvor besvarelser er indsendt, og kan ikke ændres. "
            "Kopiér skemaet til en ny runde i stedet."
        )


@transaction.atomic
def criterion_update(*, actor: Any, criterion: Criterion, text: str) -> Criterion:
    require(actor, FokusPerm.MANAGE)
    _require_editable(criterion.scheme)
    if not text.strip():
        raise ValidationError("Kriteriets tekst må ikke være tom.")
    before = snapshot(criterion)
    criterion.text = text.strip()
    criterion.save(update_fields=["text"])
    audit_record(actor=actor, action=AuditAction.UPDATE, instance=criterion, before=before)
    return criterion


@transaction.atomic
def main_criterion_update(
    *, actor: Any, main: MainCriterion, title: str, determining: Criterion | None = None
) -> MainCriterion:
    """Rename a main criterion and optionally choose another of its criteria as the determining one."""
    require(actor, FokusPerm.MANAGE)
    _require_editable(main.scheme)
    if not title.strip():
        raise ValidationError("Hovedkriteriets titel må ikke være tom.")
    before = snapshot(main)
    main.title = title.strip()
    main.save(update_fields=["title"])
    audit_record(actor=actor, action=AuditAction.UPDATE, instance=main, before=before)
    if determining is not None:
        if determining.main_criterion_id != main.pk:
            raise ValidationError(
                f"Kriterium {determining.number} hører ikke under hovedkriterium {main.letter}."
            )
        members = list(main.criteria.all())
        # Clear the old one before setting the new, so the one-determining constraint always holds.
        for criterion in sorted(members, key=lambda c: c.pk == determining.pk):
            wanted = criterion.pk == determining.pk
            if criterion.determining != wanted:
                old = snapshot(criterion)
                criterion.determining = wanted
                criterion.save(update_fields=["determining"])
                audit_record(actor=actor, action=AuditAction.UPDATE, instance=criterion, before=old)
    return main
