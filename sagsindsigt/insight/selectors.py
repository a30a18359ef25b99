"""Reads for the overview and drill-down, always through the caller's access scope."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum

from sagsindsigt.cases.models import Case, VolumeCount
from sagsindsigt.complaints.models import (
    MERITS_OUTCOMES,
    REVERSAL_OUTCOMES,
    Appeal,
    Complaint,
    ComplaintKind,
    ComplaintPoint,
)
from sagsindsigt.insight.figures import Figures, Period
from sagsindsigt.organisation.access import Perm, administrations_in_scope, restrict, units_in_scope
from sagsindsigt.organisation.models import Administration, Unit


def _grouped(qs: QuerySet[Any], **aggregates: Any) -> list[dict[str, Any]]:
    return list(qs.values("unit_id").order_by("unit_id").annotate(**aggregates))


def figures_by_unit(user: Any, period: Period) -> dict[int, Figures]:
    """Figures per unit (cases attached directly to that unit) within the user's scope."""
    by_unit: dict[int, Figures] = defaultdict(Figures)

    def scoped(model: Any) -> QuerySet[Any]:
        return restrict(model.objects.all(), user, perm=Perm.VIEW_AGGREGATES)

    for row in _grouped(scoped(Case).filter(received_date__range=(period.start, period.end)), n=Count("pk")):
        by_unit[row["unit_id"]].received += row["n"]
    decided = scoped(Case).filter(decided_date__range=(period.start, period.end))
    for row in _grouped(
        decided,
        n=Count("pk"),
        known=Count("pk", filter=Q(due_date__isnull=False)),
        within=Count("pk", filter=Q(due_date__isnull=False, decided_date__lte=F("due_date"))),
    ):
        f = by_unit[row["unit_id"]]
        f.decided += row["n"]
        f.decided_deadline_known += row["known"]
        f.decided_within_deadline += row["within"]
    # Count-only sources: a month belongs to the period when its first day does (ADR 0005).
    counts = scoped(VolumeCount).filter(month__range=(period.first_month, period.end))
    for row in _grouped(
        counts,
        n_received=Sum("received"),
        n_decided=Sum("decided"),
        known=Sum("decided", filter=Q(decided_within_deadline__isnull=False)),
        within=Sum("decided_within_deadline"),
    ):
        f = by_unit[row["unit_id"]]
        f.received += row["n_received"] or 0
        f.decided += row["n_decided"] or 0
        f.decided_deadline_known += row["known"] or 0
        f.decided_within_deadline += row["within"] or 0
    complaints = scoped(Complaint).filter(received_date__range=(period.start, period.end))
    for row in _grouped(
        complaints,
        n=Count("pk"),
        formal=Count("pk", filter=Q(kind=ComplaintKind.FORMAL)),
        substantive=Count("pk", filter=Q(kind=ComplaintKind.SUBSTANTIVE)),
    ):
        f = by_unit[row["unit_id"]]
        f.complaints += row["n"]
        f.complaints_formal += row["formal"]
        f.complaints_substantive += row["substantive"]
    points = restrict(
        ComplaintPoint.objects.all(), user, perm=Perm.VIEW_AGGREGATES, unit_field="complaint__unit"
    )
    for point_row in (
        points.filter(complaint__received_date__range=(period.start, period.end))
        .values("complaint__unit_id")
        .order_by("complaint__unit_id")
        .annotate(n=Count("pk"))
    ):
        by_unit[point_row["complaint__unit_id"]].complaint_points += point_row["n"]
    appeals = scoped(Appeal).filter(decision_date__range=(period.start, period.end))
    for row in _grouped(
        appeals,
        n=Count("pk"),
        merits=Count("pk", filter=Q(outcome__in=MERITS_OUTCOMES)),
        reversed=Count("pk", filter=Q(outcome__in=REVERSAL_OUTCOMES)),
    ):
        f = by_unit[row["unit_id"]]
        f.appeals_decided += row["n"]
        f.appeals_on_merits += row["merits"]
        f.appeals_reversed += row["reversed"]
    return dict(by_unit)


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
