"""The grid of counts a user's tables can show for one period, and the one suppression decision over it
(ADR 0015; pure: the reads that fill it are in protection.py).

Every count a page, an export, a chart or the REST API shows for a period is a cell of one grid: a node of
the user's unit tree (everything they see, an administration, a unit with its sub-units, or the cases on a
unit itself) by a node of the case tree (all cases, a case area, a case type). Each node is the sum of its
children in both trees, so `common.suppression.protect` decides the whole grid at once, per kind of count,
and every output looks its cells up here: no two outputs can disagree, and no sum across outputs gives a
hidden count back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import cast

from sagsindsigt.common.suppression import Decision, Sum, protect
from sagsindsigt.insight.metrics.figures import Figures

ROOT = "*"
Node = Hashable
Cell = tuple[Node, Node]
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


@dataclass
class Grid:
    """The user's figures for one period by unit-tree leaf and case type, and the two trees over them."""

    leaves: dict[tuple[Node, Node], Figures]
    unit_children: dict[Node, list[Node]]
    case_children: dict[Node, list[Node]]
    threshold: int
    _ancestors: dict[Node, list[Node]] = field(default_factory=dict)
    _decisions: dict[str, Decision] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for children in (self.unit_children, self.case_children):
            parent = {kid: node for node, kids in children.items() for kid in kids}
            for node in {*parent, *children}:
                chain, at = [node], node
                while at in parent:
                    at = parent[at]
                    chain.append(at)
                self._ancestors[node] = chain

    def values(self, count: Count) -> dict[Hashable, int]:
        """Every non-zero cell of the grid for one kind of count (a count adds up like the figures)."""
        found: dict[Hashable, int] = defaultdict(int)
        for (u, c), f in self.leaves.items():
            n = count(f)
            if n:
                for ua in self._ancestors.get(u, [u, ROOT]):
                    for ca in self._ancestors.get(c, [c, ROOT]):
                        found[(ua, ca)] += n
        return dict(found)

    def sums(self, cells: Iterable[Hashable]) -> list[Sum]:
        out = []
        for cell in cells:
            u, c = cast(Cell, cell)
            if self.unit_children.get(u):
                out.append(Sum((u, c), tuple((k, c) for k in self.unit_children[u])))
            if self.case_children.get(c):
                out.append(Sum((u, c), tuple((u, k) for k in self.case_children[c])))
        return out

    def decision(self, name: str, count: Count | None = None) -> Decision:
        """The decision for one kind of count: a field of the figures by name, or `count` under `name`."""
        if name not in self._decisions:
            get: Count = count if count is not None else (lambda f: getattr(f, name))
            values = self.values(get)
            follows = LINKED.get(name)
            self._decisions[name] = protect(
                values,
                self.sums(values),
                self.threshold,
                also_hidden=self.decision(follows).hidden if follows else (),
            )
        return self._decisions[name]
