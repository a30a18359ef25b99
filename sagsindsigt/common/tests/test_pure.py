"""Pure helpers: suppression, pseudonymisation, formula escaping."""

from __future__ import annotations

import pytest

from sagsindsigt.common.exports import csv_bytes, escape_cell
from sagsindsigt.common.pseudonym import InvalidCpr, pseudonymise_cpr
from sagsindsigt.common.suppression import suppress_column
from sagsindsigt.insight.dashboards.grid import PERIOD, Grid
from sagsindsigt.insight.dashboards.presentation import present
from sagsindsigt.insight.metrics.figures import Figures


@pytest.mark.parametrize(("count", "shown"), [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"), (1234, "1.234")])
def test_primary_suppression_threshold(count: int, shown: str) -> None:
    assert str(suppress_column([count, 100, 200], 5, total_shown=False)[0]) == shown


def test_secondary_suppression_hides_next_smallest_when_one_is_hidden() -> None:
    shown = suppress_column([3, 50, 7, 60], 5)
    assert [s.suppressed for s in shown] == [True, False, True, False]
    assert [s.suppressed for s in suppress_column([3, 2, 70], 5)] == [True, True, False]


def test_rate_is_hidden_when_it_would_reveal_a_small_count() -> None:
    a, b = Figures(decided=1000, complaints_formal=3), Figures(decided=1000, complaints_formal=40)
    c = Figures(decided=1000, complaints_formal=50)
    grid = Grid.of(
        {("A", "t", PERIOD): a, ("B", "t", PERIOD): b, ("C", "t", PERIOD): c},
        {"*": ["A", "B", "C"]},
        {"*": ["t"]},
        5,
    )
    rows, total = present(
        [(k, "", None, f, (k, "*")) for k, f in (("A", a), ("B", b), ("C", c))],
        (Figures.total([a, b, c]), ("*", "*")),
        grid,
    )
    assert str(rows[0].rates["formal_per_1000"]) == "skjult"
    assert "mellem 1 og 4" in rows[0].rates["formal_per_1000"].html
    # B's 40 would give A's 3 back with the total (93 per 3,000): hidden too; C is shown
    assert str(rows[1].rates["formal_per_1000"]) == "skjult"
    assert str(rows[2].rates["formal_per_1000"]) == "50,0"
    assert str(rows[0].rates["reversal_rate"]) == "ingen data"


def test_cpr_pseudonym_is_keyed_and_stable() -> None:
    a = pseudonymise_cpr("010190-1235", key="k1")
    assert a == pseudonymise_cpr("0101901235", key="k1")
    assert a != pseudonymise_cpr("010190-1235", key="k2")
    assert "0101901235" not in a


@pytest.mark.parametrize("bad", ["", "12", "320190-1234", "011390-1234", "abcdefghij"])
def test_invalid_cpr_message_never_contains_the_value(bad: str) -> None:
    with pytest.raises(InvalidCpr) as error:
        pseudonymise_cpr(bad, key="k")
    assert bad not in str(error.value) or bad == ""


@pytest.mark.parametrize("payload", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\nx"])
def test_formula_prefixes_are_escaped(payload: str) -> None:
    assert escape_cell(payload) == "'" + payload
    assert csv_bytes(["a"], [[payload]]).decode("utf-8-sig").splitlines()[1].startswith("\"'") or csv_bytes(
        ["a"], [[payload]]
    ).decode("utf-8-sig").splitlines()[1].startswith("'")


def test_a_column_with_its_total_hides_the_next_smallest_too() -> None:
    from sagsindsigt.common.suppression import suppress_with_total

    shown = suppress_with_total([3, 12, 40], 5)
    assert [str(s) for s in shown] == ["<5", "•", "40", "55"]
    assert [s.reason for s in shown] == ["small", "secondary", None, None]
    assert [str(s) for s in suppress_with_total([3], 5)] == ["<5", "<5"]
