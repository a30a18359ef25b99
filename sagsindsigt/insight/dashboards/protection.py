"""Reads the grid of a user's counts for a period (grid.py, ADR 0015): the unit tree they see, the case
tree, and the figures by unit and case type, once per request (cached on the user object, like the unit
tree)."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict, defaultdict
from datetime import date
from typing import Any

from django.conf import settings
from django.core.cache import caches

from sagsindsigt.cases.models import CaseType
from sagsindsigt.common.periods import Period, month_end, month_start, months_between
from sagsindsigt.common.staleness import data_version
from sagsindsigt.common.suppression import whole_months_problem
from sagsindsigt.insight.dashboards.grid import (
    PERIOD,
    ROOT,
    Cell,
    Grid,
    Node,
    administration_node,
    area_node,
    own_node,
    type_node,
    unit_node,
)
from sagsindsigt.insight.metrics.figures import Figures
from sagsindsigt.insight.rollups.selectors import Slice, figures_grouped
from sagsindsigt.organisation.access import Perm, can, unit_tree
from sagsindsigt.organisation.selectors import municipality_settings


def _unit_tree_children(user: Any) -> tuple[dict[Node, list[Node]], dict[int, Node]]:
    """The unit tree as nodes (root, administrations, units, units' own cases) and each unit's leaf."""
    tree = unit_tree(user)
    children: dict[Node, list[Node]] = defaultdict(list)
    leaf: dict[int, Node] = {}
    parent_of = {kid: p for p, kids in tree.children.items() for kid in kids}
    for pk, administration in sorted(tree.administration_of.items()):
        kids = tree.children.get(pk, ())
        if kids:
            children[unit_node(pk)] = [own_node(pk), *(unit_node(k) for k in sorted(kids))]
            leaf[pk] = own_node(pk)
        else:
            leaf[pk] = unit_node(pk)
        if parent_of.get(pk) not in tree.administration_of:
            children[administration_node(administration)].append(unit_node(pk))
    children[ROOT] = [n for n in sorted(children, key=str) if isinstance(n, tuple) and n[0] == "a"]
    return dict(children), leaf


def _case_tree_children() -> dict[Node, list[Node]]:
    children: dict[Node, list[Node]] = defaultdict(list)
    for pk, area in CaseType.objects.order_by("pk").values_list("pk", "case_area_id"):
        children[area_node(area)].append(type_node(pk))
    children[area_node(None)].append(type_node(None))  # count-only sources without a case type
    children[ROOT] = sorted(children, key=str)
    return dict(children)


class _Kept:
    """Decisions kept in this process (the latest few, ready to use) in front of Django's cache (shared by
    the processes, but read from disk and unpickled)."""

    SIZE = 48

    def __init__(self) -> None:
        self.recent: OrderedDict[str, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self.lock:
            if key in self.recent:
                self.recent.move_to_end(key)
                return self.recent[key]
        found = caches["suppression"].get(key)
        if found is not None:
            self._keep(key, found)
        return found

    def set(self, key: str, value: Any) -> None:
        caches["suppression"].set(key, value)
        self._keep(key, value)

    def _keep(self, key: str, value: Any) -> None:
        with self.lock:
            self.recent[key] = value
            while len(self.recent) > self.SIZE:
                self.recent.popitem(last=False)


_KEPT = _Kept()


_Base = tuple[dict[Node, list[Node]], dict[int, Node], dict[Node, list[Node]], int, str]


def _base(user: Any) -> _Base:
    """What every grid of a request shares: the trees, the reply rule and the data's version, read once
    per request (on the request's user object, like the unit tree)."""
    found: _Base | None = getattr(user, "_sagsindsigt_grid_base", None)
    if found is None:
        unit_children, leaf = _unit_tree_children(user)
        split = municipality_settings().reply_working_days
        found = (unit_children, leaf, _case_tree_children(), split, data_version())
        if getattr(user, "pk", None) is not None:
            setattr(user, "_sagsindsigt_grid_base", found)  # noqa: B010 (cache on the request's user object)
    return found


def grid(
    user: Any, period: Period, *, since: date | None = None, themes: bool = False, days: bool = True
) -> Grid:
    """The user's grid for a period and, when the period is whole months, its months and those from
    `since` (the control charts' history). Per request it is made once (a grid with more serves one with
    less); its decisions are kept in the cache under the data's version, the trees and the period, so the
    figures are read only when the data has changed since. The grid decides counts, never values: a
    working-day histogram is read as two buckets, within the reply rule and after it, which is all any
    metric's counts ask of it."""
    whole = whole_months_problem(period.start, period.end) is None
    start = min(since or period.start, period.start) if whole else period.start
    cache: dict[tuple[Period, date, bool, bool], Grid] = getattr(user, "_sagsindsigt_grids", None) or {}
    for (p, s, t, d), found in cache.items():
        if p == period and s <= start and t >= themes and d >= days:
            return found
    unit_children, leaf, case_children, split, version = _base(user)
    time_children: dict[Node, list[Node]] = {}
    if whole:
        time_children[PERIOD] = list(months_between(period.start, period.end))

    def load() -> dict[tuple[Node, Node, Node], Figures]:
        leaves: dict[tuple[Node, Node, Node], Figures] = {}
        if whole:
            read = figures_grouped(
                user,
                Period(start, period.end),
                by="unit_case_type_month",
                days=days,
                themes=themes,
                days_split_at=split,
            )
            for (unit, case_type, month), f in read.items():
                if unit in leaf:
                    leaves[(leaf[unit], type_node(case_type), month)] = f
        else:
            for (unit, case_type), f in figures_grouped(
                user, period, by="unit_case_type", days=days, themes=themes, days_split_at=split
            ).items():
                if unit in leaf:
                    leaves[(leaf[unit], type_node(case_type), PERIOD)] = f
        return leaves

    threshold = settings.SUPPRESSION_THRESHOLD
    named = repr(
        (data_version(), unit_children, case_children, period, start, themes, days, split, threshold)
    )
    made = Grid(
        load,
        unit_children,
        case_children,
        time_children,
        threshold,
        store=_KEPT if settings.SUPPRESSION_KEEP_DECISIONS else None,
        key="grid:" + hashlib.sha256(named.encode()).hexdigest(),
    )
    if getattr(user, "pk", None) is not None:
        cache[(period, start, themes, days)] = made
        setattr(user, "_sagsindsigt_grids", cache)  # noqa: B010 (cache on the request's user object)
    return made


def readable_period(user: Any, period: Period) -> tuple[Period, str | None]:
    """The period a page shows the user, and a note when it is not the one asked for: a user who may not
    read the case rows gets whole months (ADR 0015), since two periods a day apart would give one day's
    count by subtraction."""
    if whole_months_problem(period.start, period.end) is None or can(user, Perm.VIEW_CASE_ROWS):
        return period, None
    widened = Period(month_start(period.start), month_end(period.end))
    return widened, (
        f"Tallene vises for hele måneder, {widened.label()}: din rolle giver ikke adgang til sagerne selv, "
        "og tal for enkeltdage kunne regnes ud ved at trække to perioder fra hinanden."
    )


def slice_cell(over: Slice) -> Cell:
    """The grid cell of a slice."""
    if over.unit_id is not None:
        u = unit_node(over.unit_id)
    elif over.administration_id is not None:
        u = administration_node(over.administration_id)
    else:
        u = ROOT
    if over.case_type_id is not None:
        c = type_node(over.case_type_id)
    elif over.case_area_id is not None:
        c = area_node(over.case_area_id)
    else:
        c = ROOT
    return u, c
