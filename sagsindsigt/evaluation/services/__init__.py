"""FOKUS services: every write goes through one of these (role check, audit event, atomic)."""

from sagsindsigt.evaluation.services.answers import (
    answers_copy_previous,
    answers_save,
    attachment_add,
    attachment_delete,
    evaluation_submit,
    evaluation_units_set,
)
from sagsindsigt.evaluation.services.assessment import (
    CriterionInput,
    assessment_save,
    conclusions_set,
    criterion_assess,
    evaluation_mark_assessed,
    evaluation_publish,
    evaluation_reopen,
    follow_up_record,
    main_criterion_remark_set,
)
from sagsindsigt.evaluation.services.rounds import respondent_add, respondent_remove, round_create
from sagsindsigt.evaluation.services.schemes import (
    copy_scheme,
    criterion_update,
    main_criterion_update,
    scheme_copy,
)

__all__ = [
    "CriterionInput",
    "answers_copy_previous",
    "answers_save",
    "assessment_save",
    "attachment_add",
    "attachment_delete",
    "conclusions_set",
    "copy_scheme",
    "criterion_assess",
    "criterion_update",
    "evaluation_mark_assessed",
    "evaluation_publish",
    "evaluation_reopen",
    "evaluation_submit",
    "evaluation_units_set",
    "follow_up_record",
    "main_criterion_remark_set",
    "main_criterion_update",
    "respondent_add",
    "respondent_remove",
    "round_create",
    "scheme_copy",
]
