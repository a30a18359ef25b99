"""Reads of FOKUS rounds and evaluations; who may see what is decided here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from sagsindsigt.evaluation.colours import (
    Colour,
    Development,
    MainCriterionResult,
    classify,
    development,
)
from sagsindsigt.evaluation.models import (
    Answer,
    Attachment,
    Criterion,
    CriterionAssessment,
    Evaluation,
    EvaluationStatus,
    MainCriterion,
    MainCriterionRemark,
    Round,
    Scheme,
)
from sagsindsigt.evaluation.permissions import FokusPerm
from sagsindsigt.organisation.access import can, scope_of
from sagsindsigt.organisation.models import Administration, ScopeKind

# --- access: the one place -------------------------------------------------------------------------


def is_respondent(user: Any, evaluation: Evaluation) -> bool:
    """Leaders of the administration answer by role; others only when added to this evaluation."""
    return evaluation.pk in respondent_of(user, [evaluation])


def respondent_of(user: Any, evaluations: list[Evaluation]) -> set[int]:
    """The evaluations among these the user answers for (by role, or added by name): one query at most."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    by_role = can(user, FokusPerm.ANSWER)
    found = {e.pk for e in evaluations if by_role and _answers_for(user, e.administration_id)}
    rest = [e.pk for e in evaluations if e.pk not in found]
    if rest:
        found.update(user.fokus_evaluations.filter(pk__in=rest).values_list("pk", flat=True))
    return found


def _answers_for(user: Any, administration_id: int) -> bool:
    scope = scope_of(user)
    # A unit-scoped user may see inside one administration but does not answer for all of it.
    return scope.kind != ScopeKind.UNIT and scope.contains_administration(administration_id)


def can_assess(user: Any) -> bool:
    return can(user, FokusPerm.ASSESS)


def sees_assessment(user: Any, evaluation: Evaluation) -> bool:
    """The ombudsman's work in progress stays with the ombudsman until the report is published."""
    return can_assess(user) or evaluation.status == EvaluationStatus.PUBLISHED


def _visible_q(user: Any) -> Q:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if can(user, FokusPerm.ASSESS) or can(user, FokusPerm.MANAGE):
        return Q()
    scope = scope_of(user)
    in_scope = Q() if scope.is_municipality else Q(administration_id=scope.administration_id or 0)
    visible = Q(respondents=user)
    if can(user, FokusPerm.ANSWER) and scope.kind != ScopeKind.UNIT:
        visible |= in_scope
    if can(user, FokusPerm.VIEW_RESULTS):
        visible |= in_scope & Q(status=EvaluationStatus.PUBLISHED)
    return visible


def evaluation_list(user: Any) -> QuerySet[Evaluation]:
    """Every evaluation the user may open; a row outside this list does not exist for them (404)."""
    visible = Evaluation.objects.filter(_visible_q(user))
    return (
        Evaluation.objects.filter(pk__in=visible.values("pk"))
        .select_related("round", "administration", "round__scheme")
        .order_by("-round__year", "administration__code")
    )


def evaluation_get(user: Any, pk: int) -> Evaluation:
    """One evaluation, or Evaluation.DoesNotExist when the user may not see it."""
    return evaluation_list(user).get(pk=pk)


def attachment_get(user: Any, evaluation_pk: int, pk: int) -> Attachment:
    evaluation = evaluation_get(user, evaluation_pk)
    return Attachment.objects.get(evaluation=evaluation, pk=pk)


def round_list(user: Any) -> QuerySet[Round]:
    """Rounds are visible to everyone who may see any FOKUS result or answer."""
    if not (
        can(user, FokusPerm.VIEW_RESULTS) or can(user, FokusPerm.MANAGE) or evaluation_list(user).exists()
    ):
        return Round.objects.none()
    return Round.objects.select_related("scheme").order_by("-year")


def may_see_matrix(user: Any) -> bool:
    # The colours of published evaluations are appendix 2 of every report, so they are
    # municipality-wide (ADR 0010); categories, remarks and answers follow the scope.
    return can(user, FokusPerm.VIEW_RESULTS) or can(user, FokusPerm.MANAGE)


def previous_evaluation(evaluation: Evaluation) -> Evaluation | None:
    """The same administration's evaluation in the latest earlier round."""
    return (
        Evaluation.objects.filter(
            administration_id=evaluation.administration_id, round__year__lt=evaluation.round.year
        )
        .select_related("round", "round__scheme")
        .order_by("-round__year")
        .first()
    )


# --- schemes -------------------------------------------------------------------------------------


def scheme_full(pk: int) -> Scheme:
    """A scheme with its categories, colours, main criteria, criteria and sub-questions loaded."""
    return Scheme.objects.prefetch_related(
        "categories",
        "colour_definitions",
        Prefetch(
            "main_criteria",
            queryset=MainCriterion.objects.prefetch_related(
                Prefetch("criteria", queryset=Criterion.objects.prefetch_related("sub_questions"))
            ),
        ),
    ).get(pk=pk)


def scheme_templates() -> QuerySet[Scheme]:
    return Scheme.objects.filter(round__isnull=True).order_by("-year_label", "-pk")


# --- results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionRow:
    criterion: Criterion
    category: int | None
    colour: Colour | None
    remarks: str
    category_text: str


@dataclass(frozen=True)
class MainRow:
    main: MainCriterion
    colour: Colour | None
    previous_colour: Colour | None
    development: Development | None
    remarks: str
    criteria: tuple[CriterionRow, ...]
    determining_number: int


@dataclass(frozen=True)
class EvaluationResult:
    evaluation: Evaluation
    scheme: Scheme
    rows: tuple[MainRow, ...]
    previous: Evaluation | None

    def colour_of(self, letter: str) -> Colour | None:
        return next((r.colour for r in self.rows if r.main.letter == letter), None)


def categories_of(evaluation: Evaluation) -> dict[int, int | None]:
    rows = CriterionAssessment.objects.filter(evaluation=evaluation).values_list(
        "criterion__number", "category"
    )
    return dict(rows)


def classification(evaluation: Evaluation) -> list[MainCriterionResult]:
    """The main criteria's colours for one evaluation, derived from the stored categories."""
    scheme = scheme_full(evaluation.round.scheme_id)
    return classify(scheme.specs(), categories_of(evaluation), scheme.scale())


def evaluation_result(evaluation: Evaluation) -> EvaluationResult:
    """Everything the per-administration view and the report show. Callers check `sees_assessment`."""
    scheme = scheme_full(evaluation.round.scheme_id)
    scale = scheme.scale()
    assessments = {a.criterion_id: a for a in CriterionAssessment.objects.filter(evaluation=evaluation)}
    categories = {
        c.number: (assessments[c.pk].category if c.pk in assessments else None)
        for main in scheme.main_criteria.all()
        for c in main.criteria.all()
    }
    remarks = {
        r.main_criterion_id: r.remarks for r in MainCriterionRemark.objects.filter(evaluation=evaluation)
    }
    category_texts = {c.number: c.text for c in scheme.categories.all()}
    previous = previous_evaluation(evaluation)
    previous_colours: dict[str, Colour | None] = {}
    if previous is not None and previous.status == EvaluationStatus.PUBLISHED:
        previous_colours = {r.letter: r.colour for r in classification(previous)}
    results = {r.letter: r for r in classify(scheme.specs(), categories, scale)}
    rows = []
    for main in scheme.main_criteria.all():
        result = results[main.letter]
        before = previous_colours.get(main.letter)
        rows.append(
            MainRow(
                main=main,
                colour=result.colour,
                previous_colour=before,
                development=development(before, result.colour),
                remarks=remarks.get(main.pk, ""),
                determining_number=result.determining,
                criteria=tuple(
                    CriterionRow(
                        criterion=c,
                        category=categories[c.number],
                        colour=scale.colour_of(categories[c.number]),
                        remarks=assessments[c.pk].remarks if c.pk in assessments else "",
                        category_text=category_texts.get(categories[c.number] or 0, ""),
                    )
                    for c in main.criteria.all()
                ),
            )
        )
    return EvaluationResult(evaluation=evaluation, scheme=scheme, rows=tuple(rows), previous=previous)


@dataclass(frozen=True)
class MatrixCell:
    evaluation: Evaluation | None
    colour: Colour | None


@dataclass(frozen=True)
class Matrix:
    """Main criteria × administrations for one round; blank where no published, sufficient answer."""

    round: Round
    administrations: tuple[Administration, ...]
    rows: tuple[tuple[MainCriterion, tuple[MatrixCell, ...]], ...]


def round_matrix(round_: Round, *, including: Evaluation | None = None) -> Matrix:
    """Only published evaluations fill cells (and `including`, a report's own evaluation).

    Callers check `may_see_matrix`.
    """
    scheme = scheme_full(round_.scheme_id)
    evaluations = {
        e.administration_id: e
        for e in Evaluation.objects.filter(round=round_).select_related("administration", "round")
    }
    # The round's participation order (creation order), as in the seed's appendix 2.
    administrations = tuple(e.administration for e in sorted(evaluations.values(), key=lambda e: e.pk))
    colours: dict[int, dict[str, Colour | None]] = {}
    shown = {
        admin_id
        for admin_id, e in evaluations.items()
        if e.status == EvaluationStatus.PUBLISHED or (including is not None and e.pk == including.pk)
    }
    categories: dict[int, dict[int, int | None]] = {admin_id: {} for admin_id in shown}
    admin_of = {e.pk: admin_id for admin_id, e in evaluations.items() if admin_id in shown}
    # One read of every shown evaluation's categories, not one per evaluation.
    for evaluation_id, number, category in CriterionAssessment.objects.filter(
        evaluation_id__in=list(admin_of)
    ).values_list("evaluation_id", "criterion__number", "category"):
        categories[admin_of[evaluation_id]][number] = category
    for admin_id in shown:
        colours[admin_id] = {
            r.letter: r.colour for r in classify(scheme.specs(), categories[admin_id], scheme.scale())
        }
    rows = tuple(
        (
            main,
            tuple(
                MatrixCell(
                    evaluation=evaluations[a.pk] if a.pk in shown else None,
                    colour=colours.get(a.pk, {}).get(main.letter),
                )
                for a in administrations
            ),
        )
        for main in scheme.main_criteria.all()
    )
    return Matrix(round=round_, administrations=administrations, rows=rows)


@dataclass(frozen=True)
class HistoryRow:
    administration: Administration
    letter: str
    title: str
    colours: tuple[Colour | None, ...]


def history(rounds: list[Round]) -> list[HistoryRow]:
    """Published colours per administration and main criterion across rounds (oldest first)."""
    matrices = [round_matrix(r) for r in rounds]
    administrations = sorted(
        {a.pk: a for m in matrices for a in m.administrations}.values(), key=lambda a: a.code
    )
    letters: dict[str, str] = {}
    for m in matrices:
        for main, _cells in m.rows:
            letters[main.letter] = main.title  # the newest wording wins
    out = []
    for administration in administrations:
        for letter, title in sorted(letters.items()):
            colours = []
            for m in matrices:
                colour = None
                if administration in m.administrations:
                    index = m.administrations.index(administration)
                    for main, cells in m.rows:
                        if main.letter == letter:
                            colour = cells[index].colour
                colours.append(colour)
            out.append(HistoryRow(administration, letter, title, tuple(colours)))
    return out


def answers_by_key(evaluation: Evaluation) -> dict[str, Answer]:
    """Answers keyed 'c<criterion id>' or 's<sub-question id>' for forms and the report."""
    out: dict[str, Answer] = {}
    for answer in Answer.objects.filter(evaluation=evaluation):
        key = f"c{answer.criterion_id}" if answer.criterion_id else f"s{answer.sub_question_id}"
        out[key] = answer
    return out


def may_see_evaluations(user: Any) -> bool:
    """FOKUS: result viewers, respondents by role, the ombudsman, and anyone added as a respondent."""
    if any(can(user, p) for p in (FokusPerm.VIEW_RESULTS, FokusPerm.ANSWER, FokusPerm.MANAGE)):
        return True
    return bool(user.is_authenticated and user.fokus_evaluations.exists())
