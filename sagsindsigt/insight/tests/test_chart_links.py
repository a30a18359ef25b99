"""Charts a leader can use: hover texts and links on every point, the trend chart with last year beside
this one, and the way from a point to the case list, never past what the user may open or see."""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from sagsindsigt.common.periods import months_between
from sagsindsigt.conftest import Mini
from sagsindsigt.insight.dashboards.analysis import control, month_label
from sagsindsigt.insight.dashboards.panels import TrendPart, trend
from sagsindsigt.insight.metrics.figures import Figures
from sagsindsigt.insight.metrics.registry import METRICS, Context

Y2024 = "fra=2024-01-01&til=2024-12-31"
SHARE = "within_deadline_share"


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_funnel_points_link_to_their_administrations_page_in_the_period(
    client: Client, bif_year: Mini
) -> None:
    # given
    client.force_login(bif_year.analyst)
    # when
    page = client.get(f"{reverse('overview')}?{Y2024}&maal={SHARE}")
    # then BIF's point leads to BIF's page with the period and metric, and says what it is
    analysis = page.context["analysis"]
    points = analysis.funnel_spec["datasets"]["units"]
    bif = next(p for p in points if p["unit"].startswith("BIF"))
    assert urlsplit(bif["href"]).path == reverse("administration", args=[bif_year.bif.pk])
    assert _query(bif["href"]) == {"fra": ["2024-01-01"], "til": ["2024-12-31"], "maal": [SHARE]}
    row = next(r for r in analysis.funnel.rows if r.label == bif["unit"])
    value, volume = f"{row.value:.1f}".replace(".", ","), str(row.volume)
    assert bif["tip"].startswith(f"BIF – Beskæftigelses- og Integrationsforvaltningen: {value} ")
    volume_label = analysis.metric.volume_label
    assert "95 %-grænser" in bif["tip"] and f"{volume_label}: {volume}" in bif["tip"]
    # and the held-back administrations have no point at all
    assert [p["unit"] for p in points] == [bif["unit"]]


def test_control_chart_months_link_to_the_page_for_that_month_and_hidden_months_to_nothing(
    client: Client, bif_year: Mini
) -> None:
    # given
    client.force_login(bif_year.analyst)
    # when
    page = client.get(f"{reverse('overview')}?{Y2024}&maal={SHARE}")
    # then January, shown in the table, is a point that leads to the overview for January
    analysis = page.context["analysis"]
    values = {v["period"]: v for v in analysis.control_spec["datasets"]["values"]}
    table = {r.label: r for r in analysis.control.rows}
    assert table["jan 2024"].value is not None
    january = values["jan 2024"]
    assert urlsplit(january["href"]).path == reverse("overview")
    assert _query(january["href"]) == {"fra": ["2024-01-01"], "til": ["2024-01-31"], "maal": [SHARE]}
    assert january["tip"].startswith("jan 2024: ") and "kontrolgrænser" in january["tip"]
    # and a month the table hides (April: SOF's two cases) is not drawn: no point, hover text or link
    assert table["apr 2024"].value is None
    assert "apr 2024" not in values and "apr 2024" not in json.dumps(analysis.control_spec)
    assert all(v["tip"] and v["href"] for v in values.values())


def test_trend_plots_only_what_the_control_tables_show_and_last_year_dashed() -> None:
    # given two years of 1,000 decisions a month, and a unit whose March 2025 has 3 complaints
    rate = METRICS["complaints_per_1000"]
    history = list(months_between(date(2024, 1, 1), date(2025, 12, 1)))
    months = history[12:]
    everything = {m: Figures(complaints=20 if m.year == 2025 else 10, decided=1000) for m in history}
    everything[date(2024, 4, 1)] = Figures(complaints=2, decided=1000)
    unit = {m: Figures(complaints=3 if m.month == 3 else 8, decided=400) for m in months}
    del unit[months[5]]  # nothing recorded in June
    scope_chart = control(rate, history, everything, Context(), threshold=5, period_months=set(months))
    # when
    found = trend(
        rate,
        scope="SOF",
        months=months,
        scope_chart=scope_chart,
        ctx=Context(),
        month_link=lambda m: f"/?m={m:%Y-%m}",
        parts=[TrendPart("Hjælpemidler", unit, lambda m: f"/enhed/1/?m={m:%Y-%m}")],
    )
    # then the scope, the same months a year before (dashed, same colour) and the unit
    assert found is not None
    scope, last_year, part = found.lines
    assert scope.values[0] == pytest.approx(20.0) and scope.links[0] == "/?m=2025-01"
    assert last_year.last_year and last_year.months[0] == date(2024, 1, 1)
    assert last_year.values[1] == pytest.approx(10.0) and last_year.links[1] == "/?m=2024-02"
    # the scope's lines are the page's control-chart table: April 2024 is hidden there and here
    shown = {r.month: r.value for r in scope_chart.rows}
    assert shown[date(2024, 4, 1)] is None and (last_year.values[3], last_year.held[3]) == (None, True)
    assert list(last_year.values) == [shown.get(m) for m in last_year.months]
    # the unit's March is held back as its own control-chart table would; June has no data
    assert (part.values[2], part.held[2], part.cell(2)) == (None, True, "–")
    assert (part.values[5], part.held[5], part.cell(5)) == (None, False, "ingen data")
    # (a second month is hidden too, so the months' total cannot give March back; the rest are drawn)
    drawn = [i for i, v in enumerate(part.values) if v is not None]
    assert len(drawn) == 9 and part.cell(drawn[0]) == "20,0"
    assert part.links[drawn[0]] == f"/enhed/1/?m={months[drawn[0]]:%Y-%m}"
    rows = {(r["series"], r["period"]): r for r in found.spec["datasets"]["values"]}
    march = rows[("Hjælpemidler", "mar 2025")]
    assert (march["value"], march["tip"], march["href"]) == (None, None, None)
    first = month_label(months[drawn[0]])
    assert rows[("Hjælpemidler", first)]["tip"] == f"Hjælpemidler, {first}: 20,0 pr. 1.000 afgjorte sager"
    assert rows[("SOF, året før", "apr 2025")]["tip"] is None
    assert rows[("SOF, året før", "feb 2025")]["dash"] == "Samme periode sidste år"
    assert rows[("SOF, året før", "feb 2025")]["tip"].startswith("SOF, året før, feb 2024: 10,0")
    layer = found.spec["layer"][0]["encoding"]
    assert layer["color"]["scale"]["range"][0] == layer["color"]["scale"]["range"][1]
    # and the Danish summary names the lines and the months left out, and the table has every line
    description = found.spec["description"]
    assert "SOF, året før (stiplet)" in description and "måneder uden tal" in description
    header, table = found.table()
    assert header[:2] == ["Linje", "jan 2025"]
    assert [r[0] for r in table] == ["SOF", "SOF, året før", "Hjælpemidler"]
    assert table[2][3] == "–"


def test_administration_trend_has_the_scope_last_year_and_the_largest_units(
    client: Client, bif_year: Mini
) -> None:
    # given
    mini = bif_year
    client.force_login(mini.analyst)
    # when
    page = client.get(f"{reverse('administration', args=[mini.sof.pk])}?{Y2024}&maal=received")
    # then
    found = page.context["analysis"].trend
    assert [line.name for line in found.lines] == [
        "SOF – Socialforvaltningen",
        "SOF – Socialforvaltningen, året før",
        "Center for Handicap",
    ]
    assert found.months[0] == date(2024, 1, 1) and len(found.months) == 12
    html = page.content.decode()
    assert 'id="udvikling-spec"' in html and "Tallene bag udviklingsdiagrammet" in html
    # the centre's months link to the centre's page for that month, and only months with a value
    centre = found.lines[2]
    shown = [i for i, v in enumerate(centre.values) if v is not None]
    assert shown and all(centre.links[i] for i in shown)
    assert all(centre.links[i] is None for i in range(12) if i not in shown)
    assert urlsplit(centre.links[shown[0]]).path == reverse("unit", args=[mini.sof_centre.pk])


def test_the_unit_page_links_to_its_cases_in_the_period_for_roles_that_may_see_rows(
    client: Client, mini: Mini
) -> None:
    # given a leader of SOF on the centre's page
    client.force_login(mini.sof_leader)
    page = client.get(f"{reverse('unit', args=[mini.sof_centre.pk])}?fra=2024-02-01&til=2024-02-29")
    url = page.context["case_list_url"]
    assert urlsplit(url).path == reverse("case_list")
    assert _query(url) == {"unit": [str(mini.sof_centre.pk)], "fra": ["2024-02-01"], "til": ["2024-02-29"]}
    assert url.replace("&", "&amp;") in page.content.decode()
    # when the link is followed
    listed = client.get(url)
    # then the list holds the centre's sub-units' cases received in February (SOF-B's six), as counted
    assert listed.status_code == 200
    assert {c.unit.code for c in listed.context["page"]} == {"SOF-B"}
    assert listed.context["page"].paginator.count == 6
    # and a caseworker, who may not see case rows, gets no link (the list would refuse them)
    client.force_login(mini.caseworker)
    page = client.get(f"{reverse('unit', args=[mini.sof_a.pk])}?{Y2024}")
    assert page.status_code == 200 and page.context["case_list_url"] is None
    assert reverse("case_list") not in page.content.decode()
    assert client.get(url).status_code == 403


def test_a_user_picks_the_trend_lines_among_the_pages_rows_only(client: Client, mini: Mini) -> None:
    # given the analyst on the municipality's overview, which has a row per administration
    client.force_login(mini.analyst)
    url = f"{reverse('overview')}?{Y2024}&maal=received"
    default = client.get(url).context["analysis"].trend
    assert [name for _pk, name, shown in default.choices if shown] == [
        "BIF – Beskæftigelses- og Integrationsforvaltningen",
        "BUF – Børne- og Ungdomsforvaltningen",
        "SOF – Socialforvaltningen",
    ]
    # when BUF alone is picked, with a unit's id (not a row of this page) slipped in
    picked = client.get(f"{url}&linje={mini.buf.pk}&linje={mini.sof_a.pk + 1000}").context["analysis"].trend
    # then the lines are the scope, last year and BUF; nothing else
    assert [line.name for line in picked.lines][2:] == ["BUF – Børne- og Ungdomsforvaltningen"]
    assert [name for _pk, name, shown in picked.choices if shown] == ["BUF – Børne- og Ungdomsforvaltningen"]
    assert picked.error is None
    # and picking more than five says so in Danish and keeps the largest rows
    many = "&".join(f"linje={n}" for n in range(1, 8))
    page = client.get(f"{url}&{many}")
    found = page.context["analysis"].trend
    assert found.error == "Vælg højst 5 linjer; diagrammet viser de 5 største."
    assert [line.name for line in found.lines] == [line.name for line in default.lines]
    assert "Vælg højst 5 linjer" in page.content.decode()
