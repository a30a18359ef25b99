"""Figures for any slice of the municipality and any period, read from the rollups for whole, caught-up
months and counted from the raw tables for the rest, always through the caller's access scope."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from django.db.models import Case as DbCase
from django.db.models import F, QuerySet, Sum, Value, When

from sagsindsigt.cases.models import CaseType
from sagsindsigt.common.periods import Period, month_end, months_between
from sagsindsigt.common.staleness import staleness
from sagsindsigt.complaints.models import ComplaintTheme
from sagsindsigt.insight.metrics.figures import Figures
from sagsindsigt.insight.metrics.registry import METRICS, Context
from sagsindsigt.insight.rollups.counting import MONTH_FIELDS, count_raw
from sagsindsigt.insight.rollups.models import (
    AdministrationDaysRollup,
    DaysMeasure,
    DaysRollup,
    MonthRollup,
    RollupFill,
    ThemeRollup,
    ThemeSource,
)
from sagsindsigt.organisation.access import (
    Perm,
    UnitTree,
    administrations_in_scope,
    restrict,
    scope_of,
    unit_tree,
)
from sagsindsigt.organisation.models import ScopeKind, Unit
from sagsindsigt.organisation.selectors import municipality_settings

GroupBy = Literal[
    "unit",
    "month",
    "unit_month",
    "unit_case_type",
    "unit_case_type_month",
    "administration",
    "administration_month",
    "all",
]


# The rollup columns each grouping reads, and how a (unit, case type, month) maps to its key.
_GROUP_FIELDS: dict[str, tuple[str, ...]] = {
    "unit": ("unit_id",),
    "unit_case_type": ("unit_id", "case_type_id"),
    "unit_case_type_month": ("unit_id", "case_type_id", "month"),
    "month": ("month",),
    "unit_month": ("unit_id", "month"),
    "administration": ("unit__administration_id",),
    "administration_month": ("unit__administration_id", "month"),
    "all": (),
}


def _key_function(by: GroupBy) -> Any:
    admin_of: dict[int, int] = {}
    if by.startswith("administration"):
        admin_of = dict(Unit.objects.values_list("pk", "administration_id"))
    return {
        "unit": lambda unit, case_type, month: unit,
        "unit_case_type": lambda unit, case_type, month: (unit, case_type),
        "unit_case_type_month": lambda unit, case_type, month: (unit, case_type, month),
        "month": lambda unit, case_type, month: month,
        "unit_month": lambda unit, case_type, month: (unit, month),
        "administration": lambda unit, case_type, month: admin_of[unit],
        "administration_month": lambda unit, case_type, month: (admin_of[unit], month),
        "all": lambda unit, case_type, month: None,
    }[by]


def _row_key(by: GroupBy, row: dict[str, Any]) -> Any:
    values = [row[f] for f in _GROUP_FIELDS[by]]
    return values[0] if len(values) == 1 else (tuple(values) if values else None)


def _split(period: Period, filled: set[date]) -> tuple[list[date], list[tuple[date, date]]]:
    """The period's whole, filled months (read from the rollups) and the date ranges left over (partial
    months at the edges and months not filled yet, counted from the raw tables)."""
    from_rollups = [
        m
        for m in months_between(period.start, period.end)
        if m >= period.start and month_end(m) <= period.end and m in filled
    ]
    raw: list[tuple[date, date]] = []
    day = period.start
    for month in [*from_rollups, None]:
        stop = period.end if month is None else month - timedelta(days=1)
        if day <= stop:
            raw.append((day, stop))
        if month is not None:
            day = month_end(month) + timedelta(days=1)
    return from_rollups, raw


def figures_grouped(
    user: Any,
    period: Period,
    *,
    by: GroupBy = "unit",
    units: Collection[int] | None = None,
    case_types: Collection[int] | None = None,
    administrations: Collection[int] | None = None,
    days: bool = True,
    themes: bool = True,
    days_split_at: int | None = None,
) -> dict[Any, Figures]:
    """Figures within the user's scope, optionally narrowed to whole administrations, to units (cases
    registered directly on them) and to case types, grouped by unit, administration, month, some of
    these or not at all. Reads the rollups for whole filled months and counts the raw tables for the
    rest, so any period gives the same figures as a count from scratch. `days=False` leaves the
    working-day histograms empty, `themes=False` the breakdowns by theme, for pages that show neither
    (they are most of a read's rows). With `days_split_at` each histogram has two buckets: 0 for up to
    that many days, and one more day for the rest (all the suppression grid needs of them)."""

    def narrow(
        qs: QuerySet[Any], unit_field: str = "unit", case_type_field: str = "case_type"
    ) -> QuerySet[Any]:
        qs = restrict(qs, user, perm=Perm.VIEW_AGGREGATES, unit_field=unit_field)
        if administrations is not None:
            qs = qs.filter(**{f"{unit_field}__administration_id__in": list(administrations)})
        if units is not None:
            qs = qs.filter(**{f"{unit_field}__in": list(units)})
        if case_types is not None:
            qs = qs.filter(**{f"{case_type_field}__in": list(case_types)})
        return qs

    result: dict[Any, Figures] = defaultdict(Figures)
    # A month a committed write made stale is counted from the raw tables until the rollups catch up.
    pending = staleness()
    filled = {
        month
        for month in RollupFill.objects.filter(month__range=(period.first_month, period.end)).values_list(
            "month", flat=True
        )
        if not pending.covers(month)
    }
    months, raw_ranges = _split(period, filled)
    group = _GROUP_FIELDS[by]

    def key_of(row: dict[str, Any]) -> Any:
        return _row_key(by, row)

    key_from = _key_function(by)
    if months:
        month_rows = narrow(MonthRollup.objects.filter(month__in=months)).order_by()
        sums = {f"sum_{name}": Sum(name) for name in MONTH_FIELDS}
        # values() without fields would group by every column: one total is an aggregate.
        for row in month_rows.values(*group).annotate(**sums) if group else [month_rows.aggregate(**sums)]:
            f = result[key_of(row)]
            for name in MONTH_FIELDS:
                setattr(f, name, getattr(f, name) + (row[f"sum_{name}"] or 0))
        # Tuples, not dicts: the histograms are most of the rows a page reads.
        if days:
            for key, measure, elapsed, total in _days_rows(
                user,
                months,
                by,
                narrow,
                units,
                case_types,
                administrations,
                pending.organisation_changed,
                split_at=days_split_at,
            ):
                histogram = "processing_days" if measure == DaysMeasure.PROCESSING else "reply_days"
                getattr(result[key], histogram)[elapsed] += total
        for row in (
            narrow(ThemeRollup.objects.filter(month__in=months) if themes else ThemeRollup.objects.none())
            .values(*group, "source", "theme_id")
            .order_by()
            .annotate(total=Sum("n"))
        ):
            _add_theme(result[key_of(row)], row["source"], row["theme_id"], row["total"])
    for start, end in raw_ranges:
        raw = count_raw(start, end, narrow=narrow)
        for (unit, case_type, month), values in raw.months.items():
            f = result[key_from(unit, case_type, month)]
            for name, value in values.items():
                setattr(f, name, getattr(f, name) + value)
        for (measure, (unit, case_type, month), elapsed), n in raw.days.items() if days else ():
            histogram = "processing_days" if measure == DaysMeasure.PROCESSING else "reply_days"
            getattr(result[key_from(unit, case_type, month)], histogram)[
                0 if days == "totals" else elapsed
            ] += n
        for (source, (unit, case_type, month), theme), counts in raw.themes.items() if themes else ():
            _add_theme(result[key_from(unit, case_type, month)], source, theme, counts[0])
    return dict(result)


_ADMINISTRATION_DAYS_GROUPS: dict[str, tuple[str, ...]] = {
    "month": ("month",),
    "all": (),
    "administration": ("administration_id",),
    "administration_month": ("administration_id", "month"),
}


def _days_rows(
    user: Any,
    months: list[date],
    by: GroupBy,
    narrow: Any,
    units: Collection[int] | None,
    case_types: Collection[int] | None,
    administrations: Collection[int] | None,
    units_moved: bool,
    *,
    split_at: int | None = None,
) -> Iterator[tuple[Any, str, int, int]]:
    """(group key, measure, days, count) from the administrations' histograms when the read covers whole
    administrations the user may see in full (and no unit has moved since they were summed), else from the
    units' histograms. `split_at`: two buckets per histogram, 0 (up to that many days) and one more."""
    whole = (
        not units_moved
        and units is None
        and case_types is None
        and by in _ADMINISTRATION_DAYS_GROUPS
        and scope_of(user).kind in (ScopeKind.MUNICIPALITY, ScopeKind.ADMINISTRATION)
    )
    qs: QuerySet[Any]
    if whole:
        group = _ADMINISTRATION_DAYS_GROUPS[by]
        visible = administrations_in_scope(user).values("pk")
        qs = AdministrationDaysRollup.objects.filter(month__in=months, administration__in=visible)
        if administrations is not None:
            qs = qs.filter(administration_id__in=list(administrations))
    else:
        group = _GROUP_FIELDS[by]
        qs = narrow(DaysRollup.objects.filter(month__in=months))
    width = len(group)
    bucket: Any = F("days")
    if split_at is not None:
        bucket = DbCase(When(days__lte=split_at, then=Value(0)), default=Value(split_at + 1))
    for *grouped, measure, elapsed, total in (
        qs.annotate(bucket=bucket)
        .values(*group, "measure", "bucket")
        .order_by()
        .annotate(total=Sum("n"))
        .values_list(*group, "measure", "bucket", "total")
    ):
        yield (grouped[0] if width == 1 else tuple(grouped)) if width else None, measure, elapsed, total


def _add_theme(f: Figures, source: str, theme: int, n: int) -> None:
    # Point totals and outcomes come from the month rows; the theme rows add only the breakdown.
    (f.reasons_by_theme if source == ThemeSource.REASON else f.points_by_theme)[theme] += n


@dataclass(frozen=True)
class Slice:
    """The part of the municipality figures are computed over: all of it (everything empty), an
    administration, a unit with its subtree, and optionally one case area or case type within it. (What a
    user may see is their access scope, organisation.access.AccessScope; a read keeps to both.)"""

    administration_id: int | None = None
    unit_id: int | None = None
    case_area_id: int | None = None
    case_type_id: int | None = None


def slice_filters(user: Any, over: Slice) -> tuple[list[int] | None, list[int] | None]:
    """The unit ids (None: all the user may see) and case type ids (None: all) a slice stands for."""
    area_types: dict[int, list[int]] = {}
    if over.case_area_id is not None and over.case_type_id is None:
        area_types[over.case_area_id] = list(
            CaseType.objects.filter(case_area_id=over.case_area_id).values_list("pk", flat=True)
        )
    return _slice_filters(unit_tree(user), over, area_types)


def _slice_filters(
    tree: UnitTree, over: Slice, area_types: dict[int, list[int]]
) -> tuple[list[int] | None, list[int] | None]:
    units: list[int] | None = None
    if over.unit_id is not None:
        units = tree.subtree(over.unit_id)
    elif over.administration_id is not None:
        units = tree.of_administration(over.administration_id)
    case_types: list[int] | None = None
    if over.case_type_id is not None:
        case_types = [over.case_type_id]
    elif over.case_area_id is not None:
        case_types = area_types.get(over.case_area_id, [])
    return units, case_types


def figures_for_many(
    user: Any, wanted: Collection[tuple[Period, Slice]], *, days: bool = True, themes: bool = True
) -> dict[tuple[Period, Slice], Figures]:
    """The figures of many slices and periods (a panel of targets) with one read per distinct period,
    grouped as coarsely as the slices allow (administration, unit, or unit and case type: the working-day
    histograms are much larger the finer they are grouped) and summed per slice in Python."""
    slices = [s for _, s in wanted]
    tree = unit_tree(user)
    area_types: dict[int, list[int]] = defaultdict(list)
    if any(s.case_area_id is not None and s.case_type_id is None for s in slices):
        for pk, area in CaseType.objects.values_list("pk", "case_area_id"):
            area_types[area].append(pk)
    by: GroupBy = "administration"
    if any(s.case_area_id is not None or s.case_type_id is not None for s in slices):
        by = "unit_case_type"
    elif any(s.unit_id is not None for s in slices):
        by = "unit"
    found: dict[tuple[Period, Slice], Figures] = {}
    for period in {p for p, _ in wanted}:
        grouped = figures_grouped(user, period, by=by, days=days, themes=themes)
        for p, over in wanted:
            if p != period:
                continue
            if by == "administration":
                keep = grouped if over.administration_id is None else {0: grouped.get(over.administration_id)}
                found[(p, over)] = Figures.total(f for f in keep.values() if f is not None)
                continue
            units, case_types = _slice_filters(tree, over, area_types)
            unit_set = None if units is None else set(units)
            type_set = None if case_types is None else set(case_types)
            found[(p, over)] = Figures.total(
                f
                for key, f in grouped.items()
                if (unit_set is None or (key[0] if by == "unit_case_type" else key) in unit_set)
                and (type_set is None or key[1] in type_set)
            )
    return found


def figures_for(
    user: Any, period: Period, over: Slice, *, by: GroupBy = "all", themes: bool = True, days: bool = True
) -> dict[Any, Figures]:
    """Figures of a slice (within the user's access scope), grouped as asked."""
    units, case_types = slice_filters(user, over)
    if (
        over.administration_id is not None
        and over.unit_id is None
        and scope_of(user).kind in (ScopeKind.MUNICIPALITY, ScopeKind.ADMINISTRATION)
    ):
        # The whole administration (the user sees all of it): read by administration, not unit by unit.
        return figures_grouped(
            user,
            period,
            by=by,
            administrations=[over.administration_id],
            case_types=case_types,
            themes=themes,
            days=days,
        )
    return figures_grouped(user, period, by=by, units=units, case_types=case_types, themes=themes, days=days)


def metric_context(theme_id: int | None = None) -> Context:
    """The municipality's reply rule, and a theme together with the local sub-themes mapped to it."""
    return metric_contexts([theme_id])[theme_id]


def metric_contexts(theme_ids: Collection[int | None]) -> dict[int | None, Context]:
    """The contexts of several themes (None: no theme) in at most two queries."""
    reply_rule = municipality_settings().reply_working_days
    children: dict[int, list[int]] = defaultdict(list)
    if any(t is not None for t in theme_ids):
        for pk, parent in ComplaintTheme.objects.filter(
            parent_id__in=[t for t in theme_ids if t is not None]
        ).values_list("pk", "parent_id"):
            children[parent].append(pk)
    return {
        t: Context(
            reply_rule_days=reply_rule,
            theme_ids=frozenset() if t is None else frozenset([t, *children.get(t, ())]),
        )
        for t in theme_ids
    }


def metric_value(
    user: Any, code: str, period: Period, over: Slice, *, theme_id: int | None = None
) -> float | None:
    """One metric's value for a slice and period, in the unit it is shown in; None means no data."""
    figures = figures_for(user, period, over).get(None, Figures())
    return METRICS[code].value(figures, metric_context(theme_id))
