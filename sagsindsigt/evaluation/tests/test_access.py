"""Who may read and write what in FOKUS: by list, detail, download, guessed id and service call."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sagsindsigt.evaluation import services
from sagsindsigt.evaluation.models import Answer, Attachment, CriterionAssessment, EvaluationStatus
from sagsindsigt.evaluation.selectors import evaluation_list
from sagsindsigt.evaluation.tests.conftest import BIF_2015, Fokus
from sagsindsigt.evaluation.tests.helpers import answer_and_submit, full_cycle
from sagsindsigt.organisation.models import Role
from sagsindsigt.organisation.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_respondent_sees_only_own_administration(fokus: Fokus) -> None:
    # when
    visible = list(evaluation_list(fokus.sof_leader))

    # then
    assert [e.administration.code for e in visible] == ["SOF"]


@pytest.mark.parametrize(
    "url_name",
    [
        "evaluation_detail",
        "evaluation_answer",
        "evaluation_attachment_upload",
        "evaluation_respondents",
        "evaluation_report_pdf",
        "evaluation_report_xlsx",
    ],
)
def test_respondent_of_another_administration_gets_404(fokus: Fokus, client: Client, url_name: str) -> None:
    # given
    _login(client, fokus.sof_leader)

    # when
    response = client.get(reverse(url_name, args=[fokus.bif.pk]))

    # then
    assert response.status_code == 404


def test_respondent_cannot_post_answers_to_another_administration(fokus: Fokus, client: Client) -> None:
    # given
    _login(client, fokus.sof_leader)
    criterion = fokus.criterion(1)

    # when
    response = client.post(
        reverse("evaluation_answer", args=[fokus.bif.pk]), {f"c{criterion.pk}": "Indtrængen"}
    )
    submit = client.post(reverse("evaluation_submit", args=[fokus.bif.pk]))

    # then
    assert response.status_code == 404
    assert submit.status_code == 404
    assert not Answer.objects.filter(evaluation=fokus.bif).exists()
    fokus.bif.refresh_from_db()
    assert fokus.bif.status == EvaluationStatus.INVITED


def test_service_refuses_a_respondent_of_another_administration(fokus: Fokus) -> None:
    with pytest.raises(PermissionDenied):
        services.answers_save(
            actor=fokus.sof_leader, evaluation=fokus.bif, criteria={fokus.criterion(1).pk: "Indtrængen"}
        )
    with pytest.raises(PermissionDenied):
        services.evaluation_submit(actor=fokus.sof_leader, evaluation=fokus.bif)


def test_respondent_answers_own_administration_through_the_view(fokus: Fokus, client: Client) -> None:
    # given
    _login(client, fokus.bif_leader)
    criterion = fokus.criterion(1)

    # when
    response = client.post(
        reverse("evaluation_answer", args=[fokus.bif.pk]),
        {f"c{criterion.pk}": "Alle enheder er identificeret.", "units": [fokus.bif_unit.pk]},
    )

    # then
    assert response.status_code == 302
    assert (
        Answer.objects.get(evaluation=fokus.bif, criterion=criterion).text == "Alle enheder er identificeret."
    )
    assert list(fokus.bif.units.all()) == [fokus.bif_unit]


def test_answers_locked_after_submit_in_the_view(fokus: Fokus, client: Client) -> None:
    # given
    answer_and_submit(fokus.bif, fokus.bif_leader)
    _login(client, fokus.bif_leader)
    criterion = fokus.criterion(1)

    # when
    response = client.post(reverse("evaluation_answer", args=[fokus.bif.pk]), {f"c{criterion.pk}": "Ændret"})

    # then: redirected back with a message, nothing changed
    assert response.status_code == 302
    assert Answer.objects.get(evaluation=fokus.bif, criterion=criterion).text.endswith("kriterium 1.")


@pytest.mark.parametrize(
    "who", ["bif_leader", "sof_leader", "analyst", "bif_unit_leader", "caseworker", "explicit_respondent"]
)
def test_nobody_but_the_ombudsman_can_set_categories(fokus: Fokus, client: Client, who: str) -> None:
    # given
    answer_and_submit(fokus.bif, fokus.bif_leader)
    if who == "explicit_respondent":
        user = UserFactory.in_unit(fokus.bif_unit, role=Role.CASEWORKER, username="medarbejder")
        services.respondent_add(actor=fokus.ombudsman, evaluation=fokus.bif, user=user)
    else:
        user = getattr(fokus, who)
    criterion = fokus.criterion(1)

    # when / then: the service refuses
    with pytest.raises(PermissionDenied):
        services.criterion_assess(actor=user, evaluation=fokus.bif, criterion=criterion, category=5)

    # and the view answers 403 or 404, never saves
    _login(client, user)
    response = client.post(
        reverse("evaluation_assess", args=[fokus.bif.pk]), {f"kategori_{criterion.pk}": "5"}
    )
    assert response.status_code in (403, 404)
    assert not CriterionAssessment.objects.exists()


def test_ombudsman_sets_a_category_through_the_view(fokus: Fokus, client: Client) -> None:
    # given
    answer_and_submit(fokus.bif, fokus.bif_leader)
    _login(client, fokus.ombudsman)
    criterion = fokus.criterion(7)

    # when
    response = client.post(
        reverse("evaluation_assess", args=[fokus.bif.pk]),
        {
            f"kategori_{criterion.pk}": "3",
            f"bemaerkning_{criterion.pk}": "Delvist.",
            "overall_assessment": "OK",
        },
    )

    # then
    assert response.status_code == 302
    assessment = CriterionAssessment.objects.get(evaluation=fokus.bif, criterion=criterion)
    assert (assessment.category, assessment.remarks) == (3, "Delvist.")


@pytest.mark.parametrize("who", ["bif_leader", "analyst", "sof_leader"])
def test_only_the_ombudsman_publishes(fokus: Fokus, client: Client, who: str) -> None:
    answer_and_submit(fokus.bif, fokus.bif_leader)
    with pytest.raises(PermissionDenied):
        services.evaluation_publish(actor=getattr(fokus, who), evaluation=fokus.bif)
    _login(client, getattr(fokus, who))
    response = client.post(reverse("evaluation_publish", args=[fokus.bif.pk]))
    assert response.status_code in (403, 404)


def test_leaders_and_analyst_see_results_only_when_published(fokus: Fokus) -> None:
    # given: BIF and SOF submitted; only BIF published
    answer_and_submit(fokus.sof, fokus.sof_leader)
    full_cycle(fokus.bif, fokus.bif_leader, fokus.ombudsman, BIF_2015)

    # then
    assert [e.administration.code for e in evaluation_list(fokus.analyst)] == ["BIF"]
    assert [e.administration.code for e in evaluation_list(fokus.bif_unit_leader)] == ["BIF"]
    assert [e.administration.code for e in evaluation_list(fokus.sof_leader)] == ["SOF"]
    assert evaluation_list(fokus.caseworker).count() == 0
    assert evaluation_list(fokus.ombudsman).count() == 7
    assert evaluation_list(fokus.sysadmin).count() == 7


def test_respondent_does_not_see_the_assessment_before_publication(fokus: Fokus, client: Client) -> None:
    # given
    answer_and_submit(fokus.bif, fokus.bif_leader)
    services.criterion_assess(
        actor=fokus.ombudsman,
        evaluation=fokus.bif,
        criterion=fokus.criterion(1),
        category=2,
        remarks="Hemmelig kladde",
    )
    _login(client, fokus.bif_leader)

    # when
    page = client.get(reverse("evaluation_detail", args=[fokus.bif.pk]))
    report = client.get(reverse("evaluation_report_pdf", args=[fokus.bif.pk]))

    # then
    assert page.status_code == 200
    assert "Hemmelig kladde" not in page.content.decode()
    assert report.status_code == 403


def test_unit_leader_cannot_answer_by_role(fokus: Fokus) -> None:
    with pytest.raises(PermissionDenied):
        services.answers_save(
            actor=fokus.bif_unit_leader, evaluation=fokus.bif, criteria={fokus.criterion(1).pk: "Svar"}
        )


def test_explicit_respondent_may_answer_until_submitted(fokus: Fokus) -> None:
    # given
    user = UserFactory.in_unit(fokus.bif_unit, role=Role.CASEWORKER, username="kvalitetskonsulent")
    services.respondent_add(actor=fokus.bif_leader, evaluation=fokus.bif, user=user)

    # when
    services.answers_save(actor=user, evaluation=fokus.bif, criteria={fokus.criterion(2).pk: "Sagsaudits."})

    # then
    assert [e.pk for e in evaluation_list(user)] == [fokus.bif.pk]
    with pytest.raises(PermissionDenied):
        services.answers_save(actor=user, evaluation=fokus.sof, criteria={fokus.criterion(2).pk: "Nej"})


def test_a_respondent_from_another_administration_cannot_be_added(fokus: Fokus) -> None:
    from django.core.exceptions import ValidationError

    other = UserFactory.in_unit(fokus.sof_unit, role=Role.CASEWORKER, username="sof.medarbejder")
    with pytest.raises(ValidationError, match="hører ikke til"):
        services.respondent_add(actor=fokus.ombudsman, evaluation=fokus.bif, user=other)


def test_attachments_are_validated_and_served_only_to_those_who_may_see(
    fokus: Fokus, client: Client, media: Any
) -> None:
    # given
    upload = SimpleUploadedFile("årshjul.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    attachment = services.attachment_add(actor=fokus.bif_leader, evaluation=fokus.bif, upload=upload)
    url = reverse("evaluation_attachment", args=[fokus.bif.pk, attachment.pk])

    # then: the owner downloads it; another administration gets 404, also via a guessed pairing
    response = _login(client, fokus.bif_leader).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 demo"  # type: ignore[attr-defined]
    assert "attachment" in response["Content-Disposition"]
    client.logout()
    assert _login(client, fokus.sof_leader).get(url).status_code == 404
    guessed = reverse("evaluation_attachment", args=[fokus.sof.pk, attachment.pk])
    assert client.get(guessed).status_code == 404
    assert not str(attachment.file.name).endswith("årshjul.pdf")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("script.exe", b"MZ", "kan ikke vedhæftes"), ("tom.pdf", b"", "tom")],
)
def test_attachment_rules(fokus: Fokus, media: Any, name: str, content: bytes, message: str) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=message):
        services.attachment_add(
            actor=fokus.bif_leader, evaluation=fokus.bif, upload=SimpleUploadedFile(name, content)
        )
    assert not Attachment.objects.exists()


def test_attachment_too_large(fokus: Fokus, media: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.exceptions import ValidationError

    from sagsindsigt.evaluation.services import answers

    monkeypatch.setattr(answers, "MAX_ATTACHMENT_BYTES", 10)
    with pytest.raises(ValidationError, match="for stor"):
        services.attachment_add(
            actor=fokus.bif_leader, evaluation=fokus.bif, upload=SimpleUploadedFile("a.pdf", b"x" * 11)
        )


def test_no_attachment_after_submit(fokus: Fokus, media: Any) -> None:
    from django.core.exceptions import ValidationError

    answer_and_submit(fokus.bif, fokus.bif_leader)
    with pytest.raises(ValidationError, match="indsendt"):
        services.attachment_add(
            actor=fokus.bif_leader, evaluation=fokus.bif, upload=SimpleUploadedFile("a.pdf", b"%PDF")
        )


def test_pages_render_for_each_role(fokus: Fokus, client: Client) -> None:
    # given
    full_cycle(fokus.bif, fokus.bif_leader, fokus.ombudsman, BIF_2015)

    for user in (fokus.ombudsman, fokus.bif_leader, fokus.analyst, fokus.sysadmin, fokus.bif_unit_leader):
        _login(client, user)
        for url in (
            reverse("evaluation_home"),
            reverse("evaluation_round", args=[2015]),
            reverse("evaluation_history"),
            reverse("evaluation_detail", args=[fokus.bif.pk]),
            reverse("evaluation_scheme", args=[fokus.round.scheme_id]),
        ):
            assert client.get(url).status_code == 200, (user.username, url)
        client.logout()


def test_caseworker_has_no_fokus_pages(fokus: Fokus, client: Client) -> None:
    _login(client, fokus.caseworker)
    assert client.get(reverse("evaluation_home")).status_code == 403
    assert client.get(reverse("evaluation_detail", args=[fokus.bif.pk])).status_code == 404
    assert client.get(reverse("evaluation_round_create")).status_code == 403
