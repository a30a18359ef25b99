"""The grid of counts a user's outputs can show for one period, and the one suppression decision over it
(ADR 0015; pure: the reads that fill it are in protection.py).

Every count a page, an export, a chart or the REST API shows for a period is a cell of one grid: a node of
the user's unit tree (everything they see, an administration, a unit with its sub-units, or the cases on a
unit itself) by a node of the case tree (all cases, a case area, a case type) by a node of time (the whole
period, or one month of it or of the control charts' history before it). Each node is the sum of its
children in every tree, so `common.suppression.protect_grid` decides the whole grid at once, per kind of
count, and every output looks its cells up here: no two outputs can disagree, and no sum across outputs
gives a hidden count back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from sagsindsigt.common.suppression import Decision, Shown, protect_grid
from sagsindsigt.insight.metrics.figures import Figures

ROOT = "*"
PERIOD = "period"  # the time node of the whole period
Node = Hashable
Cell = tuple[Node, ...]  # (unit node, case node) for the period, or with a month last
Count = Callable[[Figures], int]


def administration_node(pk: int) -> Node:
    return ("a", pk)


def unit_node(pk: int) -> Node:
    """A unit with every visible unit below it."""
    return ("u", pk)


def own_node(pk: int) -> Node:
    """The cases registered on a unit itself (the unit's node when it has no visible sub-units)."""
    return ("o", pk)


def area_node(pk: int | None) -> Node:
    return ("area", pk)


def type_node(pk: int | None) -> Node:
    return ("type", pk)


# Counts whose hiding must follow another's: the points beside hidden complaints would tell roughly how
# many there are, and formal + substantive complaints add up to (most of) them.
LINKED: dict[str, str] = {
    "complaint_points": "complaints",
    "complaints_formal": "complaints",
    "complaints_substantive": "complaints",
}


class GridDecision:
    """A decision over the grid, asked by cell: a cell without a month is the whole period's."""

    def __init__(self, decision: Decision) -> None:
        self.decision = decision
        self.hidden = decision.hidden

    @staticmethod
    def key(cell: Cell) -> Cell:
        return cell if len(cell) == 3 else (*cell, PERIOD)

    def shown(self, cell: Cell) -> Shown:
        return self.decision.shown(self.key(cell))

    def is_hidden(self, cell: Cell) -> bool:
        return self.decision.is_hidden(self.key(cell))


def _ancestors(children: Mapping[Node, Sequence[Node]]) -> dict[Node, list[Node]]:
    parent = {kid: node for node, kids in children.items() for kid in kids}
    chains: dict[Node, list[Node]] = {}
    for node in {*parent, *children}:
        chain, at = [node], node
        while at in parent:
            at = parent[at]
            chain.append(at)
        chains[node] = chain
    return chains


class Store(Protocol):
    """Where decisions outlive a request (Django's cache): keys name the data they were made from."""

    def get(self, key: str) -> Any: ...

    def set(self, key: str, value: Any) -> None: ...


@dataclass
class Grid:
    """The user's figures by unit-tree leaf, case type and time leaf (a month, or the whole period when it
    is not made of whole months), and the three trees over them. The figures are read (`load`) only when
    a decision is not in `store` under `key` (which names the data version, the trees and the period)."""

    load: Callable[[], Mapping[tuple[Node, Node, Node], Figures]]
    unit_children: dict[Node, list[Node]]
    case_children: dict[Node, list[Node]]
    time_children: dict[Node, list[Node]]
    threshold: int
    store: Store | None = None
    key: str = ""
    _cells: list[tuple[Figures, list[Cell]]] | None = None
    _decisions: dict[str, GridDecision] = field(default_factory=dict)
    _by_values: list[tuple[dict[Cell, int], GridDecision]] = field(default_factory=list)

    @classmethod
    def of(
        cls,
        leaves: Mapping[tuple[Node, Node, Node], Figures],
        unit_children: dict[Node, list[Node]],
        case_children: dict[Node, list[Node]],
        threshold: int,
        time_children: dict[Node, list[Node]] | None = None,
    ) -> Grid:
        return cls(lambda: leaves, unit_children, case_children, time_children or {}, threshold)

    @property
    def months(self) -> bool:
        """Whether the grid holds months (a period of whole months), so charts can look them up."""
        return bool(self.time_children)

    def _leaf_cells(self) -> list[tuple[Figures, list[Cell]]]:
        """Each leaf with every cell it counts in (its ancestors in the three trees), worked out once."""
        if self._cells is None:
            units, cases, times = (
                _ancestors(t) for t in (self.unit_children, self.case_children, self.time_children)
            )
            self._cells = [
                (
                    f,
                    [
                        (ua, ca, ta)
                        for ua in units.get(u, [u, ROOT])
                        for ca in cases.get(c, [c, ROOT])
                        for ta in times.get(t, [t])
                    ],
                )
                for (u, c, t), f in self.load().items()
            ]
        return self._cells

    def values(self, count: Count) -> dict[Cell, int]:
        """Every non-zero cell of the grid for one kind of count (a count adds up like the figures)."""
        found: dict[Cell, int] = defaultdict(int)
        for f, cells in self._leaf_cells():
            n = count(f)
            if n:
                for cell in cells:
                    found[cell] += n
        return dict(found)

    def decision(self, name: str, count: Count | None = None) -> GridDecision:
        """The decision for one kind of count: a field of the figures by name, or `count` under `name`."""
        if name in self._decisions:
            return self._decisions[name]
        stored = self.store.get(f"{self.key}:{name}") if self.store is not None else None
        if stored is not None:
            values, hidden = stored
            self._decisions[name] = GridDecision(Decision(values, hidden, self.threshold))
            return self._decisions[name]
        get: Count = count if count is not None else (lambda f: getattr(f, name))
        follows = LINKED.get(name)
        values = self.values(get)
        # Metrics share counts (complaints per 1,000 and complaints both count complaints): the same
        # values get the same decision, once.
        same = next((d for v, d in self._by_values if v == values), None) if not follows else None
        if same is None:
            same = GridDecision(
                protect_grid(
                    values,
                    [self.unit_children, self.case_children, self.time_children],
                    self.threshold,
                    also_hidden=self.decision(follows).hidden if follows else (),
                )
            )
            if not follows:
                self._by_values.append((values, same))
        self._decisions[name] = same
        if self.store is not None:
            self.store.set(f"{self.key}:{name}", (same.decision.values, same.decision.hidden))
        return same


def month_cell(cell: Cell, month: date) -> Cell:
    return (cell[0], cell[1], month)
