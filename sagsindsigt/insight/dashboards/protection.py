"""Reads the grid of a user's counts for a period (grid.py, ADR 0015): the unit tree they see, the case
tree, and the figures by unit and case type, once per request (cached on the user object, like the unit
tree)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings

from sagsindsigt.cases.models import CaseType
from sagsindsigt.common.periods import Period
from sagsindsigt.insight.dashboards.grid import (
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
from sagsindsigt.organisation.access import unit_tree


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


def grid(user: Any, period: Period, *, themes: bool = False, days: bool = False) -> Grid:
    """The user's grid for a period, read once per request (a grid with more detail serves one with less)."""
    cache: dict[tuple[Period, bool, bool], Grid] = getattr(user, "_sagsindsigt_grids", None) or {}
    for (p, t, d), found in cache.items():
        if p == period and t >= themes and d >= days:
            return found
    unit_children, leaf = _unit_tree_children(user)
    leaves: dict[tuple[Node, Node], Figures] = {}
    for (unit, case_type), f in figures_grouped(
        user, period, by="unit_case_type", days=days, themes=themes
    ).items():
        if unit in leaf:
            leaves[(leaf[unit], type_node(case_type))] = f
    made = Grid(leaves, unit_children, _case_tree_children(), settings.SUPPRESSION_THRESHOLD)
    if getattr(user, "pk", None) is not None:
        cache[(period, themes, days)] = made
        setattr(user, "_sagsindsigt_grids", cache)  # noqa: B010 (cache on the request's user object)
    return made


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
