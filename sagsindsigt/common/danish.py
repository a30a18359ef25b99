"""Danish month names, for labels and messages (Django's own date formats follow the active locale)."""

from __future__ import annotations

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


def number(value: float | int | None, decimals: int = 0) -> str:
    """A number as Danish text: '.' between thousands and ',' before decimals (300.424; 87,29).
    None is the empty string."""
    if value is None:
        return ""
    text = f"{value:,.{decimals}f}"
    return text.translate(_SWAP)


_SWAP = str.maketrans({",": ".", ".": ","})


def plural(count: int, singular: str, plural_form: str) -> str:
    """The count with its noun in the right number: "1 klagepunkt", "2 klagepunkter", "300.424 sager"."""
    return f"{number(count)} {singular if count == 1 else plural_form}"
