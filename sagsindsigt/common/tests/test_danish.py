"""Danish numbers and plurals: one helper for every page, message, export report and command."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.template import Context, Template

from sagsindsigt.common.danish import number, plural
from sagsindsigt.common.suppression import Shown


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (300424, 0, "300.424"),
        (21149, 0, "21.149"),
        (999, 0, "999"),
        (1000, 0, "1.000"),
        (-1234567, 0, "-1.234.567"),
        (87.291, 2, "87,29"),
        (1234.5, 1, "1.234,5"),
        (Decimal("0.5"), 1, "0,5"),
        (None, 0, ""),
        (2**53 + 1, 0, "9.007.199.254.740.993"),
    ],
)
def test_number_groups_thousands_with_a_dot_and_uses_a_decimal_comma(
    value: Any, decimals: int, expected: str
) -> None:
    assert number(value, decimals) == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 klagepunkter"), (1, "1 klagepunkt"), (2, "2 klagepunkter"), (21149, "21.149 klagepunkter")],
)
def test_plural_takes_the_singular_only_for_one(count: int, expected: str) -> None:
    assert plural(count, "klagepunkt", "klagepunkter") == expected


@pytest.mark.parametrize(
    ("template", "context", "expected"),
    [
        ("{{ n|tal }}", {"n": 300424}, "300.424"),
        ("{{ n|tal:1 }}", {"n": 87.25}, "87,2"),
        ("{{ n|tal }}", {"n": None}, ""),
        ("{{ n|tal }}", {"n": Shown(None, 5)}, "&lt;5"),
        ("{{ n|flertal:'sag,sager' }}", {"n": 1}, "1 sag"),
        ("{{ n|flertal:'sag,sager' }}", {"n": 300424}, "300.424 sager"),
        ("{{ n|flertal:'række,rækker' }}", {"n": 1}, "1 række"),
    ],
)
def test_the_template_filters_need_no_load_tag(template: str, context: dict[str, Any], expected: str) -> None:
    assert Template(template).render(Context(context)) == expected
