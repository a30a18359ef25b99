"""In real Chromium: log in, open the overview, drill down to a unit, register a complaint with two points."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from sagsindsigt.common.tests.browser import log_in_as
from sagsindsigt.complaints.models import Complaint, ComplaintTheme
from sagsindsigt.conftest import Mini

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_log_in_drill_down_and_register_complaint(mini: Mini, live_server: Any, page: Any) -> None:
    # given
    mini.analyst.set_password("analytiker-kodeord")
    mini.analyst.save(update_fields=["password"])
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    # when: log in
    page.goto(f"{live_server.url}/")
    page.get_by_label("Brugernavn").fill("analytiker")
    page.get_by_label("Adgangskode").fill("analytiker-kodeord")
    page.get_by_role("button", name="Log ind").click()

    # then: the overview, switched to 2024 with the period picker (htmx swaps the page in place)
    page.get_by_role("heading", name="Overblik over sagsbehandlingen").wait_for()
    page.get_by_label("Fra").fill("2024-01-01")
    page.get_by_label("Til").fill("2024-12-31")
    page.get_by_role("button", name="Vis", exact=True).click()
    page.wait_for_url("**til=2024-12-31**")
    table = page.locator("table.figures")
    assert "1.013" in table.locator("tfoot").inner_text()
    assert "18,9 %" in table.locator("tfoot").inner_text()
    # BIF's own reversal rate is hidden (secondary suppression): the page explains the symbol and the word
    assert "18,6 %" not in table.inner_text()
    legend = page.locator("dl.suppression-legend").first
    assert "•" in legend.inner_text() and "ville afsløre et lille tal" in legend.inner_text()

    # drill down: administration → centre → unit
    page.get_by_role("link", name="SOF – Socialforvaltningen", exact=True).click()
    page.get_by_role("heading", name="SOF – Socialforvaltningen").wait_for()
    page.get_by_role("link", name="Center for Handicap", exact=True).click()
    page.get_by_role("heading", name="Center for Handicap").wait_for()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Hjælpemidler", exact=True))
    # 5 received, hidden to protect BUF's 2 (SOF's total would give them away with the municipality's)
    assert row.locator('[data-col="received"]').inner_text() == "•"
    page.get_by_role("link", name="Hjælpemidler", exact=True).click()
    page.get_by_role("heading", name="Hjælpemidler").wait_for()

    # register a complaint with two points
    page.get_by_role("link", name="Registrér klage").click()
    page.get_by_label("Enhed").select_option(label="SOF · Hjælpemidler")
    page.get_by_label("Formalitetsklage").check()
    page.get_by_label("Modtaget", exact=False).first.fill("2024-10-01")
    themes = page.get_by_label("Tema")
    outcomes = page.get_by_label("Udfald")
    themes.nth(0).select_option(label="T01 Lang sagsbehandlingstid / svartid")
    outcomes.nth(0).select_option(label="Medhold")
    themes.nth(1).select_option(label="T04 Partshøring")
    outcomes.nth(1).select_option(label="Delvist medhold")
    page.get_by_role("button", name="Gem klagen").click()

    # then
    page.get_by_text("Klagen er registreret med 2 klagepunkter.").wait_for()
    complaint = Complaint.objects.get(received_date="2024-10-01")
    assert sorted(complaint.points.values_list("theme__code", "outcome")) == [
        ("T01", "upheld"),
        ("T04", "partly"),
    ]
    assert complaint.unit == mini.sof_a
    assert problems == []


def test_period_change_draws_funnel_and_control_chart_and_downloads_xlsx(
    counted_months: Mini, live_server: Any, page: Any
) -> None:
    # given a leader of SOF, logged in, on the administration page with the deadline share chosen
    mini = counted_months
    mini.sof_leader.set_password("leder-kodeord")
    mini.sof_leader.save(update_fields=["password"])
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{live_server.url}/")
    page.get_by_label("Brugernavn").fill("leder.sof")
    page.get_by_label("Adgangskode").fill("leder-kodeord")
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("link", name="SOF – Socialforvaltningen", exact=True).click()
    page.get_by_role("heading", name="SOF – Socialforvaltningen").wait_for()
    page.get_by_label("Nøgletal").select_option(label="Afgjort inden for den vejledende frist")
    page.get_by_role("button", name="Vis nøgletal").click()
    page.wait_for_url("**maal=within_deadline_share**")

    # when the period is changed to 2024 (htmx swaps the page in place)
    page.get_by_label("Fra").fill("2024-01-01")
    page.get_by_label("Til").fill("2024-12-31")
    page.get_by_role("button", name="Vis", exact=True).click()
    page.wait_for_url("**til=2024-12-31**")

    # then the funnel plot and the control chart are drawn as SVG, beside their tables
    funnel = page.locator('[data-vega-spec="tragt-spec"][data-rendered="true"]')
    chart = page.locator('[data-vega-spec="kontrol-spec"][data-rendered="true"]')
    funnel.wait_for()
    chart.wait_for()
    assert funnel.locator("svg").count() == 1 and chart.locator("svg").count() == 1
    assert "Center for Handicap" in page.get_by_role("table", name="Tallene bag tragtdiagrammet").inner_text()
    assert "feb 2024" in page.get_by_role("table", name="Tallene bag kontroldiagrammet").inner_text()

    # and the page's table downloads as XLSX with the figures shown on the page
    with page.expect_download() as download_info:
        page.locator("p.downloads").first.get_by_role("link", name="Excel (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename == "forvaltning-SOF-tal.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0].startswith("SOF – Socialforvaltningen, 01-01-2024 – 31-12-2024")
    centre = next(r for r in rows if r[0] == "Center for Handicap")
    on_page = page.locator("table.figures").get_by_role("row").filter(has_text="Center for Handicap")
    cells = [c.replace(".", "") for c in on_page.locator("td").all_inner_texts()]
    assert [str(c) for c in centre[1:3]] == cells[0:2] and centre[1] == 586
    assert problems == []


def test_keyboard_from_a_funnel_point_to_a_month_to_its_cases(
    bif_year: Mini, live_server: Any, page: Any
) -> None:
    mini = bif_year
    # given the analyst on the overview for 2024, share decided within the deadline
    log_in_as(page, live_server.url, mini.analyst, "analytiker-kodeord")
    page.goto(f"{live_server.url}/?fra=2024-01-01&til=2024-12-31&maal=within_deadline_share")
    page.locator('#tragt [data-rendered="true"]').wait_for()
    page.locator('#kontrol [data-rendered="true"]').wait_for()
    # then every drawn month has a hover text, and a month the table hides has none
    titles = page.locator("#kontrol svg title").all_text_contents()
    assert any(t.startswith("jan 2024: ") for t in titles)
    assert not any(t.startswith("apr 2024") for t in titles)  # two cases: held back in the table too

    # when BIF's point in the funnel is reached with Tab and followed with Enter
    point = page.locator("#tragt").get_by_role("link", name=re.compile("^BIF – "))
    page.locator("#id_maal").focus()
    for _ in range(20):
        page.keyboard.press("Tab")
        if point.evaluate("el => el === document.activeElement"):
            break
    assert point.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")

    # then BIF's page for the same period and metric; its trend chart's March leads to March
    page.get_by_role("heading", name="BIF – Beskæftigelses- og Integrationsforvaltningen").wait_for()
    assert "maal=within_deadline_share" in page.url and "til=2024-12-31" in page.url
    page.locator('#udvikling [data-rendered="true"]').wait_for()
    march = page.locator("#udvikling").get_by_role(
        "link", name=re.compile("^BIF – Beskæftigelses- og Integrationsforvaltningen, mar 2024: ")
    )
    march.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**fra=2024-03-01&til=2024-03-31**")
    page.get_by_role("heading", name="BIF – Beskæftigelses- og Integrationsforvaltningen").wait_for()

    # and from there to the case list, filtered to BIF and the cases received in March
    page.get_by_role("link", name="Se sagerne bag tallene").click()
    page.get_by_role("heading", name="Sager").wait_for()
    assert page.get_by_label("Forvaltning").input_value() == str(mini.bif.pk)
    assert page.get_by_label("Modtaget fra").input_value() == "2024-03-01"
    assert page.get_by_label("Modtaget til").input_value() == "2024-03-31"


@pytest.mark.parametrize("width", [390, 1366])
def test_no_page_is_wider_than_the_screen_and_no_table_is_cut_off(
    mini: Mini, live_server: Any, page: Any, width: int
) -> None:
    # given the analyst on a phone (390 px) or a laptop (1366 px)
    log_in_as(page, live_server.url, mini.analyst, "analytiker-kodeord")
    page.set_viewport_size({"width": width, "height": 900})
    urls = [
        reverse("overview"),
        reverse("administration", args=[mini.bif.pk]),
        reverse("administration", args=[mini.sof.pk]),
        reverse("unit", args=[mini.sof_centre.pk]),
        reverse("case_area", args=[mini.ct_wd.case_area_id]),
        reverse("theme", args=[ComplaintTheme.objects.get(code="T01").pk]),
        reverse("targets"),
        reverse("target_create"),
        reverse("case_list"),
        reverse("complaint_list"),
        reverse("complaint_create"),
    ]
    for url in urls:
        # when
        page.goto(f"{live_server.url}{url}?fra=2024-01-01&til=2024-12-31")
        for chart in page.locator("[data-vega-spec]").all():
            chart.and_(page.locator("[data-rendered]")).wait_for()
        # then the page is no wider than the screen: wide tables scroll inside their own region
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (width, url)
        for region in page.locator(".table-wrap").all():
            assert region.get_attribute("role") == "region", url
            assert region.get_attribute("tabindex") == "0", url
            labelled = region.get_attribute("aria-labelledby")
            assert region.get_attribute("aria-label") or (
                labelled and page.locator(f"#{labelled}").inner_text()
            ), url
        # and on a laptop the dashboards' tables fit whole: nothing is cut off at the last column
        if width == 1366 and page.locator("table.figures").count():
            wide = page.evaluate(
                "() => Array.from(document.querySelectorAll('.table-wrap'))"
                ".filter(r => r.scrollWidth > r.clientWidth).map(r => r.getAttribute('aria-labelledby'))"
            )
            assert wide == [], url


def test_save_the_filters_as_a_view_and_reopen_it(mini: Mini, live_server: Any, page: Any) -> None:
    # given a leader of SOF on the administration page for 2024 with the deadline share chosen
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    log_in_as(page, live_server.url, mini.sof_leader, "leder-kodeord")
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="SOF – Socialforvaltningen").click()
    page.get_by_role("heading", name="SOF – Socialforvaltningen").wait_for()
    page.get_by_label("Nøgletal").select_option(label="Afgjort inden for den vejledende frist")
    page.get_by_role("button", name="Vis nøgletal").click()
    page.wait_for_url("**maal=within_deadline_share**")
    page.get_by_label("Fra").fill("2024-01-01")
    page.get_by_label("Til").fill("2024-12-31")
    page.get_by_role("button", name="Vis", exact=True).click()
    page.wait_for_url("**til=2024-12-31**")
    shown = page.locator("table.figures tfoot").inner_text()

    # when the filters are saved under a name, with the keyboard-reachable disclosure
    page.get_by_text("Gem som visning").click()
    form = page.get_by_role("form", name="Gem filtrene som visning")
    form.get_by_label("Navn på visningen").fill("SOF i 2024")
    form.get_by_label("Visningens periode").select_option(label="Fast periode (01-01-2024 – 31-12-2024)")
    form.get_by_label("Send mig tallene hver måned").check()
    form.get_by_role("button", name="Gem visningen").click()

    # then the saved view opens on the same page with the same figures
    page.get_by_text("Visningen «SOF i 2024» er gemt under Mine visninger.").wait_for()
    page.get_by_role("heading", name="SOF – Socialforvaltningen").wait_for()
    assert page.locator("table.figures tfoot").inner_text() == shown

    # and, from the menu, "Mine visninger" lists it and reopens it
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Mine visninger").click()
    page.get_by_role("heading", name="Mine visninger").wait_for()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="SOF i 2024", exact=True))
    assert "01-01-2024 – 31-12-2024" in row.inner_text() and "Ja" in row.inner_text()
    row.get_by_role("link", name="SOF i 2024", exact=True).click()
    page.wait_for_url("**fra=2024-01-01&til=2024-12-31&maal=within_deadline_share")
    assert page.get_by_label("Nøgletal").input_value() == "within_deadline_share"
    assert page.locator("table.figures tfoot").inner_text() == shown

    # rename it, then delete it
    page.goto(f"{live_server.url}/visninger/")
    page.get_by_role("link", name="Omdøb eller ret «SOF i 2024»").click()
    page.get_by_label("Navn").fill("Socialforvaltningen 2024")
    page.get_by_role("button", name="Gem", exact=True).click()
    page.get_by_role("link", name="Socialforvaltningen 2024", exact=True).wait_for()
    page.get_by_role("button", name="Slet «Socialforvaltningen 2024»").click()
    page.get_by_text("Du har ingen gemte visninger endnu.").wait_for()
    assert problems == []
