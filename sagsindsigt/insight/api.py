"""REST reads of the metrics (OpenAPI at /api/v1/docs): the caller's access scope and small-number
suppression apply exactly as on the dashboards."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from sagsindsigt.common.periods import Period
from sagsindsigt.insight.dashboards.forms import default_period
from sagsindsigt.insight.dashboards.presentation import metric_column
from sagsindsigt.insight.dashboards.selectors import group_labels
from sagsindsigt.insight.metrics.figures import Figures
from sagsindsigt.insight.metrics.registry import METRICS
from sagsindsigt.insight.rollups.selectors import Slice, figures_for, metric_context
from sagsindsigt.organisation.access import Perm, administrations_in_scope, require, units_in_scope

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


class MetricValuesOut(Schema):
    metric: MetricOut
    start: date
    end: date
    suppression_threshold: int
    rows: list[ValueOut]
    total: ValueOut


def _metric_out(code: str) -> MetricOut:
    m = METRICS[code]
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
    require(request.user, Perm.VIEW_AGGREGATES)
    return [_metric_out(code) for code in METRICS]


_GROUPING: dict[str, Any] = {
    "ingen": "all",
    "enhed": "unit",
    "maaned": "month",
    "forvaltning": "administration",
}


@router.get(
    "/noegletal/{code}",
    response=MetricValuesOut,
    summary="Et nøgletal for et område og en periode",
    description="Perioden er som standard de seneste 12 hele måneder. Tal mellem 1 og tærsklen minus 1 "
    "skjules (null), og den næstmindste skjules også, når totalen ellers ville afsløre et skjult tal.",
)
def metric_values(request: HttpRequest, code: str, q: Query[MetricQuery]) -> MetricValuesOut:
    user = request.user
    try:
        require(user, Perm.VIEW_AGGREGATES)
    except PermissionDenied as denied:
        raise HttpError(403, str(denied)) from denied
    if code not in METRICS:
        raise HttpError(404, f"Ukendt nøgletal: {code}.")
    m = METRICS[code]
    if m.needs_theme and q.tema is None:
        raise HttpError(422, "Nøgletallet kræver et tema (tema=…).")
    fallback = default_period(timezone.localdate())
    start, end = q.fra or fallback.start, q.til or fallback.end
    if end < start:
        raise HttpError(422, f"Perioden slutter ({end:%d-%m-%Y}) før den begynder ({start:%d-%m-%Y}).")
    period = Period(start, end)
    if q.enhed is not None and not units_in_scope(user).filter(pk=q.enhed).exists():
        raise HttpError(404, "Enheden findes ikke i dit adgangsområde.")
    if q.forvaltning is not None and not administrations_in_scope(user).filter(pk=q.forvaltning).exists():
        raise HttpError(404, "Forvaltningen findes ikke i dit adgangsområde.")
    scope = Slice(
        administration_id=q.forvaltning, unit_id=q.enhed, case_area_id=q.sagsomraade, case_type_id=q.sagstype
    )
    found = figures_for(user, period, scope, by=_GROUPING[q.opdeling])
    labels = group_labels(_GROUPING[q.opdeling], found)
    keys = sorted(found, key=lambda k: labels[k])
    parts = [found[k] for k in keys]
    many = len(parts) > 1
    threshold = settings.SUPPRESSION_THRESHOLD
    shown = metric_column(
        m, [*parts, Figures.total(parts)], metric_context(q.tema), threshold, total_shown=many
    )
    out = [
        ValueOut(
            key="i_alt" if i == len(parts) else str(keys[i]),
            label="I alt" if i == len(parts) else labels[keys[i]],
            value=cell.value,
            events=cell.events,
            volume=cell.volume,
            suppressed=cell.hidden,
        )
        for i, cell in enumerate(shown)
    ]
    return MetricValuesOut(
        metric=_metric_out(code),
        start=period.start,
        end=period.end,
        suppression_threshold=threshold,
        rows=out[:-1] if many or q.opdeling != "ingen" else [],
        total=out[-1],
    )
