"""Counting the raw tables per unit, case type and month, and keeping the rollup tables equal to that count.

One code path: `rollup_refresh` stores what `count_raw` computes for whole months, and the readers in
`insight.selectors` call `count_raw` themselves for what the rollups do not hold (the partial months at
the edges of a custom period, and months not filled yet), so the figures are the same either way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from sagsindsigt.cases.models import Case, VolumeCount
from sagsindsigt.common.models import StaleKind, StaleMark
from sagsindsigt.common.periods import month_end, month_ranges, months_between
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
from sagsindsigt.insight.models import (
    AdministrationDaysRollup,
    DaysMeasure,
    DaysRollup,
    MonthRollup,
    RollupFill,
    ThemeRollup,
    ThemeSource,
)
from sagsindsigt.organisation.models import Unit

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


def _units_only(units: Collection[int] | None) -> Any:
    if units is None:
        return None
    ids = list(units)

    def narrow(qs: QuerySet[Any], unit_field: str, _case_type_field: str) -> QuerySet[Any]:
        return qs.filter(**{f"{unit_field}__in": ids})

    return narrow


def _data_span() -> tuple[date, date] | None:
    """The first and last month any source has an event in."""
    spans = [
        Case.objects.aggregate(a=Min("received_date"), b=Max("decided_date"), c=Max("received_date")),
        VolumeCount.objects.aggregate(a=Min("month"), b=Max("month")),
        Complaint.objects.aggregate(a=Min("received_date"), b=Max("answered_date"), c=Max("received_date")),
        Appeal.objects.aggregate(a=Min("decision_date"), b=Max("decision_date")),
    ]
    days = [d for span in spans for d in span.values() if d is not None]
    return (min(days), max(days)) if days else None


# A full refresh goes a few months at a time, so its memory stays small at millions of cases.
CHUNK_MONTHS = 6


def _chunks(ranges: list[tuple[date, date]]) -> Iterator[tuple[date, date]]:
    for start, end in ranges:
        months = list(months_between(start, end))
        for i in range(0, len(months), CHUNK_MONTHS):
            part = months[i : i + CHUNK_MONTHS]
            yield part[0], month_end(part[-1])


@transaction.atomic
def rollup_refresh(months: Iterable[date] | None = None, *, units: Collection[int] | None = None) -> int:
    """Recount the given months (None: everything) from the raw tables and mark them filled; with
    `units`, only those units' rows are recounted (the other units' rows of a filled month stay valid).
    Returns the number of months refreshed."""
    months_given = months
    _lock()
    if months is None:
        # Everything is recounted: every mark already committed is caught up with (by id: a mark committed
        # while this runs may speak of rows this count did not see, and stays for the next catch-up).
        caught_up = list(StaleMark.objects.values_list("pk", flat=True))
        for model in (MonthRollup, DaysRollup, AdministrationDaysRollup, ThemeRollup, RollupFill):
            model._default_manager.all().delete()
        span = _data_span()
        months = months_between(*span) if span else []
    now = timezone.now()
    refreshed = 0
    for start, end in _chunks(month_ranges(months)):
        filled = list(months_between(start, end))
        already = set(RollupFill.objects.filter(month__range=(start, end)).values_list("month", flat=True))
        # A month nobody has filled yet is counted whole, so that it can be marked filled.
        only = list(units) if units is not None and already.issuperset(filled) else None
        for model in (MonthRollup, DaysRollup, ThemeRollup):
            stale = model._default_manager.filter(month__range=(start, end))
            if only is not None:
                stale = stale.filter(unit_id__in=only)
            stale.delete()
        raw = count_raw(start, end, narrow=_units_only(only))
        _store(raw)
        _store_administration_days(start, end, only)
        RollupFill.objects.bulk_create(
            [RollupFill(month=m, refreshed_at=now) for m in filled],
            update_conflicts=True,
            unique_fields=["month"],
            update_fields=["refreshed_at"],
        )
        refreshed += len(filled)
    if months_given is None:
        StaleMark.objects.filter(pk__in=caught_up).delete()
    return refreshed


# Any fixed number: the key of the PostgreSQL advisory lock that serialises refreshes.
_LOCK_KEY = 4_404_001


def _lock() -> None:
    """One refresh at a time: two imports refreshing the same month concurrently would each delete what
    they see and insert their count, and the rows would be doubled. Held to the end of the transaction.
    (SQLite serialises writers by itself.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def _store(raw: RawCounts) -> None:
    MonthRollup.objects.bulk_create(
        [
            MonthRollup(unit_id=unit, case_type_id=case_type, month=month, **values)
            for (unit, case_type, month), values in raw.months.items()
        ],
        batch_size=5000,
    )
    DaysRollup.objects.bulk_create(
        [
            DaysRollup(measure=measure, unit_id=unit, case_type_id=case_type, month=month, days=days, n=n)
            for (measure, (unit, case_type, month), days), n in raw.days.items()
        ],
        batch_size=5000,
    )
    ThemeRollup.objects.bulk_create(
        [
            ThemeRollup(
                source=source,
                unit_id=unit,
                case_type_id=case_type,
                month=month,
                theme_id=theme,
                n=counts[0],
                upheld=counts[1],
                partly=counts[2],
                not_upheld=counts[3],
            )
            for (source, (unit, case_type, month), theme), counts in raw.themes.items()
        ],
        batch_size=5000,
    )


@transaction.atomic
def rollup_resum_administrations() -> None:
    """Re-sum every administration's histograms from the units' (after a unit moves administration)."""
    span = DaysRollup.objects.aggregate(first=Min("month"), last=Max("month"))
    AdministrationDaysRollup.objects.all().delete()
    if span["first"] is not None:
        _store_administration_days(span["first"], month_end(span["last"]), None)


def _store_administration_days(start: date, end: date, units: list[int] | None) -> None:
    """Re-sum the administrations' histograms for the months from the unit histograms just stored."""
    stale = AdministrationDaysRollup.objects.filter(month__range=(start, end))
    source = DaysRollup.objects.filter(month__range=(start, end))
    if units is not None:
        administrations = set(Unit.objects.filter(pk__in=units).values_list("administration_id", flat=True))
        stale = stale.filter(administration_id__in=administrations)
        source = source.filter(unit__administration_id__in=administrations)
    stale.delete()
    AdministrationDaysRollup.objects.bulk_create(
        [
            AdministrationDaysRollup(measure=measure, administration_id=admin, month=month, days=days, n=n)
            for measure, admin, month, days, n in source.values(
                "measure", "unit__administration_id", "month", "days"
            )
            .order_by()
            .annotate(total=Sum("n"))
            .values_list("measure", "unit__administration_id", "month", "days", "total")
        ],
        batch_size=5000,
    )


@transaction.atomic
def rollups_catch_up() -> int:
    """Refresh what the pending stale marks name (common/staleness.py) and delete them: each month for the
    union of the units marked in it, all months for a calendar change, the administrations' histograms
    when units moved. Returns the number of marks caught up with."""
    _lock()
    marks = list(StaleMark.objects.order_by("pk"))
    if not marks:
        return 0
    if any(m.months is None and m.kind != StaleKind.ORGANISATION for m in marks):
        rollup_refresh()  # it deletes the marks it saw
        return len(marks)
    units_in: dict[date, set[int] | None] = {}
    for mark in marks:
        for month in (date.fromisoformat(m) for m in mark.months or ()):
            known = units_in.get(month, set())
            units_in[month] = None if mark.units is None or known is None else known | set(mark.units)
    months_of: dict[frozenset[int] | None, list[date]] = defaultdict(list)
    for month, units in units_in.items():
        months_of[None if units is None else frozenset(units)].append(month)
    for unit_set, months in months_of.items():
        rollup_refresh(months, units=unit_set)
    if any(m.kind == StaleKind.ORGANISATION for m in marks):
        rollup_resum_administrations()
    StaleMark.objects.filter(pk__in=[m.pk for m in marks]).delete()
    return len(marks)
