"""The case list's CSV: every row the filter finds, Danish Excel's format, and every exported id logged."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sagsindsigt.cases.models import Case, CaseStatus
from sagsindsigt.cases.tests.factories import CaseFactory, CaseTypeFactory
from sagsindsigt.common import audit
from sagsindsigt.common.models import AccessLogEntry
from sagsindsigt.conftest import Mini


def _export(client: Client, **query: Any) -> tuple[Any, bytes, list[str]]:
    response = client.get(reverse("case_export"), query)
    body = response.getvalue()
    return response, body, body.decode("utf-8-sig").splitlines()


def test_the_export_holds_every_case_and_logs_every_id_beyond_one_log_entry(
    mini: Mini, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: more cases than the access log once kept (1,000), read in chunks of 400
    monkeypatch.setattr(audit, "EXPORT_CHUNK", 400)
    case_type = CaseTypeFactory()
    Case.objects.bulk_create(
        CaseFactory.build(unit=mini.sof_b, case_type=case_type, received_date=date(2024, 3, 1))
        for _ in range(1100)
    )
    expected = set(Case.objects.filter(unit__administration=mini.sof).values_list("pk", flat=True))
    client.force_login(mini.sof_leader)
    # when
    response, _body, lines = _export(client)
    # then: streamed, one line per case after the header, and the log names each case exactly once
    assert response.streaming
    assert len(lines) == 1 + len(expected)
    entries = AccessLogEntry.objects.filter(user=mini.sof_leader, what="sagseksport")
    logged = [pk for entry in entries for pk in entry.object_ids]
    assert sorted(logged) == sorted(expected)
    assert max(len(e.object_ids) for e in entries) <= 400


def test_an_empty_export_is_logged_too(mini: Mini, client: Client) -> None:
    # given
    client.force_login(mini.sof_leader)
    # when
    _response, _body, lines = _export(client, fra="01-01-2030")
    # then
    assert len(lines) == 1
    assert AccessLogEntry.objects.get(user=mini.sof_leader, what="sagseksport").object_ids == []


def test_the_export_opens_in_danish_excel(mini: Mini, client: Client) -> None:
    # given
    client.force_login(mini.sof_leader)
    # when
    _response, body, lines = _export(client)
    # then: a byte-order mark, semicolons, Danish dates
    assert body.startswith("\ufeff".encode())
    assert lines[0].split(";")[:3] == ["Kildesystem", "Sagsnummer", "Forvaltning"]
    holiday = next(line for line in lines if mini.holiday_case.external_id in line)
    assert holiday.split(";")[5:] == ["29-03-2024", "15-04-2024", "15-04-2024", str(CaseStatus.DECIDED.label)]
