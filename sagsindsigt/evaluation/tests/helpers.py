"""Walking an evaluation through its statuses with the real services."""

from __future__ import annotations

from datetime import date
from typing import Any

from sagsindsigt.evaluation import services
from sagsindsigt.evaluation.models import Criterion, Evaluation


def answer_and_submit(evaluation: Evaluation, respondent: Any) -> Evaluation:
    criteria = Criterion.objects.filter(scheme_id=evaluation.round.scheme_id)
    services.answers_save(
        actor=respondent,
        evaluation=evaluation,
        criteria={c.pk: f"Forvaltningens svar på kriterium {c.number}." for c in criteria},
    )
    return services.evaluation_submit(actor=respondent, evaluation=evaluation)


def assess(evaluation: Evaluation, ombudsman: Any, categories: dict[int, int | None]) -> Evaluation:
    for criterion in Criterion.objects.filter(scheme_id=evaluation.round.scheme_id):
        if criterion.number in categories:
            services.criterion_assess(
                actor=ombudsman,
                evaluation=evaluation,
                criterion=criterion,
                category=categories[criterion.number],
                remarks=f"Bemærkning til kriterium {criterion.number}.",
            )
    return evaluation


def publish(evaluation: Evaluation, ombudsman: Any) -> Evaluation:
    services.conclusions_set(
        actor=ombudsman,
        evaluation=evaluation,
        overall_assessment="Forvaltningen gør en god indsats.",
        recommendations="Fortsæt.",
    )
    services.evaluation_mark_assessed(actor=ombudsman, evaluation=evaluation)
    services.follow_up_record(
        actor=ombudsman, evaluation=evaluation, meeting_date=date(2015, 12, 8), notes="Mødet er holdt."
    )
    return services.evaluation_publish(actor=ombudsman, evaluation=evaluation)


def full_cycle(
    evaluation: Evaluation, respondent: Any, ombudsman: Any, categories: dict[int, int | None]
) -> Evaluation:
    answer_and_submit(evaluation, respondent)
    assess(evaluation, ombudsman, categories)
    return publish(evaluation, ombudsman)
