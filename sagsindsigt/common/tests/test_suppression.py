"""The suppression engine on random grids: every small count hidden, and no sum left with one hidden term."""

from __future__ import annotations

from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from sagsindsigt.common.suppression import SECONDARY_SYMBOL, Shown, protect_grid

UNITS = {"*": ["a", "b"], "a": ["a1", "a2", "a3"], "b": ["b1", "b2"]}
CASES = {"*": ["x", "y"]}
MONTHS = {"p": ["m1", "m2", "m3"]}
LEAVES = [(u, c, m) for u, c, m in product(["a1", "a2", "a3", "b1", "b2"], ["x", "y"], ["m1", "m2", "m3"])]
PARENTS = [{k: n for n, ks in tree.items() for k in ks} for tree in (UNITS, CASES, MONTHS)]


def _cells(values: dict[tuple[str, str, str], int]) -> dict[tuple[str, str, str], int]:
    """Every node of the three trees summed from the leaves."""
    found: dict[tuple[str, str, str], int] = {}

    def chain(node: str, parent: dict[str, str]) -> list[str]:
        out = [node]
        while out[-1] in parent:
            out.append(parent[out[-1]])
        return out

    for (u, c, m), n in values.items():
        for cell in product(chain(u, PARENTS[0]), chain(c, PARENTS[1]), chain(m, PARENTS[2])):
            found[cell] = found.get(cell, 0) + n
    return {k: v for k, v in found.items() if v}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=30), min_size=len(LEAVES), max_size=len(LEAVES)))
def test_no_sum_is_left_with_one_hidden_term(counts: list[int]) -> None:
    values = _cells(dict(zip(LEAVES, counts, strict=True)))
    decision = protect_grid(values, [UNITS, CASES, MONTHS], 5)
    # every small count is hidden as small; everything hidden is a real count
    assert all(decision.hidden.get(c) == "small" for c, v in values.items() if 0 < v < 5)
    assert all(values[c] > 0 for c in decision.hidden)
    # and no sum along any tree has exactly one hidden term
    for d, tree in enumerate((UNITS, CASES, MONTHS)):
        for total in values:
            kids = tree.get(total[d])
            if not kids:
                continue
            terms = [total, *((*total[:d], k, *total[d + 1 :]) for k in kids)]
            assert sum(1 for t in terms if t in decision.hidden) != 1, (d, total)


def test_a_hidden_count_says_why() -> None:
    assert str(Shown(None, 5, "small")) == "<5"
    assert str(Shown(None, 5, "secondary")) == SECONDARY_SYMBOL
    assert 'class="hidden-secondary"' in Shown(None, 5, "secondary").html
    assert "Færre end 5" in Shown(None, 5, "small").html
    assert str(Shown(21149, 5)) == "21.149"
