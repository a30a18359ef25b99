"""The FOKUS pages that drive the services: rounds, schemes, uploads, previous answers, navigation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sagsindsigt.evaluation import services
from sagsindsigt.evaluation.models import Answer, Attachment, Criterion, Evaluation, Round
from sagsindsigt.evaluation.tests.conftest import BIF_2015, Fokus
from sagsindsigt.evaluation.tests.helpers import full_cycle

pytestmark = pytest.mark.django_db


def test_ombudsman_creates_a_round_with_its_own_scheme_copy(fokus: Fokus, client: Client) -> None:
    # given
    client.force_login(fokus.ombudsman)
    administrations = [fokus.administrations[c].pk for c in ("BIF", "SOF")]

    # when
    response = client.post(
        reverse("evaluation_round_create"),
        {
            "year": "2017",
            "scheme": fokus.round.scheme_id,
            "administrations": administrations,
            "answer_deadline": "2017-10-31",
            "assessment_deadline": "2017-12-15",
        },
    )

    # then
    assert response.status_code == 302
    round_2017 = Round.objects.get(year=2017)
    assert round_2017.scheme_id not in (fokus.round.scheme_id, fokus.template.pk)
    assert round_2017.scheme.copied_from_id == fokus.round.scheme_id
    assert sorted(round_2017.evaluations.values_list("administration__code", flat=True)) == ["BIF", "SOF"]
    assert set(round_2017.evaluations.values_list("status", flat=True)) == {"invited"}


def test_round_form_rejects_deadlines_in_the_wrong_order(fokus: Fokus, client: Client) -> None:
    client.force_login(fokus.ombudsman)
    response = client.post(
        reverse("evaluation_round_create"),
        {
            "year": "2017",
            "scheme": fokus.template.pk,
            "administrations": [fokus.administrations["BIF"].pk],
            "answer_deadline": "2017-10-31",
            "assessment_deadline": "2017-01-01",
        },
    )
    assert response.status_code == 200
    assert "kan ikke ligge før svarfristen" in response.content.decode()
    assert not Round.objects.filter(year=2017).exists()


@pytest.mark.parametrize("who", ["bif_leader", "analyst"])
def test_only_the_ombudsman_creates_rounds_and_edits_schemes(fokus: Fokus, client: Client, who: str) -> None:
    client.force_login(getattr(fokus, who))
    criterion = fokus.criterion(1)
    assert client.get(reverse("evaluation_round_create")).status_code == 403
    assert (
        client.post(reverse("evaluation_criterion_edit", args=[criterion.pk]), {"text": "X"}).status_code
        == 403
    )
    assert Criterion.objects.get(pk=criterion.pk).text != "X"


def test_ombudsman_edits_criterion_and_determining_criterion(fokus: Fokus, client: Client) -> None:
    # given
    client.force_login(fokus.ombudsman)
    d = fokus.round.scheme.main_criteria.get(letter="D")
    six = d.criteria.get(number=6)

    # when
    client.post(reverse("evaluation_criterion_edit", args=[six.pk]), {"text": "Har forvaltningen mål?"})
    client.post(
        reverse("evaluation_main_criterion_edit", args=[d.pk]), {"title": d.title, "determining": six.pk}
    )

    # then
    six.refresh_from_db()
    assert six.text == "Har forvaltningen mål?" and six.determining
    assert not d.criteria.get(number=7).determining
    assert fokus.template.criteria.get(number=7).determining


def test_upload_through_the_form(fokus: Fokus, client: Client, settings: Any, tmp_path: Any) -> None:
    # given
    settings.MEDIA_ROOT = tmp_path
    client.force_login(fokus.bif_leader)
    criterion = fokus.criterion(1)

    # when
    response = client.post(
        reverse("evaluation_attachment_upload", args=[fokus.bif.pk]),
        {
            "file": SimpleUploadedFile("enheder.xlsx", b"PK\x03\x04 demo"),
            "criterion": criterion.pk,
            "description": "Liste over enheder",
        },
    )

    # then
    assert response.status_code == 302
    attachment = Attachment.objects.get(evaluation=fokus.bif)
    assert (attachment.original_name, attachment.criterion_id, attachment.size) == (
        "enheder.xlsx",
        criterion.pk,
        len(b"PK\x03\x04 demo"),
    )
    page = client.get(reverse("evaluation_detail", args=[fokus.bif.pk])).content.decode()
    assert "enheder.xlsx" in page
    client.post(reverse("evaluation_attachment_remove", args=[fokus.bif.pk, attachment.pk]))
    assert not Attachment.objects.exists()


def test_previous_answers_button(fokus: Fokus, client: Client) -> None:
    # given: BIF published in 2015 and invited to 2017
    full_cycle(fokus.bif, fokus.bif_leader, fokus.ombudsman, BIF_2015)
    round_2017 = services.round_create(
        actor=fokus.ombudsman,
        year=2017,
        scheme=fokus.round.scheme,
        administrations=[fokus.administrations["BIF"]],
        answer_deadline=date(2017, 10, 31),
    )
    new = Evaluation.objects.get(round=round_2017)
    client.force_login(fokus.bif_leader)

    # when
    response = client.post(reverse("evaluation_copy_previous", args=[new.pk]), follow=True)

    # then
    assert "15 svar fra forrige runde" in response.content.decode()
    assert Answer.objects.filter(evaluation=new).count() == 15


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("ombudsman", True),
        ("bif_leader", True),
        ("analyst", True),
        ("bif_unit_leader", True),
        ("caseworker", False),
    ],
)
def test_navigation_shows_evaluation_to_those_who_may_see_it(
    fokus: Fokus, client: Client, who: str, shown: bool
) -> None:
    client.force_login(getattr(fokus, who))
    page = client.get(reverse("overview")).content.decode()
    assert (reverse("evaluation_home") in page) is shown


def test_explicit_respondent_gets_the_navigation_item(fokus: Fokus, client: Client) -> None:
    services.respondent_add(actor=fokus.ombudsman, evaluation=fokus.bif, user=fokus.caseworker)
    client.force_login(fokus.caseworker)
    assert reverse("evaluation_home") in client.get(reverse("overview")).content.decode()
    assert client.get(reverse("evaluation_detail", args=[fokus.bif.pk])).status_code == 200
