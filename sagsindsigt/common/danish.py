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
