"""REST reads of the metrics (OpenAPI at /api/v1/docs): the caller's access scope and small-number
suppression apply exactly as on the dashboards."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from sagsindsigt.common.suppression import whole_months_problem
from sagsindsigt.insight.dashboards.forms import default_period
from sagsindsigt.insight.dashboards.presentation import ShownValue
from sagsindsigt.insight.dashboards.selectors import metric_definitions, metric_table
from sagsindsigt.insight.metrics.registry import Metric
from sagsindsigt.insight.rollups.selectors import GroupBy, Slice

router = Router(tags=["Nøgletal"], auth=django_auth)


class MetricOut(Schema):
    code: str
    name: str
    formula: str
    unit: str
    better: str
    kind: str
    sources: list[str]
    needs_theme: bool


class MetricQuery(Schema):
    fra: date | None = None
    til: date | None = None
    forvaltning: int | None = None
    enhed: int | None = None
    sagsomraade: int | None = None
    sagstype: int | None = None
    tema: int | None = None
    opdeling: Literal["ingen", "enhed", "maaned", "forvaltning"] = "ingen"


class ValueOut(Schema):
    key: str
    label: str
    value: float | None
    events: int | None
    volume: int | None
    suppressed: bool
    suppression: Literal["small", "secondary"] | None = Field(
        None,
        description='Hvorfor tallene er skjult: "small" (et tal mellem 1 og tærsklen minus 1) eller '
        '"secondary" (skjult, så totalen ikke kan afsløre et lille tal et andet sted).',
    )


class MetricValuesOut(Schema):
    metric: MetricOut
    start: date
    end: date
    suppression_threshold: int
    rows: list[ValueOut]
    total: ValueOut


def _metric_out(m: Metric) -> MetricOut:
    return MetricOut(
        code=m.code,
        name=m.name,
        formula=m.formula,
        unit=m.unit,
        better=m.better,
        kind=m.kind,
        sources=list(m.sources),
        needs_theme=m.needs_theme,
    )


@router.get("/noegletal", response=list[MetricOut], summary="Alle nøgletal med definition")
def metric_list(request: HttpRequest) -> list[MetricOut]:
    return [_metric_out(m) for m in metric_definitions(request.user)]


_GROUPING: dict[str, GroupBy] = {
    "ingen": "all",
    "enhed": "unit",
    "maaned": "month",
    "forvaltning": "administration",
}


def _value_out(key: str, label: str, cell: ShownValue) -> ValueOut:
    return ValueOut(
        key=key,
        label=label,
        value=cell.value,
        events=cell.events,
        volume=cell.volume,
        suppressed=cell.hidden,
        suppression=cell.reason,
    )


@router.get(
    "/noegletal/{code}",
    response=MetricValuesOut,
    summary="Et nøgletal for et område og en periode",
    description="Perioden er som standard de seneste 12 hele måneder, og den skal bestå af hele måneder "
    "(fra den 1. til den sidste i en måned): tal for enkeltdage kunne trækkes fra hinanden (ADR 0015). "
    'Tal mellem 1 og tærsklen minus 1 skjules (null, suppression="small"), og flere tal skjules '
    '(suppression="secondary"), når en total ellers ville afsløre et skjult tal, præcis som på siderne '
    "og i eksporterne.",
)
def metric_values(request: HttpRequest, code: str, q: Query[MetricQuery]) -> MetricValuesOut:
    fallback = default_period(timezone.localdate())
    start, end = q.fra or fallback.start, q.til or fallback.end
    problem = whole_months_problem(start, end)
    if problem is not None:
        raise ValidationError(problem)
    over = Slice(
        administration_id=q.forvaltning, unit_id=q.enhed, case_area_id=q.sagsomraade, case_type_id=q.sagstype
    )
    table = metric_table(request.user, code, start, end, over, by=_GROUPING[q.opdeling], theme_id=q.tema)
    return MetricValuesOut(
        metric=_metric_out(table.metric),
        start=start,
        end=end,
        suppression_threshold=settings.SUPPRESSION_THRESHOLD,
        rows=[_value_out(key, label, cell) for key, label, cell in table.rows],
        total=_value_out("i_alt", "I alt", table.total),
    )
