"""The dashboard pages, their downloads and the REST metric reads, as users reach them."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from sagsindsigt.complaints.models import ComplaintPoint, ComplaintTheme
from sagsindsigt.complaints.tests.factories import ComplaintPointFactory
from sagsindsigt.conftest import Mini

Y2024 = "fra=01-01-2024&til=31-12-2024"


@pytest.fixture
def analyst(client: Client, mini: Mini) -> Client:
    client.force_login(mini.analyst)
    return client


def test_every_dashboard_page_shows_charts_with_tables(analyst: Client, counted_months: Mini) -> None:
    mini = counted_months
    pages = [
        reverse("overview"),
        reverse("administration", args=[mini.sof.pk]),
        reverse("unit", args=[mini.sof_centre.pk]),
        reverse("case_area", args=[mini.ct_wd.case_area_id]),
    ]
    for url in pages:
        # when
        page = analyst.get(f"{url}?{Y2024}&maal=within_deadline_share")
        # then the page has the control chart's spec, its table and the "what changed" panel
        html = page.content.decode()
        assert page.status_code == 200, url
        assert 'id="kontrol-spec"' in html and "Tallene bag kontroldiagrammet" in html, url
        assert "vendor/vega/vega.min.js" in html and "js/charts.js" in html, url
    # the theme page's few complaint points are hidden month by month, so it says why there is no chart
    theme = analyst.get(f"{reverse('theme', args=[ComplaintTheme.objects.get(code='T01').pk])}?{Y2024}")
    assert "Tallene bag kontroldiagrammet" in theme.content.decode()


def test_overview_funnel_of_administrations(analyst: Client, counted_months: Mini) -> None:
    page = analyst.get(f"{reverse('overview')}?{Y2024}&maal=within_deadline_share")
    funnel = page.context["analysis"].funnel
    rows = {r.label.split(" – ")[0]: r for r in funnel.rows}
    # BIF 5,200 of 5,380 is plotted; BUF 1 of 2 is small, and SOF's 483 of 585 is hidden with it
    # (secondary suppression: the pooled value gives the total away)
    assert (rows["BIF"].events.value, rows["BIF"].volume.value) == (300 + 10 * 490, 380 + 10 * 500)
    assert rows["BUF"].held_back and rows["SOF"].held_back
    assert str(rows["BUF"].events) == "<5" and str(rows["SOF"].events) == "•"
    spec = json.loads(
        page.context["analysis"].funnel_spec and json.dumps(page.context["analysis"].funnel_spec)
    )
    assert "BUF" not in json.dumps(spec)


def test_unknown_metric_falls_back_to_the_default(analyst: Client, mini: Mini) -> None:
    page = analyst.get(f"{reverse('overview')}?{Y2024}&maal=drop_table")
    assert page.status_code == 200
    assert page.context["metric"].code == "complaints_per_1000"


def test_xlsx_export_of_the_main_table_shows_what_the_page_shows(analyst: Client, mini: Mini) -> None:
    # when
    response = analyst.get(f"{reverse('administration', args=[mini.sof.pk])}?{Y2024}&tabel=tal&format=xlsx")
    # then a workbook with a title line, the header and the centre's row, small counts as "<5"
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header_index = next(i for i, r in enumerate(rows) if r[0] == "Enhed")
    centre = rows[header_index + 1]
    assert centre[0] == "Center for Handicap"
    # SOF's 11 received and 10 decided are hidden, as on the page: with the total they would give BUF's 2
    # away; the share rests on them and is hidden too
    assert centre[1:5] == ["•", "•", "skjult", "<5"]
    page = analyst.get(f"{reverse('administration', args=[mini.sof.pk])}?{Y2024}")
    shown, _total = page.context["rows"], page.context["total"]
    assert [str(shown[0].counts[c]) for c in ("received", "decided", "complaints")] == ["•", "•", "<5"]


def test_xlsx_export_keeps_numbers_numeric(analyst: Client, counted_months: Mini) -> None:
    response = analyst.get(
        f"{reverse('administration', args=[counted_months.bif.pk])}?{Y2024}&tabel=tal&format=xlsx"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    jobcenter = next(row for row in sheet.iter_rows() if row[0].value == "Jobcenter")
    assert jobcenter[1].value == 400 + 600 + 5000 and isinstance(jobcenter[1].value, int)
    # with a number format Danish Excel shows with its own thousands separator (6.000)
    assert jobcenter[1].number_format == "#,##0"


def test_csv_export_of_the_control_chart(analyst: Client, counted_months: Mini) -> None:
    url = reverse("administration", args=[counted_months.bif.pk])
    response = analyst.get(f"{url}?{Y2024}&maal=within_deadline_share&tabel=kontrol&format=csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    # the counts are named in everyday words, and the shares have Danish Excel's decimal comma
    assert rows[0][:3] == ["Måned", "Afgjort inden for fristen", "Afgjorte sager med en frist"]
    shown = [r for r in rows[1:] if r[1].isdigit() and r[2].isdigit()]
    assert len(shown) >= 6
    for r in shown:
        assert "." not in r[3]
        assert float(r[3].replace(",", ".")) == pytest.approx(100 * int(r[1]) / int(r[2]), abs=0.01)
    # January's 380 is hidden: with the municipality's January it would give SOF's few away
    january = next(r for r in rows if r[0] == "jan 2024")
    assert january[2] == "•" and january[3] == ""


def test_chart_downloads_are_svg_and_png(analyst: Client, counted_months: Mini) -> None:
    svg = analyst.get(f"{reverse('overview')}?{Y2024}&maal=within_deadline_share&diagram=tragt&format=svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    png = analyst.get(f"{reverse('overview')}?{Y2024}&maal=within_deadline_share&diagram=kontrol&format=png")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")


def test_a_leader_sees_only_their_own_administration(client: Client, mini: Mini) -> None:
    client.force_login(mini.sof_leader)
    assert client.get(reverse("administration", args=[mini.bif.pk])).status_code == 404
    page = client.get(f"{reverse('overview')}?{Y2024}")
    labels = (
        [r.label for r in page.context["analysis"].funnel.rows] if page.context["analysis"].funnel else []
    )
    assert all(label.startswith("SOF") for label in labels)


# --- REST ------------------------------------------------------------------------------------------


def test_api_lists_the_registry(analyst: Client) -> None:
    body = analyst.get("/api/v1/noegletal").json()
    codes = {m["code"] for m in body}
    assert {"complaints_per_1000", "reversal_rate", "processing_days_median"} <= codes


def test_api_metric_by_administration_with_suppression(analyst: Client, counted_months: Mini) -> None:
    mini = counted_months
    body = analyst.get(
        "/api/v1/noegletal/within_deadline_share",
        {"fra": "2024-01-01", "til": "2024-12-31", "opdeling": "forvaltning"},
    ).json()
    rows = {r["label"].split(" – ")[0]: r for r in body["rows"]}
    assert rows["BIF"]["value"] == pytest.approx(100 * 5200 / 5380)
    # BUF: 1 of 2 – both small, hidden
    assert rows["BUF"]["suppressed"] and rows["BUF"]["value"] is None and rows["BUF"]["events"] is None
    assert rows["BUF"]["suppression"] == "small"
    # SOF's 483 of 585 is hidden too (secondary suppression): the total minus BIF would reveal BUF's 1
    assert rows["SOF"]["events"] is None and rows["SOF"]["value"] is None
    assert rows["SOF"]["suppression"] == "secondary" and rows["BIF"]["suppression"] is None
    assert body["total"]["events"] == 5200 + 483 + 1 and body["total"]["volume"] == 5380 + 585 + 2
    # and asked for SOF alone, the API hides it just the same
    sof = analyst.get(
        "/api/v1/noegletal/within_deadline_share",
        {"fra": "2024-01-01", "til": "2024-12-31", "forvaltning": mini.sof.pk},
    ).json()
    assert sof["total"]["value"] is None and sof["total"]["events"] is None
    assert sof["total"]["suppression"] == "secondary"


def test_api_respects_the_callers_scope(client: Client, mini: Mini) -> None:
    client.force_login(mini.sof_leader)
    body = client.get(
        "/api/v1/noegletal/decided", {"fra": "2024-01-01", "til": "2024-12-31", "opdeling": "forvaltning"}
    ).json()
    assert [r["label"].split(" – ")[0] for r in body["rows"]] == ["SOF"]
    assert client.get("/api/v1/noegletal/decided", {"enhed": mini.bif_unit.pk}).status_code == 404


def test_api_needs_a_login_and_a_known_metric(client: Client, mini: Mini) -> None:
    assert client.get("/api/v1/noegletal/decided").status_code == 401
    client.force_login(mini.analyst)
    assert client.get("/api/v1/noegletal/nope").status_code == 404
    assert client.get("/api/v1/noegletal/theme_points_per_1000").status_code == 422


def test_a_recording_break_splits_the_control_chart(analyst: Client, counted_months: Mini) -> None:
    from datetime import date

    mini = counted_months
    from sagsindsigt.insight.models import RecordingBreak

    # given a break in SOF's recording from June 2024
    RecordingBreak.objects.create(
        administration=mini.sof, month=date(2024, 6, 1), description="Nyt ESDH-system"
    )
    RecordingBreak.objects.create(administration=mini.bif, month=date(2024, 2, 1), description="Ikke SOF's")
    # when SOF's page shows 2024
    page = analyst.get(f"{reverse('administration', args=[mini.sof.pk])}?{Y2024}&maal=within_deadline_share")
    # then the chart is split where June begins, and the page says why
    analysis = page.context["analysis"]
    assert analysis.recording_break.description == "Nyt ESDH-system"
    chart = analysis.control.chart
    assert chart is not None and analysis.control.plotted_rows[chart.break_at].label == "jun 2024"
    assert "Brud i registreringen fra" in page.content.decode()
    assert "Nyt ESDH-system" in json.dumps(analysis.control_spec)


def test_the_administration_page_shows_its_targets_with_status(client: Client, mini: Mini) -> None:
    from datetime import date
    from decimal import Decimal

    from sagsindsigt.insight.targets.services import TargetData, target_create

    # given SOF's own target: at least 75 % decided within the deadline in 2024 (it reached 80 %)
    target_create(
        actor=mini.sof_leader,
        data=TargetData(
            metric="within_deadline_share",
            period_start=date(2024, 1, 1),
            period_end=date(2024, 12, 31),
            value=Decimal(75),
            administration=mini.sof,
        ),
    )
    client.force_login(mini.sof_leader)
    # when the leader opens the administration page
    page = client.get(f"{reverse('administration', args=[mini.sof.pk])}?{Y2024}")
    # then the targets panel shows it, green, with the rule
    rows = page.context["targets"]
    assert len(rows) == 1 and rows[0].status.colour == "green"
    html = page.content.decode()
    assert "Mål for området og deres status" in html and "Afgjort inden for den vejledende frist" in html


def test_overview_links_to_case_areas_and_themes_and_pages_show_reasons(analyst: Client, mini: Mini) -> None:
    # given SOF-B's reversed appeal in 2024 with a reason
    from sagsindsigt.complaints.models import Appeal

    t05 = ComplaintTheme.objects.get(code="T05")
    Appeal.objects.get(unit=mini.sof_b, outcome="remitted").reversal_reasons.set([t05])
    # then the overview links to the case area and theme pages
    html = analyst.get(f"{reverse('overview')}?{Y2024}").content.decode()
    assert reverse("case_area", args=[mini.ct_wd.case_area_id]) in html
    assert reverse("theme", args=[t05.pk]) in html
    # and SOF's page lists the reason (one: shown as "<5")
    page = analyst.get(f"{reverse('administration', args=[mini.sof.pk])}?{Y2024}")
    assert [(label, str(n)) for label, n in page.context["reasons"]] == [(f"T05 {t05.name}", "<5")]
    # and the theme page counts it for SOF
    theme_page = analyst.get(f"{reverse('theme', args=[t05.pk])}?{Y2024}")
    sof_row = next(r for r in theme_page.context["theme_rows"] if r.label.startswith("SOF"))
    assert str(sof_row.reasons) == "<5"


def test_api_refuses_a_backwards_period_and_other_administrations(client: Client, mini: Mini) -> None:
    client.force_login(mini.sof_leader)
    backwards = client.get("/api/v1/noegletal/decided", {"fra": "2024-05-01", "til": "2024-04-30"})
    assert backwards.status_code == 422 and "før den begynder" in backwards.json()["detail"]
    assert client.get("/api/v1/noegletal/decided", {"til": "2000-01-01"}).status_code == 422
    assert client.get("/api/v1/noegletal/decided", {"forvaltning": mini.bif.pk}).status_code == 404


# --- labels that say what the figures cover (issue 10) ---------------------------------------------


def test_a_unit_scoped_user_sees_which_part_of_the_administration_a_row_covers(
    client: Client, counted_months: Mini
) -> None:
    # given a caseworker who sees only Hjælpemidler, a unit of SOF
    mini = counted_months
    client.force_login(mini.caseworker)
    label = f"SOF – Socialforvaltningen (kun: {mini.sof_a.name})"
    # when they open the overview, its download, SOF's page and the API by administration
    overview = client.get(f"{reverse('overview')}?{Y2024}")
    csv_text = client.get(f"{reverse('overview')}?{Y2024}&tabel=tal&format=csv").content.decode("utf-8-sig")
    sof = client.get(f"{reverse('administration', args=[mini.sof.pk])}?{Y2024}&maal=within_deadline_share")
    api = client.get(
        "/api/v1/noegletal/decided", {"fra": "2024-01-01", "til": "2024-12-31", "opdeling": "forvaltning"}
    ).json()
    # then every row, heading, chart title and label named after SOF says it holds only their part
    assert [r.label for r in overview.context["rows"]] == [label]
    assert (
        label in overview.content.decode() and f"Dit område ({mini.sof_a.name})" in overview.content.decode()
    )
    assert [
        r[0] for r in csv.reader(io.StringIO(csv_text), delimiter=";") if r and r[0].startswith("SOF")
    ] == [label]
    assert sof.context["heading"] == f"{mini.sof} (kun: {mini.sof_a.name})"
    assert f"måned for måned: {mini.sof} (kun: {mini.sof_a.name})" in json.dumps(
        sof.context["analysis"].control_spec, ensure_ascii=False
    )
    assert [r["label"] for r in api["rows"]] == [label]
    # and a case area's chart, which shows only their part of the area, says whose part
    area = client.get(f"{reverse('case_area', args=[mini.ct_wd.case_area_id])}?{Y2024}")
    assert [r.label for r in area.context["rows"]] == [label]
    assert f"Dit område ({mini.sof_a.name})" in json.dumps(
        area.context["analysis"].control_spec, ensure_ascii=False
    )


def test_a_leader_of_a_whole_administration_sees_its_plain_name(client: Client, mini: Mini) -> None:
    client.force_login(mini.sof_leader)
    overview = client.get(f"{reverse('overview')}?{Y2024}")
    assert [r.label for r in overview.context["rows"]] == ["SOF – Socialforvaltningen"]
    assert client.get(f"{reverse('administration', args=[mini.sof.pk])}?{Y2024}").context["heading"] == str(
        mini.sof
    )


def test_the_theme_pages_table_counts_only_the_theme_and_its_local_sub_themes(
    analyst: Client, mini: Mini, settings: Any
) -> None:
    # given T16 with a local sub-theme, one more point with it on a SOF complaint, nothing suppressed
    settings.SUPPRESSION_THRESHOLD = 1
    t16 = ComplaintTheme.objects.get(code="T16")
    local = ComplaintTheme.objects.create(
        code="SOF-T16-1", name="Lokalt undertema", kind=t16.kind, parent=t16, administration=mini.sof
    )
    ComplaintPointFactory(complaint=mini.sof_complaint, theme=local)
    # when the analyst opens T16's page and downloads its table
    page = analyst.get(f"{reverse('theme', args=[t16.pk])}?{Y2024}")
    sheet = analyst.get(f"{reverse('theme', args=[t16.pk])}?{Y2024}&tabel=tal&format=csv")
    # then each administration's row counts the points with T16 or its sub-theme, not all its points
    points = ComplaintPoint.objects.filter(theme__in=[t16, local], complaint__received_date__year=2024)
    rows = {r.label[:3]: r for r in page.context["theme_rows"]}
    for administration in (mini.sof, mini.buf, mini.bif):
        expected = points.filter(complaint__unit__administration=administration).count()
        assert rows[administration.code].points.value == expected
    assert page.context["theme_total"].points.value == points.count()
    all_points = next(r for r in page.context["rows"] if r.url_id == mini.sof.pk).counts["complaint_points"]
    assert rows["SOF"].points.value != all_points.value
    # and the table and the funnel below agree
    funnel = {r.label[:3]: r.events.value for r in page.context["analysis"].funnel.rows}
    assert funnel["SOF"] == rows["SOF"].points.value
    # and the caption and the download say it is the theme's
    html = page.content.decode()
    assert f"Kun klagepunkter og omgørelser med temaet T16 {t16.name}" in html
    table = list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig")), delimiter=";"))
    header = next(r for r in table if r and r[0] == "Forvaltning")
    assert header[1:3] == ["Afgjorte sager (alle)", "Klagepunkter med temaet"]
    sof_line = next(r for r in table if r and r[0].startswith("SOF"))
    assert sof_line[2] == str(rows["SOF"].points.value)


def test_the_overviews_signals_start_with_those_of_the_whole(analyst: Client, mini: Mini) -> None:
    from datetime import date

    from sagsindsigt.cases.models import CaseType, VolumeCount
    from sagsindsigt.common.periods import months_between
    from sagsindsigt.insight.dashboards.analysis import changes
    from sagsindsigt.insight.dashboards.panels import WATCHED

    # given two years of counts in which the municipality's share within the deadline falls for the
    # last seven months (a run below the centre line), in BIF and in SOF alike
    counts = CaseType.objects.get(code="KF")
    months = list(months_between(date(2023, 1, 1), date(2024, 12, 1)))
    for i, month in enumerate(months):
        for unit, case_type in ((mini.bif_unit, counts), (mini.sof_a, mini.ct_wd)):
            VolumeCount.objects.create(
                source_system="TAL2",
                unit=unit,
                case_type=case_type,
                month=month,
                received=400,
                decided=400,
                decided_within_deadline=360 - (i % 3) * 5 if i < 17 else 280 + (i % 2) * 5,
            )
    url = f"{reverse('overview')}?{Y2024}"
    # when the overview is opened
    listed = [(c.scope, c.metric.code, c.text, c.months) for c in analyst.get(url).context["changes"]]
    # then every recent signal of the watched metrics' charts of the whole municipality is listed, first
    whole = [
        (c.scope, c.metric.code, c.text, c.months)
        for code in WATCHED
        for c in changes("Hele kommunen", analyst.get(f"{url}&maal={code}").context["analysis"].control)
    ]
    assert any(code == "within_deadline_share" for _, code, *_ in whole)
    assert listed[: len(whole)] == whole
    # and the administrations' own signals follow
    assert any(scope != "Hele kommunen" for scope, *_ in listed[len(whole) :])
