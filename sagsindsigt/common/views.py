"""Small pieces shared by list views: pagination and CSV download responses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse

from sagsindsigt.common.exports import csv_bytes

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


def paginate(request: HttpRequest, items: Any) -> Page:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("side"))


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("side", None)
    return params.urlencode()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
