"""Reads for the overview and drill-down, always through the caller's access scope."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from django.db.models import Case as DbCase
from django.db.models import Count, QuerySet, Sum, Value, When

from sagsindsigt.cases.models import Case, CaseStatus, CaseType
from sagsindsigt.common.periods import Period, month_end, months_between
from sagsindsigt.common.staleness import staleness
from sagsindsigt.complaints.models import ComplaintTheme
from sagsindsigt.insight.figures import Figures
from sagsindsigt.insight.metrics import METRICS, Context
from sagsindsigt.insight.models import (
    AdministrationDaysRollup,
    DaysMeasure,
    DaysRollup,
    MonthRollup,
    RecordingBreak,
    RollupFill,
    ThemeRollup,
    ThemeSource,
)
from sagsindsigt.insight.rollups import MONTH_FIELDS, count_raw
from sagsindsigt.organisation.access import (
    Perm,
    administrations_in_scope,
    restrict,
    scope_of,
    units_in_scope,
)
from sagsindsigt.organisation.models import Administration, ScopeKind, Unit
from sagsindsigt.organisation.selectors import municipality_settings

GroupBy = Literal["unit", "month", "unit_month", "administration", "administration_month", "all"]

# The rollup columns each grouping reads, and how a (unit, month) pair maps to its key.
_GROUP_FIELDS: dict[str, tuple[str, ...]] = {
    "unit": ("unit_id",),
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
        "unit": lambda unit, month: unit,
        "month": lambda unit, month: month,
        "unit_month": lambda unit, month: (unit, month),
        "administration": lambda unit, month: admin_of[unit],
        "administration_month": lambda unit, month: (admin_of[unit], month),
        "all": lambda unit, month: None,
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
) -> dict[Any, Figures]:
    """Figures within the user's scope, optionally narrowed to whole administrations, to units (cases
    registered directly on them) and to case types, grouped by unit, administration, month, some of
    these or not at all. Reads the rollups for whole filled months and counts the raw tables for the
    rest, so any period gives the same figures as a count from scratch. `days=False` leaves the
    working-day histograms empty, `themes=False` the breakdowns by theme, for pages that show neither
    (they are most of a read's rows)."""

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
                user, months, by, narrow, units, case_types, administrations, pending.organisation_changed
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
        for (unit, _case_type, month), values in raw.months.items():
            f = result[key_from(unit, month)]
            for name, value in values.items():
                setattr(f, name, getattr(f, name) + value)
        for (measure, (unit, _case_type, month), elapsed), n in raw.days.items() if days else ():
            histogram = "processing_days" if measure == DaysMeasure.PROCESSING else "reply_days"
            getattr(result[key_from(unit, month)], histogram)[elapsed] += n
        for (source, (unit, _case_type, month), theme), counts in raw.themes.items() if themes else ():
            _add_theme(result[key_from(unit, month)], source, theme, counts[0])
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
) -> Iterator[tuple[Any, str, int, int]]:
    """(group key, measure, days, count) from the administrations' histograms when the read covers whole
    administrations the user may see in full (and no unit has moved since they were summed), else from the
    units' histograms."""
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
    for *grouped, measure, elapsed, total in (
        qs.values(*group, "measure", "days")
        .order_by()
        .annotate(total=Sum("n"))
        .values_list(*group, "measure", "days", "total")
    ):
        yield (grouped[0] if width == 1 else tuple(grouped)) if width else None, measure, elapsed, total


def _add_theme(f: Figures, source: str, theme: int, n: int) -> None:
    # Point totals and outcomes come from the month rows; the theme rows add only the breakdown.
    (f.reasons_by_theme if source == ThemeSource.REASON else f.points_by_theme)[theme] += n


def figures_by_unit(user: Any, period: Period) -> dict[int, Figures]:
    """Figures per unit (cases attached directly to that unit) within the user's scope, for the tables
    and funnels (which show no working-day times)."""
    return figures_grouped(user, period, by="unit", days=False, themes=False)


@dataclass
class Row:
    """One line of an overview table: an administration or a unit with its subtree."""

    label: str
    figures: Figures
    url_kind: str = ""
    url_id: int | None = None
    depth: int = 0


def overview_by_administration(
    user: Any, period: Period, *, case_types: Collection[int] | None = None, themes: bool = False
) -> tuple[list[Row], Figures]:
    """One row per administration the user sees units of (their units only), and the total; optionally
    narrowed to case types, with the theme breakdowns when asked."""
    found = figures_grouped(
        user, period, by="administration", case_types=case_types, days=False, themes=themes
    )
    visible = set(units_in_scope(user).values_list("administration_id", flat=True))
    rows = [
        Row(
            label=f"{a.code} – {a.name}",
            figures=found.get(a.pk, Figures()),
            url_kind="administration",
            url_id=a.pk,
        )
        for a in administrations_in_scope(user).filter(pk__in=visible).order_by("code")
    ]
    return rows, Figures.total(r.figures for r in rows)


def group_labels(by: GroupBy, keys: Collection[Any]) -> dict[Any, str]:
    """Names for the keys of a grouped read: units, administrations, months (åååå-mm) or "I alt"."""
    if by == "unit":
        return dict(Unit.objects.filter(pk__in=list(keys)).values_list("pk", "name"))
    if by == "administration":
        return {a.pk: f"{a.code} – {a.name}" for a in Administration.objects.filter(pk__in=list(keys))}
    if by == "month":
        return {k: k.strftime("%Y-%m") for k in keys}
    return dict.fromkeys(keys, "I alt")


def monthly_by_administration(
    user: Any, period: Period
) -> tuple[dict[int, dict[date, Figures]], dict[date, Figures]]:
    """Month by month, per administration and for everything the user sees (no theme breakdowns)."""
    per_administration: dict[int, dict[date, Figures]] = defaultdict(dict)
    everything: dict[date, Figures] = defaultdict(Figures)
    for (administration_id, month), f in figures_grouped(
        user, period, by="administration_month", themes=False
    ).items():
        per_administration[administration_id][month] = f
        everything[month].add(f)
    return dict(per_administration), dict(everything)


def reversal_reasons(user: Any, period: Period, scope: Scope) -> list[tuple[ComplaintTheme, int]]:
    """Why the appeal body reversed decisions in the scope: counts by core theme (a local sub-theme
    counts with its core theme), in theme order."""
    figures = figures_for(user, period, scope, days=False).get(None, Figures())
    themes = {t.pk: t for t in ComplaintTheme.objects.all()}
    by_core: dict[int, int] = defaultdict(int)
    for theme_id, n in figures.reasons_by_theme.items():
        by_core[themes[theme_id].parent_id or theme_id] += n
    return [(themes[pk], by_core[pk]) for pk in sorted(by_core, key=lambda pk: themes[pk].code)]


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


@dataclass(frozen=True)
class Scope:
    """What a metric is computed over: the municipality (all empty), an administration, a unit with its
    subtree, and optionally one case area or case type within it."""

    administration_id: int | None = None
    unit_id: int | None = None
    case_area_id: int | None = None
    case_type_id: int | None = None


def scope_filters(user: Any, scope: Scope) -> tuple[list[int] | None, list[int] | None]:
    """The unit ids (None: all the user may see) and case type ids (None: all) a scope stands for."""
    units: list[int] | None = None
    if scope.unit_id is not None:
        visible = list(units_in_scope(user).values_list("pk", "parent_id"))
        children: dict[int | None, list[int]] = defaultdict(list)
        for pk, parent in visible:
            children[parent].append(pk)
        units, todo = [], [scope.unit_id] if any(pk == scope.unit_id for pk, _ in visible) else []
        while todo:
            pk = todo.pop()
            units.append(pk)
            todo.extend(children.get(pk, ()))
    elif scope.administration_id is not None:
        units = list(
            units_in_scope(user)
            .filter(administration_id=scope.administration_id)
            .values_list("pk", flat=True)
        )
    case_types: list[int] | None = None
    if scope.case_type_id is not None:
        case_types = [scope.case_type_id]
    elif scope.case_area_id is not None:
        case_types = list(
            CaseType.objects.filter(case_area_id=scope.case_area_id).values_list("pk", flat=True)
        )
    return units, case_types


def figures_for(
    user: Any, period: Period, scope: Scope, *, by: GroupBy = "all", themes: bool = True, days: bool = True
) -> dict[Any, Figures]:
    """Figures of a scope (within the user's access scope), grouped as asked."""
    units, case_types = scope_filters(user, scope)
    if (
        scope.administration_id is not None
        and scope.unit_id is None
        and scope_of(user).kind in (ScopeKind.MUNICIPALITY, ScopeKind.ADMINISTRATION)
    ):
        # The whole administration (the user sees all of it): read by administration, not unit by unit.
        return figures_grouped(
            user,
            period,
            by=by,
            administrations=[scope.administration_id],
            case_types=case_types,
            themes=themes,
            days=days,
        )
    return figures_grouped(user, period, by=by, units=units, case_types=case_types, themes=themes, days=days)


def metric_context(theme_id: int | None = None) -> Context:
    """The municipality's reply rule, and a theme together with the local sub-themes mapped to it."""
    themes: frozenset[int] = frozenset()
    if theme_id is not None:
        themes = frozenset(
            [theme_id, *ComplaintTheme.objects.filter(parent_id=theme_id).values_list("pk", flat=True)]
        )
    return Context(reply_rule_days=municipality_settings().reply_working_days, theme_ids=themes)


def metric_value(
    user: Any, code: str, period: Period, scope: Scope, *, theme_id: int | None = None
) -> float | None:
    """One metric's value for a scope and period, in the unit it is shown in; None means no data."""
    figures = figures_for(user, period, scope).get(None, Figures())
    return METRICS[code].value(figures, metric_context(theme_id))


# Days past the deadline, as a leader would sort a pile: (label, first day, last day or None).
OVERDUE_AGES: tuple[tuple[str, int, int | None], ...] = (
    ("1–10 dage", 1, 10),
    ("11–30 dage", 11, 30),
    ("31–90 dage", 31, 90),
    ("Over 90 dage", 91, None),
)


def open_past_deadline(user: Any, scope: Scope, as_of: date) -> list[tuple[str, int]]:
    """Open cases whose due date has passed on `as_of`, by calendar days past it. A snapshot of now, not a
    period sum: cases from count-only sources cannot be counted (they have no rows)."""
    units, case_types = scope_filters(user, scope)
    qs = restrict(
        Case.objects.filter(status=CaseStatus.OPEN, due_date__lt=as_of), user, perm=Perm.VIEW_AGGREGATES
    )
    if units is not None:
        qs = qs.filter(unit_id__in=units)
    if case_types is not None:
        qs = qs.filter(case_type_id__in=case_types)
    # Grouped by bucket with COUNT(*), not COUNT(id): the partial index on open cases then answers it
    # without reading the table (ten times faster with five million cases).
    bucket = DbCase(
        *[
            When(due_date__gte=as_of - timedelta(days=high), then=Value(i))
            for i, (_label, _low, high) in enumerate(OVERDUE_AGES)
            if high is not None
        ],
        default=Value(len(OVERDUE_AGES) - 1),
    )
    found = dict(
        qs.annotate(bucket=bucket)
        .values("bucket")
        .order_by()
        .annotate(n=Count("*"))
        .values_list("bucket", "n")
    )
    return [(label, found.get(i, 0)) for i, (label, _low, _high) in enumerate(OVERDUE_AGES)]


def recording_breaks(months: list[date]) -> list[RecordingBreak]:
    """The breaks in recording inside a chart's months (after its first), latest first."""
    if not months:
        return []
    return list(RecordingBreak.objects.filter(month__gt=months[0], month__lte=months[-1]).order_by("-month"))


def break_for(breaks: list[RecordingBreak], administration_id: int | None) -> RecordingBreak | None:
    """The latest break that applies to a scope: the whole municipality's, or its administration's."""
    return next(
        (b for b in breaks if b.administration_id is None or b.administration_id == administration_id), None
    )
