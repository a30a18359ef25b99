"""Danish month names, numbers (300.424; 87,29) and plurals, for labels, messages and exports."""

from __future__ import annotations

from decimal import Decimal

MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
# The three-letter forms Danish tables and chart axes use.
SHORT_MONTHS = tuple(name[:3] for name in MONTHS)


def number(value: float | int | Decimal | None, decimals: int = 0) -> str:
    """A number as Danish text: '.' between thousands and ',' before decimals (300.424; 87,29).
    None is the empty string."""
    if value is None:
        return ""
    # Through Decimal: an int or Decimal formatted with "f" would otherwise pass through a float and lose
    # digits past 2**53.
    exact = value if isinstance(value, Decimal) else Decimal(value) if isinstance(value, int) else value
    return f"{exact:,.{decimals}f}".translate(_SWAP)


_SWAP = str.maketrans({",": ".", ".": ","})


def plural(count: int, singular: str, plural_form: str) -> str:
    """The count with its noun in the right number: "1 klagepunkt", "2 klagepunkter", "300.424 sager"."""
    return f"{number(count)} {singular if count == 1 else plural_form}"
