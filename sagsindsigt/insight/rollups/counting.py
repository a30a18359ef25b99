"""Counting the raw tables per unit, case type and month: what the rollups store, and what reads count for
the months the rollups do not hold (one code path, so the figures are the same either way)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import models
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from sagsindsigt.cases.models import Case, VolumeCount
from sagsindsigt.complaints.models import (
    MERITS_OUTCOMES,
    REVERSAL_OUTCOMES,
    Appeal,
    Channel,
    Complaint,
    ComplaintKind,
    ComplaintPoint,
    PointOutcome,
)
from sagsindsigt.insight.rollups.models import (
    DaysMeasure,
    MonthRollup,
    ThemeSource,
)

Key = tuple[int, int | None, date]  # unit, case type, month


MONTH_FIELDS = tuple(
    f.name for f in MonthRollup._meta.get_fields() if isinstance(f, models.PositiveIntegerField)
)


@dataclass
class RawCounts:
    """What the raw tables hold for a date range, at the rollups' grain."""

    months: dict[Key, dict[str, int]] = field(default_factory=dict)
    days: dict[tuple[str, Key, int], int] = field(default_factory=dict)
    themes: dict[tuple[str, Key, int], list[int]] = field(default_factory=dict)  # n, upheld, partly, not

    def add_month(self, key: Key, values: dict[str, int | None]) -> None:
        row = self.months.setdefault(key, dict.fromkeys(MONTH_FIELDS, 0))
        for name, value in values.items():
            row[name] += value or 0


def _key(row: dict[str, Any], unit: str = "unit_id", case_type: str = "case_type_id") -> Key:
    return (row[unit], row[case_type], row["m"])


def count_raw(start: date, end: date, *, narrow: Any = None) -> RawCounts:
    """Count every measure for events dated start..end. `narrow(qs, unit_field, case_type_field)` lets a
    reader restrict each raw query to its scope; the refresh passes nothing. A monthly count belongs to
    the range when the month's first day does (ADR 0005)."""

    def scoped(qs: QuerySet[Any], unit: str = "unit", case_type: str = "case_type") -> QuerySet[Any]:
        return narrow(qs, unit, case_type) if narrow is not None else qs

    out = RawCounts()
    cases = scoped(Case.objects.all())
    received = cases.filter(received_date__range=(start, end)).annotate(m=TruncMonth("received_date"))
    for row in received.values("unit_id", "case_type_id", "m").order_by().annotate(received=Count("pk")):
        out.add_month(_key(row), {"received": row["received"]})
    decided = cases.filter(decided_date__range=(start, end)).annotate(m=TruncMonth("decided_date"))
    for row in (
        decided.values("unit_id", "case_type_id", "m")
        .order_by()
        .annotate(
            decided=Count("pk"),
            decided_deadline_known=Count("pk", filter=Q(due_date__isnull=False)),
            decided_within_deadline=Count("pk", filter=Q(decided_date__lte=F("due_date"))),
        )
    ):
        out.add_month(
            _key(row), {k: row[k] for k in ("decided", "decided_deadline_known", "decided_within_deadline")}
        )
    for row in (
        decided.filter(processing_days__isnull=False)
        .values("unit_id", "case_type_id", "m", "processing_days")
        .order_by()
        .annotate(n=Count("pk"))
    ):
        key = (DaysMeasure.PROCESSING.value, _key(row), row["processing_days"])
        out.days[key] = out.days.get(key, 0) + row["n"]
    volumes = scoped(VolumeCount.objects.filter(month__range=(start, end)))
    for row in (
        volumes.annotate(m=F("month"))
        .values("unit_id", "case_type_id", "m")
        .order_by()
        .annotate(
            n_received=Sum("received"),
            n_decided=Sum("decided"),
            n_known=Sum("decided", filter=Q(decided_within_deadline__isnull=False)),
            n_within=Sum("decided_within_deadline"),
        )
    ):
        out.add_month(
            _key(row),
            {
                "received": row["n_received"],
                "decided": row["n_decided"],
                "decided_deadline_known": row["n_known"],
                "decided_within_deadline": row["n_within"],
            },
        )
    complaints = scoped(Complaint.objects.all())
    for row in (
        complaints.filter(received_date__range=(start, end))
        .annotate(m=TruncMonth("received_date"))
        .values("unit_id", "case_type_id", "m")
        .order_by()
        .annotate(
            complaints=Count("pk"),
            complaints_formal=Count("pk", filter=Q(kind=ComplaintKind.FORMAL)),
            complaints_substantive=Count("pk", filter=Q(kind=ComplaintKind.SUBSTANTIVE)),
            complaints_ombudsman=Count("pk", filter=Q(channel=Channel.OMBUDSMAN)),
            supervision_cases=Count("pk", filter=Q(supervision_case_opened=True)),
        )
    ):
        names = ("complaints", "complaints_formal", "complaints_substantive", "complaints_ombudsman")
        out.add_month(_key(row), {k: row[k] for k in (*names, "supervision_cases")})
    # Reply time belongs to the month of the answer, as processing time to the month of the decision.
    for row in (
        complaints.filter(answered_date__range=(start, end), reply_days__isnull=False)
        .annotate(m=TruncMonth("answered_date"))
        .values("unit_id", "case_type_id", "m", "reply_days")
        .order_by()
        .annotate(n=Count("pk"))
    ):
        key = (DaysMeasure.REPLY.value, _key(row), row["reply_days"])
        out.days[key] = out.days.get(key, 0) + row["n"]
    points = scoped(ComplaintPoint.objects.all(), "complaint__unit", "complaint__case_type")
    for row in (
        points.filter(complaint__received_date__range=(start, end))
        .annotate(m=TruncMonth("complaint__received_date"))
        .values("complaint__unit_id", "complaint__case_type_id", "m", "theme_id")
        .order_by()
        .annotate(
            n=Count("pk"),
            upheld=Count("pk", filter=Q(outcome=PointOutcome.UPHELD)),
            partly=Count("pk", filter=Q(outcome=PointOutcome.PARTLY)),
            not_upheld=Count("pk", filter=Q(outcome=PointOutcome.NOT_UPHELD)),
        )
    ):
        key = (
            ThemeSource.POINT.value,
            _key(row, "complaint__unit_id", "complaint__case_type_id"),
            row["theme_id"],
        )
        _add_theme(out, key, [row["n"], row["upheld"], row["partly"], row["not_upheld"]])
        # The totals also go on the month's row, so the pages that show no themes need no theme read.
        out.add_month(
            key[1],
            {
                "complaint_points": row["n"],
                "points_upheld": row["upheld"],
                "points_partly": row["partly"],
                "points_not_upheld": row["not_upheld"],
            },
        )
    appeals = scoped(Appeal.objects.all()).filter(decision_date__range=(start, end))
    for row in (
        appeals.annotate(m=TruncMonth("decision_date"))
        .values("unit_id", "case_type_id", "m")
        .order_by()
        .annotate(
            appeals_decided=Count("pk"),
            appeals_on_merits=Count("pk", filter=Q(outcome__in=MERITS_OUTCOMES)),
            appeals_reversed=Count("pk", filter=Q(outcome__in=REVERSAL_OUTCOMES)),
        )
    ):
        out.add_month(
            _key(row), {k: row[k] for k in ("appeals_decided", "appeals_on_merits", "appeals_reversed")}
        )
    reasons = scoped(Appeal.reversal_reasons.through.objects.all(), "appeal__unit", "appeal__case_type")
    for row in (
        reasons.filter(appeal__decision_date__range=(start, end))
        .annotate(m=TruncMonth("appeal__decision_date"))
        .values("appeal__unit_id", "appeal__case_type_id", "m", "complainttheme_id")
        .order_by()
        .annotate(n=Count("pk"))
    ):
        key = (
            ThemeSource.REASON.value,
            _key(row, "appeal__unit_id", "appeal__case_type_id"),
            row["complainttheme_id"],
        )
        _add_theme(out, key, [row["n"], 0, 0, 0])
    return out


def _add_theme(out: RawCounts, key: tuple[str, Key, int], values: list[int]) -> None:
    found = out.themes.setdefault(key, [0, 0, 0, 0])
    for i, value in enumerate(values):
        found[i] += value
