"""Final FOKUS actions ask first (also without JavaScript), and the page says what publishing waits for."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sagsindsigt.common.confirm import CONFIRM_FIELD, CONFIRM_VALUE
from sagsindsigt.evaluation import services, workflow
from sagsindsigt.evaluation.models import Criterion, EvaluationStatus
from sagsindsigt.evaluation.tests.conftest import Fokus
from sagsindsigt.evaluation.tests.helpers import answer_and_submit, assess

CONFIRMED = {CONFIRM_FIELD: CONFIRM_VALUE}


@pytest.mark.parametrize(
    ("status", "has_overall", "missing"),
    [
        (workflow.SUBMITTED, False, []),
        (workflow.ASSESSED, False, [workflow.MISSING_FOLLOW_UP, workflow.MISSING_OVERALL_ASSESSMENT]),
        (workflow.ASSESSED, True, [workflow.MISSING_FOLLOW_UP]),
        (workflow.FOLLOW_UP, False, [workflow.MISSING_OVERALL_ASSESSMENT]),
        (workflow.FOLLOW_UP, True, []),
        (workflow.PUBLISHED, True, []),
    ],
)
def test_publish_missing(status: str, has_overall: bool, missing: list[str]) -> None:
    assert workflow.publish_missing(status, has_overall_assessment=has_overall) == missing


def _detail(client: Client, fokus: Fokus) -> str:
    return client.get(reverse("evaluation_detail", args=[fokus.bif.pk])).content.decode()


def test_after_marking_assessed_the_page_says_what_publishing_waits_for(fokus: Fokus, client: Client) -> None:
    # given an assessed evaluation without conclusions or follow-up notes
    answer_and_submit(fokus.bif, fokus.bif_leader)
    assess(fokus.bif, fokus.ombudsman, {1: 5})
    services.evaluation_mark_assessed(actor=fokus.ombudsman, evaluation=fokus.bif)
    client.force_login(fokus.ombudsman)
    follow_up_url = reverse("evaluation_follow_up", args=[fokus.bif.pk])
    # then where the publish button would be, the page names both missing steps, linked
    page = _detail(client, fokus)
    assert "Den endelige rapport kan offentliggøres, når du har:" in page
    assert f'<a href="{follow_up_url}">gemt noterne fra opfølgningsmødet</a>' in page
    assert "skrevet den samlede vurdering" in page
    assert "Offentliggør den endelige rapport" not in page
    # when the notes are saved, only the overall assessment is missing
    services.follow_up_record(
        actor=fokus.ombudsman, evaluation=fokus.bif, meeting_date=timezone.localdate(), notes="Holdt."
    )
    page = _detail(client, fokus)
    assert "gemt noterne fra opfølgningsmødet" not in page and "skrevet den samlede vurdering" in page
    # and with the conclusions written, the button is there and the hint is gone
    services.conclusions_set(
        actor=fokus.ombudsman, evaluation=fokus.bif, overall_assessment="God.", recommendations=""
    )
    page = _detail(client, fokus)
    assert "Den endelige rapport kan offentliggøres, når du har" not in page
    assert "Offentliggør den endelige rapport" in page


def test_submit_and_publish_ask_first_without_javascript(fokus: Fokus, client: Client) -> None:
    # given an answered questionnaire
    criteria = Criterion.objects.filter(scheme_id=fokus.bif.round.scheme_id)
    services.answers_save(
        actor=fokus.bif_leader, evaluation=fokus.bif, criteria={c.pk: "Svar." for c in criteria}
    )
    answer_and_submit(fokus.sof, fokus.sof_leader)
    client.force_login(fokus.bif_leader)
    url = reverse("evaluation_submit", args=[fokus.bif.pk])
    # when the respondent posts without confirming (the button, with JavaScript off)
    asked = client.post(url)
    # then a page asks, says what will happen, and nothing happened
    fokus.bif.refresh_from_db()
    assert asked.status_code == 200
    assert fokus.bif.status != EvaluationStatus.SUBMITTED
    text = asked.content.decode()
    assert "Indsend besvarelsen?" in text and "ikke længere ændre svarene eller bilagene" in text
    assert f'name="{CONFIRM_FIELD}" value="{CONFIRM_VALUE}"' in text
    # and the confirmed post submits
    assert client.post(url, CONFIRMED).status_code == 302
    fokus.bif.refresh_from_db()
    assert fokus.bif.status == EvaluationStatus.SUBMITTED
    # publishing asks the same way
    sof = fokus.sof
    assess(sof, fokus.ombudsman, {1: 5})
    services.conclusions_set(
        actor=fokus.ombudsman, evaluation=sof, overall_assessment="God.", recommendations=""
    )
    services.evaluation_mark_assessed(actor=fokus.ombudsman, evaluation=sof)
    services.follow_up_record(
        actor=fokus.ombudsman, evaluation=sof, meeting_date=timezone.localdate(), notes=""
    )
    client.force_login(fokus.ombudsman)
    publish = reverse("evaluation_publish", args=[sof.pk])
    assert "Offentliggør den endelige rapport?" in client.post(publish).content.decode()
    sof.refresh_from_db()
    assert sof.status == EvaluationStatus.FOLLOW_UP
    client.post(publish, CONFIRMED)
    sof.refresh_from_db()
    assert sof.status == EvaluationStatus.PUBLISHED
