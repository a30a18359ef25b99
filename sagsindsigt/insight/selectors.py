"""Reads for the overview and drill-down, always through the caller's access scope."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from django.db.models import QuerySet, Sum

from sagsindsigt.insight.figures import Figures, Period
from sagsindsigt.insight.models import (
    DaysMeasure,
    DaysRollup,
    MonthRollup,
    RollupFill,
    ThemeRollup,
    ThemeSource,
)
from sagsindsigt.insight.rollups import MONTH_FIELDS, count_raw, month_end, months_between
from sagsindsigt.organisation.access import Perm, administrations_in_scope, restrict, units_in_scope
from sagsindsigt.organisation.models import Administration, Unit

GroupBy = Literal["unit", "month", "unit_month", "all"]


def _group_key(by: GroupBy, unit: int, month: date) -> Any:
    return {"unit": unit, "month": month, "unit_month": (unit, month), "all": None}[by]


_GROUP_FIELDS: dict[str, tuple[str, ...]] = {
    "unit": ("unit_id",),
    "month": ("month",),
    "unit_month": ("unit_id", "month"),
    "all": (),
}


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
) -> dict[Any, Figures]:
    """Figures within the user's scope, optionally narrowed to units (cases registered directly on them)
    and case types, grouped by unit, month, both or not at all. Reads the rollups for whole filled months
    and counts the raw tables for the rest, so any period gives the same figures as a count from scratch."""

    def narrow(
        qs: QuerySet[Any], unit_field: str = "unit", case_type_field: str = "case_type"
    ) -> QuerySet[Any]:
        qs = restrict(qs, user, perm=Perm.VIEW_AGGREGATES, unit_field=unit_field)
        if units is not None:
            qs = qs.filter(**{f"{unit_field}__in": list(units)})
        if case_types is not None:
            qs = qs.filter(**{f"{case_type_field}__in": list(case_types)})
        return qs

    result: dict[Any, Figures] = defaultdict(Figures)
    filled = set(
        RollupFill.objects.filter(month__range=(period.first_month, period.end)).values_list(
            "month", flat=True
        )
    )
    months, raw_ranges = _split(period, filled)
    group = _GROUP_FIELDS[by]

    def key_of(row: dict[str, Any]) -> Any:
        return _group_key(by, row.get("unit_id", 0), row.get("month", period.start))

    if months:
        for row in (
            narrow(MonthRollup.objects.filter(month__in=months))
            .values(*group)
            .order_by()
            .annotate(**{f"sum_{name}": Sum(name) for name in MONTH_FIELDS})
        ):
            f = result[key_of(row)]
            for name in MONTH_FIELDS:
                setattr(f, name, getattr(f, name) + (row[f"sum_{name}"] or 0))
        for row in (
            narrow(DaysRollup.objects.filter(month__in=months))
            .values(*group, "measure", "days")
            .order_by()
            .annotate(total=Sum("n"))
        ):
            histogram = "processing_days" if row["measure"] == DaysMeasure.PROCESSING else "reply_days"
            getattr(result[key_of(row)], histogram)[row["days"]] += row["total"]
        for row in (
            narrow(ThemeRollup.objects.filter(month__in=months))
            .values(*group, "source", "theme_id")
            .order_by()
            .annotate(
                n_=Sum("n"), upheld_=Sum("upheld"), partly_=Sum("partly"), not_upheld_=Sum("not_upheld")
            )
        ):
            _add_theme(
                result[key_of(row)],
                row["source"],
                row["theme_id"],
                row["n_"],
                row["upheld_"],
                row["partly_"],
                row["not_upheld_"],
            )
    for start, end in raw_ranges:
        raw = count_raw(start, end, narrow=narrow)
        for (unit, _case_type, month), values in raw.months.items():
            f = result[_group_key(by, unit, month)]
            for name, value in values.items():
                setattr(f, name, getattr(f, name) + value)
        for (measure, (unit, _case_type, month), days), n in raw.days.items():
            histogram = "processing_days" if measure == DaysMeasure.PROCESSING else "reply_days"
            getattr(result[_group_key(by, unit, month)], histogram)[days] += n
        for (source, (unit, _case_type, month), theme), counts in raw.themes.items():
            _add_theme(result[_group_key(by, unit, month)], source, theme, *counts)
    return dict(result)


def _add_theme(
    f: Figures, source: str, theme: int, n: int, upheld: int, partly: int, not_upheld: int
) -> None:
    if source == ThemeSource.REASON:
        f.reasons_by_theme[theme] += n
        return
    f.points_by_theme[theme] += n
    f.complaint_points += n
    f.points_upheld += upheld
    f.points_partly += partly
    f.points_not_upheld += not_upheld


def figures_by_unit(user: Any, period: Period) -> dict[int, Figures]:
    """Figures per unit (cases attached directly to that unit) within the user's scope."""
    return figures_grouped(user, period, by="unit")


@dataclass
class Row:
    """One line of an overview table: an administration or a unit with its subtree."""

    label: str
    figures: Figures
    url_kind: str = ""
    url_id: int | None = None
    depth: int = 0


def overview_by_administration(user: Any, period: Period) -> tuple[list[Row], Figures]:
    per_unit = figures_by_unit(user, period)
    unit_admin = dict(units_in_scope(user).values_list("pk", "administration_id"))
    per_admin: dict[int, Figures] = defaultdict(Figures)
    for unit_id, f in per_unit.items():
        per_admin[unit_admin[unit_id]].add(f)
    administrations = administrations_in_scope(user).filter(pk__in=set(unit_admin.values())).order_by("code")
    rows = [
        Row(
            label=f"{a.code} – {a.name}",
            figures=per_admin.get(a.pk, Figures()),
            url_kind="administration",
            url_id=a.pk,
        )
        for a in administrations
    ]
    return rows, Figures.total(r.figures for r in rows)


def _subtree_totals(units: list[Unit], per_unit: dict[int, Figures]) -> dict[int, Figures]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for u in units:
        children[u.parent_id].append(u.pk)
    totals: dict[int, Figures] = {}

    def walk(pk: int) -> Figures:
        if pk not in totals:
            total = Figures()
            total.add(per_unit.get(pk, Figures()))
            for child in children.get(pk, ()):
                total.add(walk(child))
            totals[pk] = total
        return totals[pk]

    for u in units:
        walk(u.pk)
    return totals


def drilldown(
    user: Any, period: Period, *, administration: Administration | None = None, unit: Unit | None = None
) -> tuple[list[Row], Figures, Figures | None]:
    """Child units (each with its whole subtree) of an administration or a unit, the total, and the
    figures of cases registered directly on `unit` itself (None for an administration)."""
    units = list(
        units_in_scope(user).filter(
            administration=administration if administration is not None else unit.administration  # type: ignore[union-attr]
        )
    )
    visible = {u.pk for u in units}
    per_unit = figures_by_unit(user, period)
    totals = _subtree_totals(units, per_unit)
    if unit is not None:
        parent_id: int | None = unit.pk
        children = [u for u in units if u.parent_id == parent_id]
    else:
        # Top of what the user may see: units whose parent is outside the scope (or absent).
        children = [u for u in units if u.parent_id is None or u.parent_id not in visible]
    rows = [
        Row(label=u.name, figures=totals[u.pk], url_kind="unit", url_id=u.pk)
        for u in sorted(children, key=lambda u: u.name)
    ]
    if unit is not None:
        own = per_unit.get(unit.pk, Figures())
        return rows, totals.get(unit.pk, Figures()), own
    return rows, Figures.total(r.figures for r in rows), None
