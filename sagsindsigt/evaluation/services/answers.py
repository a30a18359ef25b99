"""Writes by an administration's respondents: answers, covered units, attachments, submission."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from sagsindsigt.common.audit import audit_record, snapshot
from sagsindsigt.common.danish import number
from sagsindsigt.common.models import AuditAction, AuditEvent
from sagsindsigt.evaluation import workflow
from sagsindsigt.evaluation.models import (
    ALLOWED_ATTACHMENT_EXTENSIONS,
    MAX_ATTACHMENT_BYTES,
    Answer,
    Attachment,
    Criterion,
    Evaluation,
    SubQuestion,
)
from sagsindsigt.evaluation.selectors import answers_by_key, previous_evaluation
from sagsindsigt.evaluation.services._common import move, require_open_for_answers, require_respondent
from sagsindsigt.organisation.models import Unit

MAX_ANSWER_CHARS = 20_000


def _start_answering(actor: Any, evaluation: Evaluation) -> None:
    if evaluation.status == workflow.INVITED:
        move(actor=actor, evaluation=evaluation, target=workflow.ANSWERING)


def _check_writable(actor: Any, evaluation: Evaluation) -> None:
    require_respondent(actor, evaluation)
    require_open_for_answers(evaluation)


@transaction.atomic
def answers_save(
    *,
    actor: Any,
    evaluation: Evaluation,
    criteria: Mapping[int, str] | None = None,
    sub_questions: Mapping[int, str] | None = None,
) -> Evaluation:
    """Save answers keyed by criterion id and sub-question id; unchanged answers are not touched."""
    _check_writable(actor, evaluation)
    scheme_id = evaluation.round.scheme_id
    wanted_criteria = dict(criteria or {})
    wanted_subs = dict(sub_questions or {})
    known_criteria = {c.pk: c for c in Criterion.objects.filter(scheme_id=scheme_id, pk__in=wanted_criteria)}
    known_subs = {
        s.pk: s for s in SubQuestion.objects.filter(criterion__scheme_id=scheme_id, pk__in=wanted_subs)
    }
    if set(wanted_criteria) - set(known_criteria) or set(wanted_subs) - set(known_subs):
        raise ValidationError("Spørgsmålet hører ikke til denne evaluerings skema.")
    for text in (*wanted_criteria.values(), *wanted_subs.values()):
        if len(text) > MAX_ANSWER_CHARS:
            raise ValidationError(f"Et svar må højst være {number(MAX_ANSWER_CHARS)} tegn.")
    _start_answering(actor, evaluation)
    existing = answers_by_key(evaluation)
    items: list[tuple[str, dict[str, Any], str]] = [
        (f"c{pk}", {"criterion": known_criteria[pk]}, text) for pk, text in wanted_criteria.items()
    ] + [(f"s{pk}", {"sub_question": known_subs[pk]}, text) for pk, text in wanted_subs.items()]
    for key, target, text in items:
        text = text.strip()
        answer = existing.get(key)
        if answer is None:
            if not text:
                continue
            answer = Answer.objects.create(evaluation=evaluation, text=text, updated_by=actor, **target)
            audit_record(actor=actor, action=AuditAction.CREATE, instance=answer)
        elif answer.text != text:
            before = snapshot(answer)
            answer.text = text
            answer.updated_by = actor
            answer.save(update_fields=["text", "updated_by", "updated_at"])
            audit_record(actor=actor, action=AuditAction.UPDATE, instance=answer, before=before)
    return evaluation


@transaction.atomic
def evaluation_units_set(*, actor: Any, evaluation: Evaluation, units: Sequence[Unit]) -> Evaluation:
    """Which units the answers cover; none means the whole administration."""
    _check_writable(actor, evaluation)
    for unit in units:
        if unit.administration_id != evaluation.administration_id:
            raise ValidationError(f"Enheden {unit.name} hører ikke til {evaluation.administration.name}.")
    before = sorted(evaluation.units.values_list("pk", flat=True))
    after = sorted(u.pk for u in units)
    if before != after:
        _start_answering(actor, evaluation)
        evaluation.units.set(units)
        audit_record(
            actor=actor, action=AuditAction.UPDATE, instance=evaluation, extra={"enheder": [before, after]}
        )
    return evaluation


def _attachment_snapshot(attachment: Attachment) -> dict[str, Any]:
    # The common snapshot cannot serialise a FieldFile; the stored name is what matters.
    values = {
        "id": attachment.pk,
        "evaluation_id": attachment.evaluation_id,
        "criterion_id": attachment.criterion_id,
        "file": attachment.file.name,
        "original_name": attachment.original_name,
        "size": attachment.size,
        "description": attachment.description,
    }
    return values


def _audit_attachment(actor: Any, action: AuditAction, attachment: Attachment) -> None:
    values = _attachment_snapshot(attachment)
    changes = {k: ([None, v] if action == AuditAction.CREATE else [v, None]) for k, v in values.items()}
    AuditEvent.objects.create(
        actor_id=actor.pk if getattr(actor, "is_authenticated", False) else None,
        action=action,
        model=Attachment._meta.label,
        object_id=str(attachment.pk),
        object_repr=str(attachment)[:200],
        changes=changes,
    )


def validate_upload(upload: UploadedFile) -> None:
    name = upload.name or ""
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in ALLOWED_ATTACHMENT_EXTENSIONS:
        allowed = ", ".join(ALLOWED_ATTACHMENT_EXTENSIONS)
        raise ValidationError(f"Filtypen .{extension or '?'} kan ikke vedhæftes. Tilladt: {allowed}.")
    if (upload.size or 0) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(f"Filen er for stor: højst {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB.")
    if not upload.size:
        raise ValidationError("Filen er tom.")


@transaction.atomic
def attachment_add(
    *,
    actor: Any,
    evaluation: Evaluation,
    upload: UploadedFile,
    criterion: Criterion | None = None,
    description: str = "",
) -> Attachment:
    _check_writable(actor, evaluation)
    validate_upload(upload)
    if criterion is not None and criterion.scheme_id != evaluation.round.scheme_id:
        raise ValidationError("Kriteriet hører ikke til denne evaluerings skema.")
    _start_answering(actor, evaluation)
    original = PurePath(upload.name or "bilag").name[:255]
    attachment = Attachment(
        evaluation=evaluation,
        criterion=criterion,
        file=upload,
        original_name=original,
        size=upload.size or 0,
        description=description.strip()[:300],
        uploaded_by=actor,
    )
    attachment.save()
    _audit_attachment(actor, AuditAction.CREATE, attachment)
    return attachment


@transaction.atomic
def attachment_delete(*, actor: Any, attachment: Attachment) -> None:
    _check_writable(actor, attachment.evaluation)
    _audit_attachment(actor, AuditAction.DELETE, attachment)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def answers_copy_previous(*, actor: Any, evaluation: Evaluation) -> int:
    """Offer last round's answers as a starting point: texts copied where empty, matched by number.

    Only the texts come along; categories, remarks and the status stay with the earlier round.
    """
    _check_writable(actor, evaluation)
    previous = previous_evaluation(evaluation)
    if previous is None:
        raise ValidationError("Forvaltningen har ingen besvarelse fra en tidligere runde.")
    old_by_number: dict[str, str] = {}
    for answer in Answer.objects.filter(evaluation=previous).select_related("criterion", "sub_question"):
        if answer.criterion is not None:
            old_by_number[f"c{answer.criterion.number}"] = answer.text
        elif answer.sub_question is not None:
            old_by_number[f"s{answer.sub_question.code}"] = answer.text
    existing = answers_by_key(evaluation)
    scheme_id = evaluation.round.scheme_id
    criteria: dict[int, str] = {}
    for criterion in Criterion.objects.filter(scheme_id=scheme_id):
        current = existing.get(f"c{criterion.pk}")
        text = old_by_number.get(f"c{criterion.number}", "")
        if text and (current is None or not current.text):
            criteria[criterion.pk] = text
    subs: dict[int, str] = {}
    for sub in SubQuestion.objects.filter(criterion__scheme_id=scheme_id):
        current = existing.get(f"s{sub.pk}")
        text = old_by_number.get(f"s{sub.code}", "")
        if text and (current is None or not current.text):
            subs[sub.pk] = text
    answers_save(actor=actor, evaluation=evaluation, criteria=criteria, sub_questions=subs)
    if not evaluation.units.exists() and previous.units.exists():
        evaluation_units_set(actor=actor, evaluation=evaluation, units=list(previous.units.all()))
    return len(criteria) + len(subs)


@transaction.atomic
def evaluation_submit(*, actor: Any, evaluation: Evaluation) -> Evaluation:
    """Send the answers to the ombudsman; from now on they are locked."""
    require_respondent(actor, evaluation)
    if evaluation.status == workflow.INVITED:
        raise ValidationError("Der er endnu ikke svaret på nogen spørgsmål.")
    if not Answer.objects.filter(evaluation=evaluation).exclude(text="").exists():
        raise ValidationError("Der er endnu ikke svaret på nogen spørgsmål.")
    move(
        actor=actor,
        evaluation=evaluation,
        target=workflow.SUBMITTED,
        fields={"submitted_at": timezone.now()},
    )
    return evaluation
