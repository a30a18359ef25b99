"""Small-number suppression (DOMAIN.md §8, ADR 0015): counts 1–4 are shown as "<5"; secondary suppression
hides more cells, marked with their own symbol, so no sum the product shows can give a hidden count back.

One decision covers every cell a family of tables can show: `protect` takes the cells' values and the sums
that tie them together (a unit is the sum of its sub-units, a case area the sum of its case types, a period
the sum of its months) and hides cells until no sum has exactly one hidden term. Every output (page,
export, chart, API) then looks its cells up in that one decision, so two outputs can never disagree.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from typing import Any, Literal

Reason = Literal["small", "secondary"]
SECONDARY_SYMBOL = "•"
SECONDARY_EXPLANATION = (
    "Skjult, fordi tallet sammen med totalen ellers ville afsløre et lille tal et andet sted i tabellen."
)


def small_explanation(threshold: int) -> str:
    return f"Færre end {threshold}: små tal vises ikke, så ingen borger eller medarbejder kan genkendes."


RATE_HIDDEN = "skjult"


def rate_explanation(threshold: int) -> str:
    return (
        f"En andel eller et forhold vises ikke, når tælleren eller nævneren er mellem 1 og {threshold - 1} "
        "eller selv er skjult: ganget med nævneren ville den give det skjulte tal tilbage."
    )


class Markup(str):
    """Text that is already HTML: a template shows it as it is (the protocol Django's escaping honours)."""

    def __html__(self) -> str:
        return self


@dataclass(frozen=True)
class Shown:
    """A count as it may be displayed: `value` is None when suppressed, `reason` says why."""

    value: int | None
    threshold: int
    reason: Reason | None = None

    @property
    def suppressed(self) -> bool:
        return self.value is None

    @property
    def secondary(self) -> bool:
        return self.reason == "secondary"

    def __str__(self) -> str:
        if self.value is not None:
            return f"{self.value:,}".replace(",", ".")
        return SECONDARY_SYMBOL if self.secondary else f"<{self.threshold}"

    def export(self) -> int | str:
        """For a spreadsheet: the number itself, or the same symbol the page shows."""
        return str(self) if self.value is None else self.value

    @property
    def html(self) -> Markup:
        """For a template: a hidden count carries its explanation (the page's legend says it too)."""
        if self.value is not None:
            return Markup(str(self))
        title = SECONDARY_EXPLANATION if self.secondary else small_explanation(self.threshold)
        kind = "secondary" if self.secondary else "small"
        return Markup(f'<abbr class="hidden-{kind}" title="{escape(title)}">{escape(str(self))}</abbr>')


def whole_months_problem(start: date, end: date) -> str | None:
    """Outputs that may leave the user's own view (exports, the REST API) use whole months only: two
    periods a day apart would give one day's count by subtraction (ADR 0015). None when the period is fine."""
    if start.day == 1 and (end + timedelta(days=1)).day == 1:
        return None
    return (
        f"Perioden {start:%d-%m-%Y} – {end:%d-%m-%Y} består ikke af hele måneder. Tal, der kan forlade "
        "Sagsindsigt (eksport og API), gives kun for hele måneder, så små tal ikke kan regnes ud ved at "
        "trække to perioder fra hinanden. Vælg en periode fra den 1. til den sidste dag i en måned."
    )


def is_small(count: int, threshold: int) -> bool:
    return 0 < count < threshold


Cell = Hashable


@dataclass(frozen=True)
class Sum:
    """`total` is the sum of `parts` (cells of value 0 may be left out)."""

    total: Cell
    parts: tuple[Cell, ...]


class Decision:
    """Which cells of a family of tables are hidden, and why. A cell it has never seen has the value 0."""

    def __init__(self, values: Mapping[Cell, int], hidden: Mapping[Cell, Reason], threshold: int) -> None:
        self.values = values
        self.hidden = hidden
        self.threshold = threshold

    def shown(self, cell: Cell) -> Shown:
        reason = self.hidden.get(cell)
        return Shown(None if reason else self.values.get(cell, 0), self.threshold, reason)

    def is_hidden(self, cell: Cell) -> bool:
        return cell in self.hidden


def protect(
    values: Mapping[Cell, int],
    sums: Iterable[Sum],
    threshold: int,
    *,
    also_hidden: Iterable[Cell] = (),
) -> Decision:
    """Hide every small count, and `also_hidden` (cells another decision hides that this one would give
    away), then, for as long as some sum has exactly one hidden term, hide the smallest non-zero term of it
    that is shown (a part before the total; ties by the cell's order), so the sum cannot be solved for it."""
    equations = [s for s in sums if values.get(s.total, 0)]
    member_of: dict[Cell, list[int]] = defaultdict(list)
    for i, s in enumerate(equations):
        member_of[s.total].append(i)
        for p in s.parts:
            member_of[p].append(i)
    hidden: dict[Cell, Reason] = {c: "small" for c, v in values.items() if is_small(v, threshold)}
    for c in also_hidden:
        if values.get(c, 0) and c not in hidden:
            hidden[c] = "secondary"
    order = {c: i for i, c in enumerate(values)}
    queue = deque(range(len(equations)))
    queued = set(queue)
    while queue:
        i = queue.popleft()
        queued.discard(i)
        s = equations[i]
        terms = [s.total, *s.parts]
        if sum(1 for t in terms if t in hidden) != 1:
            continue
        open_parts = [p for p in s.parts if p not in hidden and values.get(p, 0)]
        if open_parts:
            pick = min(open_parts, key=lambda p: (values[p], order.get(p, 0)))
        else:
            pick = s.total
        hidden[pick] = "secondary"
        for j in member_of[pick]:
            if j not in queued:
                queue.append(j)
                queued.add(j)
    return Decision(values, hidden, threshold)


def protect_grid(
    values: Mapping[Any, int],
    children: Sequence[Mapping[Hashable, Sequence[Hashable]]],
    threshold: int,
    *,
    also_hidden: Iterable[Any] = (),
) -> Decision:
    """`protect` for a grid whose cells are tuples of nodes, one per dimension, each dimension a tree given
    as node -> children: a cell is the sum of its children along any dimension. It keeps count of the
    hidden terms of every sum that has any, and looks only at sums with exactly one, so a large grid with
    many small counts is decided quickly. Of the terms that could be hidden beside a hidden one it takes
    the one that leaves the fewest other sums to repair, then the smallest: few large counts are lost to
    a chain of secondary suppressions."""
    parent = [{kid: node for node, kids in tree.items() for kid in kids} for tree in children]
    hidden: dict[Any, Reason] = {c: "small" for c, v in values.items() if is_small(v, threshold)}
    for c in also_hidden:
        if values.get(c, 0) and c not in hidden:
            hidden[c] = "secondary"
    order = {c: i for i, c in enumerate(values)}
    dims = range(len(children))
    hidden_terms: dict[tuple[Any, int], int] = defaultdict(int)
    todo: list[tuple[Any, int]] = []

    def sums_of(cell: Any) -> Iterable[tuple[Any, int]]:
        """Every sum a cell is a term of (as the total, or as a part), that has a non-zero total."""
        for d in dims:
            node = cell[d]
            if children[d].get(node):
                yield cell, d
            up = parent[d].get(node)
            if up is not None:
                key = ((*cell[:d], up, *cell[d + 1 :]), d)
                if values.get(key[0], 0):
                    yield key

    def count(cell: Any) -> None:
        """Count a newly hidden cell in every sum it is a term of."""
        for key in sums_of(cell):
            hidden_terms[key] += 1
            if hidden_terms[key] == 1:
                todo.append(key)

    def cost(cell: Any, at: tuple[Any, int]) -> tuple[int, int, int]:
        """What hiding a cell costs: the sums it would leave with one hidden term each (each needs one
        more cell hidden), then its value (the information lost), then its order."""
        opened = sum(1 for key in sums_of(cell) if key != at and hidden_terms[key] == 0)
        return opened, values[cell], order.get(cell, 0)

    for c in hidden:
        count(c)
    while todo:
        key = todo.pop()
        if hidden_terms[key] != 1:
            continue
        total, d = key
        if not values.get(total, 0):
            continue
        parts = [
            p
            for p in ((*total[:d], kid, *total[d + 1 :]) for kid in children[d][total[d]])
            if values.get(p, 0) and p not in hidden
        ]
        if parts:
            pick = min(parts, key=lambda p: cost(p, key))
        elif total not in hidden:
            pick = total  # the one hidden part is the only non-zero one: the total would be its value
        else:
            continue
        hidden[pick] = "secondary"
        count(pick)
    return Decision(values, hidden, threshold)


def tree_sums(children: Mapping[Cell, Sequence[Cell]]) -> list[Sum]:
    """The sums of a hierarchy given as node -> its children."""
    return [Sum(node, tuple(kids)) for node, kids in children.items() if kids]


def suppress_column(counts: Sequence[int], threshold: int, *, total_shown: bool = True) -> list[Shown]:
    """A column whose last entry is the total of the others (when `total_shown`), decided on its own."""
    values: dict[Cell, int] = dict(enumerate(counts))
    last = len(counts) - 1
    sums = [Sum(last, tuple(range(last)))] if total_shown and last > 0 else []
    decision = protect(values, sums, threshold)
    return [decision.shown(i) for i in range(len(counts))]


def suppress_with_total(counts: Sequence[int], threshold: int) -> list[Shown]:
    """The counts and, last, their total: a column shown with its sum (secondary suppression applies)."""
    return suppress_column([*counts, sum(counts)], threshold, total_shown=len(counts) > 1)
