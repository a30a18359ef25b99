"""In real Chromium: BIF answers and submits; the ombudsman assesses and publishes; the matrix shows it."""

from __future__ import annotations

from typing import Any

import pytest

from sagsindsigt.common.tests.browser import log_in
from sagsindsigt.evaluation.models import Answer, Criterion, EvaluationStatus
from sagsindsigt.evaluation.services import answers_save
from sagsindsigt.evaluation.tests.conftest import BIF_2015, Fokus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The ombudsman's categories in this test: BIF 2015, except criterion 1 → 2 (A red) and 7 → 3 (D yellow).
CATEGORIES = {**BIF_2015, 1: 2, 7: 3}


def test_answer_submit_assess_publish_and_see_the_matrix(
    fokus: Fokus, live_server: Any, browser_page: Any
) -> None:
    page = browser_page
    # given
    for user in (fokus.bif_leader, fokus.ombudsman):
        user.set_password("fokus-kodeord-2015")
        user.save(update_fields=["password"])
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    base = live_server.url

    # when: the BIF respondent answers every question and submits
    log_in(page, base, "leder.bif", "fokus-kodeord-2015")
    page.get_by_role("link", name="Evaluering").click()
    page.get_by_role("link", name="FOKUS 2015 · Beskæftigelses- og Integrationsforvaltningen").click()
    page.get_by_role("link", name="Besvar spørgeskemaet").click()
    page.get_by_label("Jobcenter København").check()
    areas = page.locator("textarea")
    for i in range(areas.count()):
        areas.nth(i).fill(f"Forvaltningens svar nr. {i + 1}.")
    page.get_by_label("Spørgsmål 1.3", exact=False).fill(
        "136.856 kontaktforløb fra oktober 2014 til september 2015."
    )
    page.get_by_role("button", name="Gem svarene").click()
    page.get_by_text("Svarene er gemt.").wait_for()
    page.get_by_role("button", name="Indsend besvarelsen").click()
    page.get_by_role("dialog").get_by_role("button", name="Ja, indsend besvarelsen").click()
    page.get_by_text("Besvarelsen er indsendt til Borgerrådgiveren").wait_for()
    assert page.get_by_role("link", name="Besvar spørgeskemaet").count() == 0
    page.get_by_role("button", name="Log ud").click()

    # and the ombudsman assesses, records the follow-up meeting and publishes
    log_in(page, base, "borgerraadgiver", "fokus-kodeord-2015")
    page.goto(f"{base}/evaluering/{fokus.bif.pk}/")
    page.get_by_role("link", name="Vurder besvarelsen").click()
    for number, category in CATEGORIES.items():
        page.get_by_label(f"Kategori for kriterium {number}", exact=True).select_option(str(category))
    page.get_by_label("Borgerrådgiverens bemærkninger til D").fill(
        "Beslutningerne om, hvordan målene nås, er delvise."
    )
    page.get_by_label("Samlet vurdering").fill("Forvaltningen har stort fokus på kvalitetsniveauet.")
    page.get_by_role("button", name="Gem vurderingen").click()
    page.get_by_text("Vurderingen er gemt.").wait_for()
    page.get_by_role("button", name="Markér som vurderet").click()
    page.get_by_text("Evalueringen er markeret som vurderet.").wait_for()
    page.get_by_role("link", name="Noter fra opfølgningsmødet").click()
    page.get_by_label("Dato for opfølgningsmødet").fill("2015-12-08")
    page.get_by_label("Noter fra mødet").fill("Sekretariatet er bevidst udeladt.")
    page.get_by_role("button", name="Gem noterne").click()
    page.get_by_role("button", name="Offentliggør den endelige rapport").click()
    page.get_by_role("dialog").get_by_role("button", name="Ja, offentliggør rapporten").click()
    page.get_by_text("Den endelige rapport er offentliggjort.").wait_for()

    # then: the side-by-side matrix shows BIF's new colours as words; others are blank
    page.get_by_role("link", name="FOKUS 2015").first.click()
    matrix = page.locator("table.fokus-matrix")
    matrix.wait_for()
    bif_column = [
        matrix.locator(f'tr[data-letter="{letter}"] td[data-admin="BIF"]').inner_text().strip()
        for letter in "ABCDEFG"
    ]
    assert bif_column == ["Rød", "Grøn", "Grøn", "Gul", "Grøn", "Grøn", "Grøn"]
    assert matrix.locator('tr[data-letter="D"] td[data-admin="BIF"] .fokus-yellow').count() == 1
    blank = matrix.locator('tr[data-letter="A"] td').nth(0)  # ØKF: not answered, not published
    assert "Ingen klassifikation" in blank.inner_text()
    assert blank.locator(".fokus").count() == 0
    fokus.bif.refresh_from_db()
    assert fokus.bif.status == EvaluationStatus.PUBLISHED
    assert Answer.objects.get(evaluation=fokus.bif, sub_question__code="1.3").text.startswith("136.856")
    assert list(fokus.bif.units.values_list("code", flat=True)) == ["BIF-JC"]
    assert problems == []


def test_submitting_asks_in_a_dialog_that_says_what_will_happen(
    fokus: Fokus, live_server: Any, browser_page: Any
) -> None:
    page = browser_page
    # given BIF's answered questionnaire
    fokus.bif_leader.set_password("fokus-kodeord-2015")
    fokus.bif_leader.save(update_fields=["password"])
    criteria = Criterion.objects.filter(scheme_id=fokus.bif.round.scheme_id)
    answers_save(actor=fokus.bif_leader, evaluation=fokus.bif, criteria={c.pk: "Svar." for c in criteria})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    log_in(page, live_server.url, "leder.bif", "fokus-kodeord-2015")
    page.goto(f"{live_server.url}/evaluering/{fokus.bif.pk}/")
    submit = page.get_by_role("button", name="Indsend besvarelsen")
    dialog = page.get_by_role("dialog", name="Indsend besvarelsen?")
    assert page.get_by_role("dialog", include_hidden=True).count() == 1 and dialog.count() == 0

    # when the button is pressed, a modal dialog asks and says what will happen; focus is on "Fortryd"
    submit.click()
    dialog.wait_for(state="visible")
    assert (
        "kan Beskæftigelses- og Integrationsforvaltningen ikke længere ændre svarene" in dialog.inner_text()
    )
    assert page.evaluate("document.activeElement.textContent") == "Fortryd"
    # then "Fortryd" closes it, focus returns to the button, and nothing was submitted
    dialog.get_by_role("button", name="Fortryd").click()
    dialog.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.textContent") == "Indsend besvarelsen"
    fokus.bif.refresh_from_db()
    assert fokus.bif.status != EvaluationStatus.SUBMITTED
    # and so does Escape (from the keyboard: Enter on the focused button opens it)
    page.keyboard.press("Enter")
    dialog.wait_for(state="visible")
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    fokus.bif.refresh_from_db()
    assert fokus.bif.status != EvaluationStatus.SUBMITTED
    assert page.get_by_text("Besvarelsen er indsendt til Borgerrådgiveren").count() == 0

    # when confirmed, it is submitted
    submit.click()
    dialog.get_by_role("button", name="Ja, indsend besvarelsen").click()
    page.get_by_text("Besvarelsen er indsendt til Borgerrådgiveren").wait_for()
    fokus.bif.refresh_from_db()
    assert fokus.bif.status == EvaluationStatus.SUBMITTED
    assert problems == []
