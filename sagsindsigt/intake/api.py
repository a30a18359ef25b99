"""REST push API: a source system sends records as JSON with its own token (OpenAPI at /api/v1/docs)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from sagsindsigt.intake.models import Load, LoadStatus
from sagsindsigt.intake.selectors import load_errors
from sagsindsigt.intake.services import TokenRefused, load_push

router = Router(tags=["Indlæsning"])


class PushIn(Schema):
    records: list[dict[str, Any]] = Field(
        ...,
        description="Poster med samme kolonnenavne som kildesystemets filer (kortlægningen gælder).",
        max_length=100_000,
    )


class IssueOut(Schema):
    row: int | None = Field(
        ...,
        description=(
            "Postens nummer i `records`: 1 er den første post (i filer er det rækkenummeret, hvor "
            "overskriften er række 1). Tom, når fejlen gælder hele forsendelsen."
        ),
    )
    column: str = Field(..., description="Feltets navn, som posten skrev det (kortlægningens kolonne).")
    message: str


class LoadOut(Schema):
    load_id: int
    status: str
    message: str = Field(..., description="Fx «2 poster har fejl; …»: API'et tæller poster, ikke rækker.")
    counts: dict[str, int] = Field(
        ...,
        description=(
            "Antal poster: `rows` i alt, `new`, `changed`, `unchanged` og `invalid` (poster med fejl; "
            "hver post tælles én gang, uanset hvor mange fejl den har)."
        ),
    )
    issues: list[IssueOut] = Field(..., description="De første fejl, højst 200, sorteret efter post.")


class ErrorOut(Schema):
    detail: str


def _out(load: Load) -> LoadOut:
    issues = [IssueOut(row=i.row, column=i.column, message=i.message) for i in load_errors(load)]
    return LoadOut(
        load_id=load.pk, status=load.status, message=load.message, counts=load.counts, issues=issues
    )


@router.post(
    "/indlaesning/{source_name}/poster",
    response={200: LoadOut, 201: LoadOut, 401: ErrorOut, 409: LoadOut, 422: LoadOut, 503: LoadOut},
    summary="Send poster fra et kildesystem",
    description=(
        "Kræver kildesystemets API-nøgle: `Authorization: Bearer <nøgle>`. Alle poster valideres; er der "
        "fejl, indlæses intet (422 med fejl pr. post; `row` er postens nummer, 1 for den første). "
        "Svigter databasen undervejs, indlæses intet (503); send igen senere. En gentaget, identisk "
        "forsendelse ændrer intet og besvares med den indlæsning, der allerede gennemførte den (200)."
    ),
)
def push(request: HttpRequest, source_name: str, payload: PushIn) -> Status[Any]:
    header = request.headers.get("Authorization", "")
    token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
    try:
        load, fresh = load_push(token=token, source=source_name, records_data=payload.records)
    except TokenRefused as refused:
        return Status(401, ErrorOut(detail=str(refused)))
    if load.status == LoadStatus.COMMITTED:
        return Status(201 if fresh else 200, _out(load))
    if load.status == LoadStatus.REFUSED:
        return Status(409, _out(load))
    if load.status == LoadStatus.FAILED:
        return Status(503, _out(load))
    return Status(422, _out(load))
