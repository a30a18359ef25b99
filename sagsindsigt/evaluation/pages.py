"""What each FOKUS page shows and who may open it, read in one call per page: the views only parse and
render. A row the user may not see answers 404; a page their role does not give answers 403."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from sagsindsigt.evaluation import workflow
from sagsindsigt.evaluation.models import Criterion, Evaluation, MainCriterion, Round, Scheme
from sagsindsigt.evaluation.permissions import FokusPerm
from sagsindsigt.evaluation.selectors import (
    EvaluationResult,
    HistoryRow,
    Matrix,
    answers_by_key,
    can_assess,
    evaluation_get,
    evaluation_list,
    evaluation_result,
    history,
    is_respondent,
    may_see_matrix,
    previous_evaluation,
    respondent_of,
    round_list,
    round_matrix,
    scheme_full,
    scheme_templates,
    sees_assessment,
)
from sagsindsigt.organisation.access import can, require
from sagsindsigt.organisation.models import User


def _visible(user: Any, pk: int) -> Evaluation:
    try:
        return evaluation_get(user, pk)
    except Evaluation.DoesNotExist:
        raise Http404("Evalueringen findes ikke.") from None


@dataclass(frozen=True)
class HomePage:
    rounds: list[Round]
    evaluations: list[Evaluation]
    mine: list[Evaluation]  # open for answers, and the user answers them
    can_manage: bool
    templates: list[Scheme]


def home_page(user: Any) -> HomePage:
    evaluations = list(evaluation_list(user))
    rounds = list(round_list(user))
    if not rounds and not evaluations:
        raise PermissionDenied("Din rolle giver ikke adgang til evalueringsordningen.")
    answers = respondent_of(user, evaluations)
    manage = can(user, FokusPerm.MANAGE)
    return HomePage(
        rounds=rounds,
        evaluations=evaluations,
        mine=[e for e in evaluations if e.pk in answers and e.is_open_for_answers],
        can_manage=manage,
        templates=list(scheme_templates()) if manage else [],
    )


@dataclass(frozen=True)
class RoundPage:
    round: Round
    matrix: Matrix | None
    evaluations: list[Evaluation]
    can_manage: bool


def round_page(user: Any, year: int) -> RoundPage:
    round_ = get_object_or_404(round_list(user), year=year)
    return RoundPage(
        round=round_,
        matrix=round_matrix(round_) if may_see_matrix(user) else None,
        evaluations=list(evaluation_list(user).filter(round=round_)),
        can_manage=can(user, FokusPerm.MANAGE),
    )


def history_page(user: Any) -> tuple[list[Round], list[HistoryRow]]:
    if not may_see_matrix(user):
        raise PermissionDenied("Din rolle giver ikke adgang til resultaterne.")
    rounds = sorted(round_list(user), key=lambda r: r.year)
    return rounds, history(rounds)


@dataclass(frozen=True)
class DetailPage:
    evaluation: Evaluation
    # (main criterion, [(criterion, answer, [(sub-question, answer)])])
    answer_groups: list[tuple[MainCriterion, list[tuple[Criterion, str, list[tuple[Any, str]]]]]]
    attachments: list[Any]
    result: EvaluationResult | None
    is_respondent: bool
    can_assess: bool
    can_manage: bool
    previous: Evaluation | None
    units: list[Any]
    respondents: list[User]
    publish_missing: list[str]  # workflow.MISSING_*: what must be done before publishing


def detail_page(user: Any, pk: int) -> DetailPage:
    evaluation = _visible(user, pk)
    scheme = scheme_full(evaluation.round.scheme_id)
    answers = {key: a.text for key, a in answers_by_key(evaluation).items()}
    return DetailPage(
        evaluation=evaluation,
        answer_groups=[
            (
                main,
                [
                    (
                        c,
                        answers.get(f"c{c.pk}", ""),
                        [(s, answers.get(f"s{s.pk}", "")) for s in c.sub_questions.all()],
                    )
                    for c in main.criteria.all()
                ],
            )
            for main in scheme.main_criteria.all()
        ],
        attachments=list(evaluation.attachments.select_related("criterion")),
        result=evaluation_result(evaluation) if sees_assessment(user, evaluation) else None,
        is_respondent=is_respondent(user, evaluation),
        can_assess=can_assess(user),
        can_manage=can(user, FokusPerm.MANAGE),
        previous=previous_evaluation(evaluation),
        units=list(evaluation.units.order_by("name")),
        respondents=list(evaluation.respondents.order_by("username")),
        publish_missing=workflow.publish_missing(
            evaluation.status, has_overall_assessment=bool(evaluation.overall_assessment)
        ),
    )


def evaluation_to_answer(user: Any, pk: int) -> Evaluation:
    """An evaluation the user answers for (its answers, units and attachments)."""
    evaluation = _visible(user, pk)
    if not is_respondent(user, evaluation):
        raise PermissionDenied("Du er ikke besvarer for denne forvaltnings evaluering.")
    return evaluation


def answers_as_given(evaluation: Evaluation) -> dict[str, Any]:
    """The answers so far, keyed as the answer form names its fields, and the units taking part."""
    given: dict[str, Any] = {key: a.text for key, a in answers_by_key(evaluation).items()}
    given["units"] = list(evaluation.units.all())
    return given


def evaluation_to_assess(user: Any, pk: int) -> Evaluation:
    evaluation = _visible(user, pk)
    require(user, FokusPerm.ASSESS)
    return evaluation


def evaluation_visible(user: Any, pk: int) -> Evaluation:
    """An evaluation the user may open (the services check what they may do with it)."""
    return _visible(user, pk)


def respondents_page(user: Any, pk: int) -> tuple[Evaluation, list[User]]:
    """Those who manage FOKUS, and the evaluation's own respondents, may change its respondents."""
    evaluation = _visible(user, pk)
    if not (can(user, FokusPerm.MANAGE) or is_respondent(user, evaluation)):
        raise PermissionDenied("Du kan ikke ændre besvarerne.")
    return evaluation, list(evaluation.respondents.order_by("username"))


def respondent_get(evaluation: Evaluation, user_pk: int) -> User:
    return get_object_or_404(evaluation.respondents, pk=user_pk)


def report_evaluation(user: Any, pk: int) -> Evaluation:
    evaluation = _visible(user, pk)
    if not sees_assessment(user, evaluation):
        # The evaluation exists for this user (a respondent), but the report is not published yet.
        raise PermissionDenied("Rapporten er ikke offentliggjort endnu.")
    return evaluation


def scheme_page(user: Any, pk: int) -> tuple[Scheme, bool]:
    """A scheme and whether the user may change it."""
    manage = can(user, FokusPerm.MANAGE)
    if not (manage or may_see_matrix(user)):
        raise PermissionDenied("Din rolle giver ikke adgang til skemaerne.")
    try:
        return scheme_full(pk), manage
    except Scheme.DoesNotExist:
        raise Http404("Skemaet findes ikke.") from None


def scheme_to_manage(user: Any, pk: int) -> Scheme:
    require(user, FokusPerm.MANAGE)
    return get_object_or_404(Scheme, pk=pk)


def criterion_to_edit(user: Any, pk: int) -> Criterion:
    require(user, FokusPerm.MANAGE)
    return get_object_or_404(Criterion.objects.select_related("scheme"), pk=pk)


def main_criterion_to_edit(user: Any, pk: int) -> MainCriterion:
    require(user, FokusPerm.MANAGE)
    return get_object_or_404(MainCriterion.objects.select_related("scheme"), pk=pk)


def require_round_manager(user: Any) -> None:
    """The page that creates a round is for those who manage FOKUS."""
    require(user, FokusPerm.MANAGE)
