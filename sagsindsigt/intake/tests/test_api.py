"""The push API: a token per source, validation errors per record, idempotent retries."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sagsindsigt.complaints.models import Appeal
from sagsindsigt.conftest import Mini
from sagsindsigt.intake.mapping import Mapping
from sagsindsigt.intake.models import Source
from sagsindsigt.intake.services import source_create, source_issue_token
from sagsindsigt.organisation.access import SYSTEM

URL = "/api/v1/indlaesning/{}/poster"
RECORDS = [
    {
        "Ankesagsnummer": "A-1",
        "Enhed": "SOF-B",
        "Klageinstans": "Ankestyrelsen",
        "Lovområde": "Serviceloven",
        "Afgørelsesdato": "12-03-2024",
        "Udfald": "Hjemvist",
        "Omgørelsesårsager": "T10, T05",
    },
    {
        "Ankesagsnummer": "A-2",
        "Enhed": "SOF-B",
        "Klageinstans": "ast",
        "Lovområde": "serviceloven",
        "Afgørelsesdato": "2024-03-14",
        "Udfald": "Stadfæstet",
    },
]


@pytest.fixture
def ast(mini: Mini) -> tuple[Source, str]:
    source = source_create(actor=SYSTEM, name="AST", kind="appeals", mapping=Mapping.default("appeals"))
    return source, source_issue_token(actor=SYSTEM, source=source)


def _post(client: Client, name: str, body: Any, token: str | None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.post(URL.format(name), body, content_type="application/json", headers=headers)


def test_push_creates_appeals_and_a_retry_changes_nothing(ast: tuple[Source, str], client: Client) -> None:
    source, token = ast
    first = _post(client, "AST", {"records": RECORDS}, token)
    assert first.status_code == 201, first.json()
    assert first.json()["counts"]["new"] == 2
    appeal = Appeal.objects.get(external_id="A-1")
    assert appeal.outcome == "remitted"
    assert sorted(appeal.reversal_reasons.values_list("code", flat=True)) == ["T05", "T10"]
    retry = _post(client, "AST", {"records": RECORDS}, token)
    assert retry.status_code == 200
    assert retry.json()["load_id"] == first.json()["load_id"]
    assert Appeal.objects.filter(source_system="AST").count() == 2
    # the same records in another order: a new delivery, all unchanged
    again = _post(client, "AST", {"records": list(reversed(RECORDS))}, token)
    assert again.status_code == 201 and again.json()["counts"]["unchanged"] == 2


@pytest.mark.parametrize("which", ["none", "wrong", "other source", "unknown source"])
def test_push_refuses_bad_tokens(ast: tuple[Source, str], client: Client, which: str) -> None:
    source, token = ast
    other = source_create(actor=SYSTEM, name="Andet", kind="appeals")
    other_token = source_issue_token(actor=SYSTEM, source=other)
    name, used = {
        "none": ("AST", None),
        "wrong": ("AST", "si_forkert"),
        "other source": ("AST", other_token),
        "unknown source": ("Findes-ikke", token),
    }[which]
    response = _post(client, name, {"records": RECORDS}, used)
    assert response.status_code == 401
    assert "API-nøgle" in response.json()["detail"]
    assert Appeal.objects.filter(source_system="AST").count() == 0


def test_push_validation_errors_name_the_record_and_apply_nothing(
    ast: tuple[Source, str], client: Client
) -> None:
    source, token = ast
    bad = [RECORDS[0], {**RECORDS[1], "Udfald": "Måske", "Afgørelsesdato": "31-02-2024"}]
    response = _post(client, "AST", {"records": bad}, token)
    assert response.status_code == 422
    issues = response.json()["issues"]
    assert {(i["row"], i["column"]) for i in issues} == {(2, "Udfald"), (2, "Afgørelsesdato")}
    assert Appeal.objects.filter(source_system="AST").count() == 0
    malformed = _post(client, "AST", {"rows": []}, token)
    assert malformed.status_code == 422


def test_openapi_documents_the_push(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/indlaesning/{source_name}/poster" in schema["paths"]


def test_errors_count_records_not_rows(ast: tuple[Source, str], client: Client) -> None:
    # given: three records; the first and the third are bad, the third is also a copy of the first
    _source, token = ast
    first = {**RECORDS[0], "Enhed": "UKENDT"}
    third = {**RECORDS[0], "Udfald": "Måske"}
    # when
    response = _post(client, "AST", {"records": [first, RECORDS[1], third]}, token)
    # then: the message counts records, each issue names its record by its place in "records"
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "2 poster har fejl; ret dem og send alle poster igen. Intet er ændret."
    assert body["counts"]["invalid"] == 2 and body["counts"]["rows"] == 3
    assert [(i["row"], i["column"]) for i in body["issues"]] == [
        (1, "Enhed"),
        (3, "Ankesagsnummer"),
        (3, "Udfald"),
    ]
    assert body["issues"][1]["message"] == "samme «Ankesagsnummer» som i post 1 (dublet)."


def test_the_openapi_docs_say_that_row_is_the_record_number(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    row = schema["components"]["schemas"]["IssueOut"]["properties"]["row"]
    assert "Postens nummer i `records`: 1 er den første post" in row["description"]
