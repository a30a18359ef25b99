"""Keeping the rollup tables equal to a count of the raw tables: whole refreshes, and catching up with what
writes marked stale (common/staleness.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Min, QuerySet, Sum
from django.utils import timezone

from sagsindsigt.cases.models import Case, VolumeCount
from sagsindsigt.common.models import StaleKind, StaleMark
from sagsindsigt.common.periods import month_end, month_ranges, months_between
from sagsindsigt.complaints.models import (
    Appeal,
    Complaint,
)
from sagsindsigt.insight.rollups.counting import RawCounts, count_raw
from sagsindsigt.insight.rollups.models import (
    AdministrationDaysRollup,
    DaysRollup,
    MonthRollup,
    RollupFill,
    ThemeRollup,
)
from sagsindsigt.organisation.models import Unit


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
