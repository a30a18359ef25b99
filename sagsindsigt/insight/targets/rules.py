"""Target (måltal) status: green, amber or red against a goal, with the rule in words (pure; no database)."""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sagsindsigt.common.danish import MONTHS, number
from sagsindsigt.insight.metrics.registry import Metric, rewards_not_recording

Colour = Literal["green", "amber", "red", "none"]
Direction = Literal["at_most", "at_least"]

AT_MOST: Direction = "at_most"
AT_LEAST: Direction = "at_least"
# The permission to set targets (ADR 0012): central roles anywhere, an administration leader for their
# own administration; granted in InsightConfig.ready(), the scope is checked in targets/services.py.
SET_TARGETS = "set_targets"
DEFAULT_AMBER_PERCENT = 10.0

LABELS: dict[Colour, str] = {"green": "Grøn", "amber": "Gul", "red": "Rød", "none": "Ingen data"}
TEXTS: dict[Colour, str] = {
    "green": "Målet er nået.",
    "amber": "Målet er ikke nået, men tallet ligger inden for den gule margen.",
    "red": "Målet er ikke nået.",
    "none": "Der er ingen data at beregne status ud fra.",
}

# Metric values are floats (a rate is 1000 × n / d); a value shown as "13,2" must meet an edge of 13,2
# even when one of them carries float noise, so edges are compared with a relative tolerance.
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Status:
    colour: Colour
    label: str  # the colour in words: never shown as colour alone
    text: str
    rule: str


def default_direction(m: Metric) -> Direction | None:
    """What "better" means for the metric; None for counts, where the user must choose."""
    return {"lower": AT_MOST, "higher": AT_LEAST}.get(m.better)


def amber_margin(goal: float, percent: float) -> float:
    """The amber band's width in the metric's unit: `percent` of the goal (ADR 0012)."""
    return abs(goal) * percent / 100


def resolve_goal(baseline: float | None, change_percent: float) -> float | None:
    """A relative goal: the baseline changed by `change_percent` (−40 = 40 % lower); None without data."""
    if baseline is None:
        return None
    return baseline * (1 + change_percent / 100)


def _le(a: float, b: float) -> bool:
    return a <= b or math.isclose(a, b, rel_tol=_TOLERANCE, abs_tol=_TOLERANCE)


def _ge(a: float, b: float) -> bool:
    return a >= b or math.isclose(a, b, rel_tol=_TOLERANCE, abs_tol=_TOLERANCE)


def _number(x: float, m: Metric | None, *, side: Direction | str, unit: bool = False) -> str:
    """A goal or edge in Danish; a count's bound is the whole number it allows (højst 4,2 → højst 4)."""
    if m is None:
        return number(x, 1)
    if m.is_count:
        x = math.floor(x + _TOLERANCE) if side == AT_MOST else math.ceil(x - _TOLERANCE)
    text = m.format(x)
    if unit and m.kind != "share":  # a share's format already ends in " %"
        text = f"{text} {m.unit}"
    return text


def goal_words(goal: float, direction: Direction | str, m: Metric | None = None) -> str:
    """ "højst 12,0 pr. 1.000 afgjorte sager", "mindst 80,0 %"."""
    word = "højst" if direction == AT_MOST else "mindst"
    return f"{word} {_number(goal, m, side=direction, unit=True)}"


def rule_words(goal: float, direction: Direction | str, margin: float, m: Metric | None = None) -> str:
    """The status rule in words, e.g. "Grøn: højst 12,0 pr. 1.000 afgjorte sager. Gul: op til 13,2. Rød:
    derover."."""
    green = f"Grøn: {goal_words(goal, direction, m)}."
    if direction == AT_MOST:
        edge, amber, red = goal + margin, "op til", "Rød: derover."
    else:
        edge, amber, red = goal - margin, "ned til", "Rød: derunder."
    if margin <= 0 or _number(edge, m, side=direction) == _number(goal, m, side=direction):
        return f"{green} {red}"
    return f"{green} Gul: {amber} {_number(edge, m, side=direction)}. {red}"


def target_status(
    value: float | None,
    goal: float,
    direction: Direction | str,
    amber_margin: float,
    *,
    metric: Metric | None = None,
) -> Status:
    """Green on or beyond the goal, amber within `amber_margin` of it (the edge itself is amber), red
    beyond that; "none" when there is no value. `amber_margin` is in the metric's unit."""
    if direction not in (AT_MOST, AT_LEAST):
        raise ValueError(f"Ukendt retning: {direction!r}")
    d: Direction = AT_MOST if direction == AT_MOST else AT_LEAST
    margin = max(amber_margin, 0.0)
    rule = rule_words(goal, d, margin, metric)
    if value is None:
        return Status("none", LABELS["none"], "Ingen data for perioden og området endnu.", rule)
    if d == AT_MOST:
        colour: Colour = "green" if _le(value, goal) else "amber" if _le(value, goal + margin) else "red"
    else:
        colour = "green" if _ge(value, goal) else "amber" if _ge(value, goal - margin) else "red"
    return Status(colour, LABELS[colour], TEXTS[colour], rule)


def change_words(change_percent: float, baseline_label: str, m: Metric | None = None) -> str:
    """ "40 % lavere end i 2013" (counts: "færre"/"flere")."""
    if change_percent == 0:
        return f"samme niveau som i {baseline_label}"
    size = f"{abs(change_percent):g}".replace(".", ",")
    count = m is not None and m.is_count
    if change_percent < 0:
        return f"{size} % {'færre' if count else 'lavere'} end i {baseline_label}"
    return f"{size} % {'flere' if count else 'højere'} end i {baseline_label}"


def relative_goal_words(
    change_percent: float, direction: Direction | str, baseline_label: str, m: Metric | None = None
) -> str:
    """ "mindst 40 % færre end i 2013" for a cap 40 % below the baseline: a cap on the value is a floor
    on the reduction, so the word flips when the change is a reduction."""
    if direction == AT_MOST:
        word = "mindst" if change_percent < 0 else "højst"
    else:
        word = "højst" if change_percent < 0 else "mindst"
    return f"{word} {change_words(change_percent, baseline_label, m)}"


def relative_status(
    value: float | None,
    baseline: float | None,
    change_percent: float,
    direction: Direction | str,
    amber_percent: float,
    *,
    metric: Metric | None = None,
    baseline_label: str = "basisperioden",
) -> tuple[float | None, Status]:
    """The resolved goal and the status of a goal relative to a baseline; without baseline data there is
    no goal, and the status says why."""
    change = relative_goal_words(change_percent, direction, baseline_label, metric)
    if baseline is None:
        return None, Status(
            "none",
            LABELS["none"],
            f"Basisperioden ({baseline_label}) har ingen data, så målet kan ikke beregnes.",
            f"Mål: {change}.",
        )
    goal = resolve_goal(baseline, change_percent)
    assert goal is not None  # noqa: S101 (a baseline gives a goal)
    status = target_status(value, goal, direction, amber_margin(goal, amber_percent), metric=metric)
    base = _number(baseline, metric, side=AT_MOST, unit=True)
    return goal, Status(
        status.colour, status.label, status.text, f"Mål: {change}, hvor tallet var {base}. {status.rule}"
    )


def target_warning(metric: Metric, direction: Direction | str, *, relative: bool = False) -> str | None:
    """A Danish warning when the target would reward recording fewer complaints: a cap on, or a
    reduction of, a count of complaints (DOMAIN.md §2). None when there is nothing to warn about."""
    if not rewards_not_recording(metric) or direction != AT_MOST:
        return None
    what = "Et mål om færre klager" if relative else "Et loft over antallet af klager"
    return (
        f"{what} belønner, at klager ikke bliver registreret: tallet falder lige så meget, når en klage "
        "ikke skrives ned, som når sagsbehandlingen bliver bedre. Overvej i stedet klager pr. 1.000 "
        "afgjorte sager, og sørg for, at alle klager bliver registreret."
    )


def period_label(start: date, end: date) -> str:
    """ "2025", "2. kvartal 2025", "marts 2025" or "01-02-2025 – 30-04-2025"."""
    last_day = calendar.monthrange(end.year, end.month)[1]
    whole_months = start.day == 1 and end.day == last_day
    if whole_months and start.year == end.year:
        if (start.month, end.month) == (1, 12):
            return str(start.year)
        if start.month % 3 == 1 and end.month == start.month + 2:
            return f"{(start.month - 1) // 3 + 1}. kvartal {start.year}"
        if start.month == end.month:
            return f"{MONTHS[start.month - 1]} {start.year}"
    return f"{start:%d-%m-%Y} – {end:%d-%m-%Y}"
