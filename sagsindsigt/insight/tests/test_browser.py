"""In real Chromium: log in, open the overview, drill down to a unit, register a complaint with two points."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from sagsindsigt.complaints.models import Complaint
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
    page.get_by_role("link", name="SOF – Socialforvaltningen").click()
    page.get_by_role("heading", name="SOF – Socialforvaltningen").wait_for()
    page.get_by_role("link", name="Center for Handicap").click()
    page.get_by_role("heading", name="Center for Handicap").wait_for()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Hjælpemidler"))
    # 5 received, hidden to protect BUF's 2 (SOF's total would give them away with the municipality's)
    assert row.locator('[data-col="received"]').inner_text() == "•"
    page.get_by_role("link", name="Hjælpemidler").click()
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
    page.get_by_role("link", name="SOF – Socialforvaltningen").click()
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


def test_save_the_filters_as_a_view_and_reopen_it(mini: Mini, live_server: Any, page: Any) -> None:
    # given a leader of SOF on the administration page for 2024 with the deadline share chosen
    mini.sof_leader.set_password("leder-kodeord")
    mini.sof_leader.save(update_fields=["password"])
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"{live_server.url}/")
    page.get_by_label("Brugernavn").fill("leder.sof")
    page.get_by_label("Adgangskode").fill("leder-kodeord")
    page.get_by_role("button", name="Log ind").click()
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
