"""Dates that cannot be true (a case received in 2099, a decision in 1912) are errors in every kind."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sagsindsigt.cases.models import Case
from sagsindsigt.conftest import Mini
from sagsindsigt.intake.forms import MappingForm
from sagsindsigt.intake.mapping import Mapping
from sagsindsigt.intake.models import Load, LoadStatus, Source
from sagsindsigt.intake.records import EARLIEST_DATE
from sagsindsigt.intake.services import source_create, source_issue_token, source_set_mapping
from sagsindsigt.intake.tests.conftest import KMD_HEADER, csv_lines, prepare
from sagsindsigt.organisation.access import SYSTEM

FAR_FUTURE = "01-01-2099"


def _danish(day: date) -> str:
    return f"{day:%d-%m-%Y}"


def _month_ago() -> str:
    return _danish(timezone.localdate() - timedelta(days=30))


# One good row per kind, in the source's own export (default headers; KMD's for cases).
def _rows() -> dict[str, dict[str, str]]:
    past = _month_ago()
    return {
        "cases": dict(
            zip(KMD_HEADER.split(";"), ["K-1", "4711", "HJ", past, past, past, "", "ab12"], strict=True)
        ),
        "volume_counts": {
            "Enhed": "BIF-1",
            "Sagstype": "KF",
            "Måned": past[3:],
            "Modtagne": "120",
            "Afgjorte": "110",
            "Afgjort inden for frist": "",
        },
        "complaints": {
            "Klagenummer": "X-1",
            "Enhed": "SOF-A",
            "Klageart": "Realitet",
            "Modtaget": past,
            "Besvaret": past,
            "Tema": "T01",
        },
        "appeals": {
            "Ankesagsnummer": "A-1",
            "Enhed": "SOF-B",
            "Klageinstans": "Ankestyrelsen",
            "Lovområde": "Serviceloven",
            "Afgørelsesdato": past,
            "Udfald": "Stadfæstet",
        },
    }


def _source(kind: str) -> Source:
    if kind == "cases":
        from sagsindsigt.intake.tests.conftest import kmd_source

        return kmd_source()
    return source_create(actor=SYSTEM, name=f"Kilde-{kind}", kind=kind, mapping=Mapping.default(kind))


def _file(write: Any, row: dict[str, str]) -> Any:
    content = ";".join(row) + "\r\n" + ";".join(row.values()) + "\r\n"
    return write("eksport.csv", content)  # Windows-1252, as the systems export


DATE_COLUMNS = [
    ("cases", "Modtaget dato", FAR_FUTURE),
    ("cases", "Afgørelsesdato", FAR_FUTURE),
    ("cases", "Lukket dato", FAR_FUTURE),
    ("volume_counts", "Måned", FAR_FUTURE[3:]),
    ("complaints", "Modtaget", FAR_FUTURE),
    ("complaints", "Besvaret", FAR_FUTURE),
    ("appeals", "Afgørelsesdato", FAR_FUTURE),
]


@pytest.mark.parametrize(("kind", "column", "value"), DATE_COLUMNS)
def test_a_date_in_2099_is_an_error_in_every_date_column(
    mini: Mini, write: Any, kind: str, column: str, value: str
) -> None:
    # given: a good row of the kind, and the file accepted as it is
    source = _source(kind)
    row = _rows()[kind]
    assert prepare(source, _file(write, row)).status == LoadStatus.VALIDATED
    # when: one date column says 2099
    load = prepare(source, _file(write, {**row, column: value}))
    # then: an error on that row and column, and nothing else
    assert load.status == LoadStatus.INVALID, load.message
    issue = load.issues.get(severity="error")
    assert (issue.row, issue.column) == (2, column)
    assert "ligger i fremtiden" in issue.message and _danish(timezone.localdate())[3:] in issue.message


@pytest.mark.parametrize(("kind", "column", "value"), DATE_COLUMNS)
def test_a_date_before_1990_is_an_error_in_every_date_column(
    mini: Mini, write: Any, kind: str, column: str, value: str
) -> None:
    source = _source(kind)
    before = EARLIEST_DATE - timedelta(days=1)
    old = f"{before:%m-%Y}" if column == "Måned" else _danish(before)
    row = {**_rows()[kind], column: old}
    if kind == "cases" and column == "Modtaget dato":
        row = {**row, "Afgørelsesdato": "", "Lukket dato": ""}
    load = prepare(source, _file(write, row))
    assert load.status == LoadStatus.INVALID
    issue = load.issues.get(severity="error", column=column)
    assert issue.row == 2 and f"før {EARLIEST_DATE:%d-%m-%Y}" in issue.message


def test_the_source_decides_how_many_days_ahead_a_date_may_lie(mini: Mini, kmd: Source, write: Any) -> None:
    today = timezone.localdate()

    def received(day: date) -> Load:
        return prepare(kmd, write(f"{day}.csv", csv_lines(f"K-1;4711;HJ;{_danish(day)};;;;")))

    # by default one day ahead is tolerated (a clock a little ahead), two are not
    assert kmd.future_days == 1
    assert received(today + timedelta(days=1)).status == LoadStatus.VALIDATED
    assert received(today + timedelta(days=2)).status == LoadStatus.INVALID
    # a source may tolerate none
    mapping = Mapping.from_json(kmd.mapping, kmd.kind)
    source_set_mapping(actor=SYSTEM, source=kmd, mapping=mapping, future_days=0)
    assert received(today).status == LoadStatus.VALIDATED
    assert received(today + timedelta(days=1)).status == LoadStatus.INVALID


def test_the_current_month_of_counts_is_allowed_the_next_is_not(mini: Mini, write: Any) -> None:
    source = _source("volume_counts")
    row = _rows()["volume_counts"]
    this_month = timezone.localdate().replace(day=1)
    next_month = (this_month + timedelta(days=40)).replace(day=1)
    assert prepare(source, _file(write, {**row, "Måned": f"{this_month:%m-%Y}"})).status == "validated"
    assert prepare(source, _file(write, {**row, "Måned": f"{next_month:%m-%Y}"})).status == "invalid"


def test_a_web_upload_with_a_date_in_2099_is_refused(
    mini: Mini, kmd: Source, write: Any, client: Client
) -> None:
    client.force_login(mini.analyst)
    path = write("web.csv", csv_lines(f"K-1;4711;HJ;{FAR_FUTURE};;;;"))
    with path.open("rb") as handle:
        response = client.post(reverse("intake_home"), {"source": kmd.pk, "file": handle}, follow=True)
    page = response.content.decode()
    assert "Fejl i filen" in page and "ligger i fremtiden" in page
    assert not Case.objects.filter(source_system="KMD").exists()


def test_a_pushed_record_with_a_date_in_2099_is_refused(mini: Mini, client: Client) -> None:
    source = _source("appeals")
    token = source_issue_token(actor=SYSTEM, source=source)
    record = {**_rows()["appeals"], "Afgørelsesdato": FAR_FUTURE}
    response = client.post(
        f"/api/v1/indlaesning/{source.name}/poster",
        {"records": [record]},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    (issue,) = response.json()["issues"]
    assert issue["row"] == 1 and issue["column"] == "Afgørelsesdato" and "fremtiden" in issue["message"]


def test_the_tolerance_is_set_on_the_source_page(mini: Mini, kmd: Source, client: Client) -> None:
    # given: the source page's form as it is shown
    client.force_login(mini.analyst)
    form = MappingForm(source=kmd)
    data = {name: field.initial or "" for name, field in form.fields.items()}
    assert data["future_days"] == 1
    # when: the tolerance is set to a week
    url = reverse("intake_source", args=[kmd.pk])
    response = client.post(url, {**data, "future_days": 7, "save_mapping": 1})
    # then: saved
    assert response.status_code == 302
    kmd.refresh_from_db()
    assert kmd.future_days == 7
    # and a negative tolerance is refused on its field, with nothing saved
    page = client.post(url, {**data, "future_days": -1, "save_mapping": 1})
    assert page.status_code == 200 and "future_days" in page.context["form"].errors
    kmd.refresh_from_db()
    assert kmd.future_days == 7
