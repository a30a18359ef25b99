"""Template filters for Danish numbers and plurals (built in: every template has them without {% load %})."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from sagsindsigt.common import danish

register = template.Library()


@register.filter
def tal(value: Any, decimals: int = 0) -> str:
    """A number with Danish separators: {{ 300424|tal }} is 300.424, {{ 87.291|tal:1 }} is 87,3. Anything
    else (a suppressed "<5", an already formatted value, nothing) is shown as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return "" if value is None else str(value)
    return danish.number(value, int(decimals))


@register.filter
def flertal(count: Any, forms: str) -> str:
    """The count and its noun in the right number: {{ n|flertal:"klage,klager" }} is "1 klage" or
    "2.150 klager"."""
    singular, _comma, plural_form = forms.partition(",")
    return danish.plural(int(count), singular, plural_form or singular)
