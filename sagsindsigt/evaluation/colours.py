"""FOKUS classification: category 1–7 → red/yellow/green, and a main criterion's colour (no Django)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

CATEGORIES = range(1, 8)


class Colour(StrEnum):
    RED = "red"
    YELLOW = "yellow"
    GREEN = "green"

    @property
    def label(self) -> str:
        """The Danish word, always shown beside the colour itself (never colour alone)."""
        return COLOUR_LABELS[self]

    @property
    def rank(self) -> int:
        return _RANK[self]


COLOUR_LABELS: dict[Colour, str] = {Colour.RED: "Rød", Colour.YELLOW: "Gul", Colour.GREEN: "Grøn"}
_RANK = {Colour.RED: 0, Colour.YELLOW: 1, Colour.GREEN: 2}


@dataclass(frozen=True)
class ColourScale:
    """A scheme's category → colour mapping; every category 1–7 must have exactly one colour."""

    mapping: Mapping[int, Colour]

    def __post_init__(self) -> None:
        if sorted(self.mapping) != list(CATEGORIES):
            raise ValueError("Skalaen skal give en farve til hver af kategorierne 1–7.")

    def colour_of(self, category: int | None) -> Colour | None:
        """The category's colour; None when no (sufficient) answer was categorised."""
        if category is None:
            return None
        if category not in self.mapping:
            raise ValueError(f"Kategori {category} findes ikke; brug 1–7.")
        return self.mapping[category]


# Seed 001: categories 1–2 red, 3–4 yellow, 5–7 green.
FOKUS_SCALE = ColourScale(
    {
        1: Colour.RED,
        2: Colour.RED,
        3: Colour.YELLOW,
        4: Colour.YELLOW,
        5: Colour.GREEN,
        6: Colour.GREEN,
        7: Colour.GREEN,
    }
)


@dataclass(frozen=True)
class MainCriterionSpec:
    letter: str
    members: tuple[int, ...]
    determining: int

    def __post_init__(self) -> None:
        if self.determining not in self.members:
            raise ValueError(
                f"Det bestemmende kriterium {self.determining} hører ikke under hovedkriterium {self.letter}."
            )


@dataclass(frozen=True)
class CriterionResult:
    number: int
    category: int | None
    colour: Colour | None


@dataclass(frozen=True)
class MainCriterionResult:
    letter: str
    determining: int
    colour: Colour | None
    criteria: tuple[CriterionResult, ...] = field(default=())


def main_criterion_colour(
    spec: MainCriterionSpec, categories: Mapping[int, int | None], scale: ColourScale = FOKUS_SCALE
) -> Colour | None:
    """The colour of the determining criterion's category; the other members never change it."""
    return scale.colour_of(categories.get(spec.determining))


def classify(
    specs: Iterable[MainCriterionSpec],
    categories: Mapping[int, int | None],
    scale: ColourScale = FOKUS_SCALE,
) -> list[MainCriterionResult]:
    """Every main criterion with its colour and its member criteria's categories and colours."""
    return [
        MainCriterionResult(
            letter=spec.letter,
            determining=spec.determining,
            colour=main_criterion_colour(spec, categories, scale),
            criteria=tuple(
                CriterionResult(
                    number=n, category=categories.get(n), colour=scale.colour_of(categories.get(n))
                )
                for n in spec.members
            ),
        )
        for spec in specs
    ]


class Development(StrEnum):
    BETTER = "better"
    SAME = "same"
    WORSE = "worse"

    @property
    def label(self) -> str:
        return {"better": "Forbedret", "same": "Uændret", "worse": "Forværret"}[self.value]


def development(previous: Colour | None, current: Colour | None) -> Development | None:
    """Change of a main criterion's colour since the previous round; None when either is blank."""
    if previous is None or current is None:
        return None
    if current.rank > previous.rank:
        return Development.BETTER
    if current.rank < previous.rank:
        return Development.WORSE
    return Development.SAME
