"""Schemes, rounds and the evaluation workflow through the services and the database."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from sagsindsigt.common.models import AuditEvent
from sagsindsigt.evaluation import services
from sagsindsigt.evaluation.colours import Colour
from sagsindsigt.evaluation.models import (
    Answer,
    CategoryDefinition,
    Criterion,
    CriterionAssessment,
    Evaluation,
    EvaluationStatus,
    MainCriterion,
    Scheme,
    SubQuestion,
)
from sagsindsigt.evaluation.selectors import classification, evaluation_result, round_matrix
from sagsindsigt.evaluation.tests.conftest import BIF_2015, Fokus
from sagsindsigt.evaluation.tests.helpers import answer_and_submit, assess, full_cycle, publish
from sagsindsigt.organisation.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _colours(evaluation: Evaluation) -> dict[str, Colour | None]:
    return {r.letter: r.colour for r in classification(evaluation)}


def test_the_migrated_scheme_follows_the_seed(db: None) -> None:
    # given
    scheme = Scheme.objects.get(name="FOKUS 2015", round__isnull=True)

    # then: 15 criteria, A–G with their members and determining criterion, 1.3 and 1.4
    structure = {
        m.letter: (sorted(m.criteria.values_list("number", flat=True)), m.determining_criterion.number)
        for m in MainCriterion.objects.filter(scheme=scheme)
    }
    assert structure == {
        "A": ([1], 1),
        "B": ([2, 3], 2),
        "C": ([4, 5], 4),
        "D": ([6, 7, 8], 7),
        "E": ([9, 10], 9),
        "F": ([11, 12, 13, 14], 14),
        "G": ([15], 15),
    }
    assert list(SubQuestion.objects.filter(criterion__scheme=scheme).values_list("code", flat=True)) == [
        "1.3",
        "1.4",
    ]
    colours = dict(CategoryDefinition.objects.filter(scheme=scheme).values_list("number", "colour"))
    assert colours == {1: "red", 2: "red", 3: "yellow", 4: "yellow", 5: "green", 6: "green", 7: "green"}
    assert Criterion.objects.get(scheme=scheme, number=7).text.startswith(
        "Har forvaltningen truffet konkrete beslutninger om, hvordan"
    )
    assert (
        MainCriterion.objects.get(scheme=scheme, letter="D").title
        == "Forvaltningens beslutningskraft og målsætninger"
    )


def test_bif_2015_categories_through_the_services_give_all_green(fokus: Fokus) -> None:
    # given
    answer_and_submit(fokus.bif, fokus.bif_leader)

    # when
    assess(fokus.bif, fokus.ombudsman, BIF_2015)

    # then
    assert _colours(fokus.bif) == dict.fromkeys("ABCDEFG", Colour.GREEN)


def test_criterion_7_set_to_3_turns_d_yellow_in_the_database(fokus: Fokus) -> None:
    # given
    answer_and_submit(fokus.bif, fokus.bif_leader)
    assess(fokus.bif, fokus.ombudsman, BIF_2015)

    # when
    services.criterion_assess(
        actor=fokus.ombudsman, evaluation=fokus.bif, criterion=fokus.criterion(7), category=3
    )

    # then
    result = evaluation_result(fokus.bif)
    d = next(r for r in result.rows if r.main.letter == "D")
    assert d.colour == Colour.YELLOW
    assert {c.criterion.number: c.category for c in d.criteria} == {6: 7, 7: 3, 8: 6}
    assert all(r.colour == Colour.GREEN for r in result.rows if r.main.letter != "D")


def test_category_2_gives_red(fokus: Fokus) -> None:
    # given
    answer_and_submit(fokus.bif, fokus.bif_leader)
    assess(fokus.bif, fokus.ombudsman, BIF_2015)

    # when
    services.criterion_assess(
        actor=fokus.ombudsman, evaluation=fokus.bif, criterion=fokus.criterion(14), category=2
    )

    # then
    assert _colours(fokus.bif)["F"] == Colour.RED


def test_no_category_for_the_determining_criterion_leaves_the_main_criterion_blank(fokus: Fokus) -> None:
    answer_and_submit(fokus.bif, fokus.bif_leader)
    assess(fokus.bif, fokus.ombudsman, {**BIF_2015, 15: None})
    assert _colours(fokus.bif)["G"] is None


def test_category_outside_1_to_7_is_refused(fokus: Fokus) -> None:
    answer_and_submit(fokus.bif, fokus.bif_leader)
    with pytest.raises(ValidationError, match="Kategori 8 findes ikke"):
        services.criterion_assess(
            actor=fokus.ombudsman, evaluation=fokus.bif, criterion=fokus.criterion(1), category=8
        )


def test_round_gets_its_own_copy_so_editing_it_never_changes_the_template(fokus: Fokus) -> None:
    # given
    original = fokus.template.criteria.get(number=7).text
    copy_criterion = fokus.criterion(7)
    assert copy_criterion.scheme_id != fokus.template.pk

    # when
    services.criterion_update(actor=fokus.ombudsman, criterion=copy_criterion, text="Ny formulering.")

    # then
    assert fokus.template.criteria.get(number=7).text == original
    assert Criterion.objects.get(pk=copy_criterion.pk).text == "Ny formulering."
    assert fokus.round.scheme.copied_from_id == fokus.template.pk


def test_scheme_of_a_round_with_submitted_answers_is_frozen(fokus: Fokus) -> None:
    # given
    answer_and_submit(fokus.bif, fokus.bif_leader)

    # when / then
    with pytest.raises(ValidationError, match="kan ikke ændres"):
        services.criterion_update(actor=fokus.ombudsman, criterion=fokus.criterion(1), text="Ændret.")


def test_changing_the_determining_criterion_in_a_copy(fokus: Fokus) -> None:
    # given: a fresh copy for a later round
    copy = services.scheme_copy(
        actor=fokus.ombudsman, scheme=fokus.template, name="FOKUS 2017", year_label="2017"
    )
    d = copy.main_criteria.get(letter="D")

    # when
    services.main_criterion_update(
        actor=fokus.ombudsman, main=d, title=d.title, determining=d.criteria.get(number=6)
    )

    # then
    assert d.determining_criterion.number == 6
    assert fokus.template.main_criteria.get(letter="D").determining_criterion.number == 7
    assert [s.determining for s in copy.specs() if s.letter == "D"] == [6]


def test_full_workflow_and_every_step_audited(fokus: Fokus) -> None:
    # given
    before = AuditEvent.objects.filter(model="evaluation.Evaluation", object_id=str(fokus.bif.pk)).count()

    # when
    full_cycle(fokus.bif, fokus.bif_leader, fokus.ombudsman, BIF_2015)

    # then
    fokus.bif.refresh_from_db()
    assert fokus.bif.status == EvaluationStatus.PUBLISHED
    assert fokus.bif.published_at is not None
    statuses = [
        e.changes.get("status")
        for e in AuditEvent.objects.filter(model="evaluation.Evaluation", object_id=str(fokus.bif.pk))
        .order_by("pk")
        .all()[before:]
        if "status" in e.changes
    ]
    assert statuses == [
        ["invited", "answering"],
        ["answering", "submitted"],
        ["submitted", "assessed"],
        ["assessed", "follow_up"],
        ["follow_up", "published"],
    ]
    assert AuditEvent.objects.filter(model="evaluation.CriterionAssessment").count() == 15


def test_answers_are_locked_after_submit(fokus: Fokus) -> None:
    # given
    answer_and_submit(fokus.bif, fokus.bif_leader)

    # when / then
    with pytest.raises(ValidationError, match="indsendt og kan ikke længere ændres"):
        services.answers_save(
            actor=fokus.bif_leader, evaluation=fokus.bif, criteria={fokus.criterion(1).pk: "Ændret."}
        )
    assert Answer.objects.get(evaluation=fokus.bif, criterion__number=1).text.endswith("kriterium 1.")


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("publish_early", "kan ikke blive offentliggjort"),
        ("assess_before_submit", "ikke indsendt endnu"),
        ("submit_twice", "kan ikke blive indsendt"),
    ],
)
def test_invalid_transitions_raise_a_danish_error(fokus: Fokus, step: str, message: str) -> None:
    if step == "publish_early":
        answer_and_submit(fokus.bif, fokus.bif_leader)
        with pytest.raises(ValidationError, match=message):
            services.evaluation_publish(actor=fokus.ombudsman, evaluation=fokus.bif)
    elif step == "assess_before_submit":
        with pytest.raises(ValidationError, match=message):
            services.criterion_assess(
                actor=fokus.ombudsman, evaluation=fokus.bif, criterion=fokus.criterion(1), category=5
            )
    else:
        answer_and_submit(fokus.bif, fokus.bif_leader)
        with pytest.raises(ValidationError, match=message):
            services.evaluation_submit(actor=fokus.bif_leader, evaluation=fokus.bif)


def test_published_report_cannot_be_reassessed(fokus: Fokus) -> None:
    full_cycle(fokus.bif, fokus.bif_leader, fokus.ombudsman, BIF_2015)
    with pytest.raises(ValidationError, match="offentliggjort"):
        services.criterion_assess(
            actor=fokus.ombudsman, evaluation=fokus.bif, criterion=fokus.criterion(1), category=1
        )


def test_reopen_hands_the_questionnaire_back(fokus: Fokus) -> None:
    # given
    answer_and_submit(fokus.bif, fokus.bif_leader)

    # when
    services.evaluation_reopen(actor=fokus.ombudsman, evaluation=fokus.bif)
    services.answers_save(
        actor=fokus.bif_leader, evaluation=fokus.bif, criteria={fokus.criterion(1).pk: "Rettet."}
    )

    # then
    assert fokus.bif.status == EvaluationStatus.ANSWERING
    assert Answer.objects.get(evaluation=fokus.bif, criterion__number=1).text == "Rettet."


def test_submit_needs_at_least_one_answer(fokus: Fokus) -> None:
    with pytest.raises(ValidationError, match="ikke svaret"):
        services.evaluation_submit(actor=fokus.bif_leader, evaluation=fokus.bif)


def test_previous_answers_copied_into_new_round(fokus: Fokus) -> None:
    # given
    answer_and_submit(fokus.bif, fokus.bif_leader)
    services.evaluation_reopen(actor=fokus.ombudsman, evaluation=fokus.bif)
    sub = SubQuestion.objects.get(criterion__scheme=fokus.round.scheme, code="1.3")
    services.answers_save(
        actor=fokus.bif_leader, evaluation=fokus.bif, sub_questions={sub.pk: "136.856 forløb."}
    )
    answer_and_submit(fokus.bif, fokus.bif_leader)
    assess(fokus.bif, fokus.ombudsman, BIF_2015)
    publish(fokus.bif, fokus.ombudsman)
    round_2017 = services.round_create(
        actor=fokus.ombudsman,
        year=2017,
        scheme=fokus.round.scheme,
        administrations=[fokus.administrations["BIF"]],
        answer_deadline=date(2017, 10, 1),
    )
    new = Evaluation.objects.get(round=round_2017)

    # when
    copied = services.answers_copy_previous(actor=fokus.bif_leader, evaluation=new)

    # then
    assert copied == 16
    new.refresh_from_db()
    assert new.status == EvaluationStatus.ANSWERING
    texts = dict(
        Answer.objects.filter(evaluation=new, criterion__isnull=False).values_list(
            "criterion__number", "text"
        )
    )
    assert texts[7] == "Forvaltningens svar på kriterium 7."
    assert Answer.objects.get(evaluation=new, sub_question__code="1.3").text == "136.856 forløb."
    assert not CriterionAssessment.objects.filter(evaluation=new).exists()
    assert Answer.objects.filter(criterion__scheme=fokus.round.scheme).count() == 15


def test_matrix_is_blank_until_published_and_for_no_sufficient_answer(fokus: Fokus) -> None:
    # given: BIF published; SOF assessed but not published; KFF published with F blank
    full_cycle(fokus.bif, fokus.bif_leader, fokus.ombudsman, BIF_2015)
    answer_and_submit(fokus.sof, fokus.sof_leader)
    assess(fokus.sof, fokus.ombudsman, BIF_2015)
    kff = Evaluation.objects.get(round=fokus.round, administration__code="KFF")
    kff_leader = UserFactory.in_administration(kff.administration, username="leder.kff")
    full_cycle(kff, kff_leader, fokus.ombudsman, {**BIF_2015, 14: None, 1: 2})

    # when
    matrix = round_matrix(fokus.round)

    # then
    codes = [a.code for a in matrix.administrations]
    cells = {main.letter: dict(zip(codes, (c.colour for c in row), strict=True)) for main, row in matrix.rows}
    assert cells["A"]["BIF"] == Colour.GREEN
    assert cells["A"]["SOF"] is None
    assert cells["A"]["KFF"] == Colour.RED
    assert cells["F"]["KFF"] is None
    assert len(codes) == 7


def test_units_must_belong_to_the_administration(fokus: Fokus) -> None:
    with pytest.raises(ValidationError, match="hører ikke til"):
        services.evaluation_units_set(actor=fokus.bif_leader, evaluation=fokus.bif, units=[fokus.sof_unit])
    services.evaluation_units_set(actor=fokus.bif_leader, evaluation=fokus.bif, units=[fokus.bif_unit])
    assert list(fokus.bif.units.all()) == [fokus.bif_unit]


def test_round_for_an_existing_year_is_refused(fokus: Fokus) -> None:
    with pytest.raises(ValidationError, match="allerede"):
        services.round_create(
            actor=fokus.ombudsman,
            year=2015,
            scheme=fokus.template,
            administrations=[fokus.administrations["BIF"]],
            answer_deadline=date(2015, 10, 1),
        )


def test_follow_up_meeting_cannot_be_in_the_future(fokus: Fokus) -> None:
    answer_and_submit(fokus.bif, fokus.bif_leader)
    assess(fokus.bif, fokus.ombudsman, BIF_2015)
    services.evaluation_mark_assessed(actor=fokus.ombudsman, evaluation=fokus.bif)
    with pytest.raises(ValidationError, match="fremtiden"):
        services.follow_up_record(
            actor=fokus.ombudsman, evaluation=fokus.bif, meeting_date=date(2999, 1, 1), notes=""
        )
