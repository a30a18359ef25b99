"""The pure classification rules: category → colour, and the determining criterion decides."""

from __future__ import annotations

import pytest

from sagsindsigt.evaluation.colours import (
    FOKUS_SCALE,
    Colour,
    ColourScale,
    Development,
    MainCriterionSpec,
    classify,
    development,
    main_criterion_colour,
)

# DOMAIN.md §5 / seed 001: member criteria and the determining criterion of A–G.
SPECS = [
    MainCriterionSpec("A", (1,), 1),
    MainCriterionSpec("B", (2, 3), 2),
    MainCriterionSpec("C", (4, 5), 4),
    MainCriterionSpec("D", (6, 7, 8), 7),
    MainCriterionSpec("E", (9, 10), 9),
    MainCriterionSpec("F", (11, 12, 13, 14), 14),
    MainCriterionSpec("G", (15,), 15),
]
BIF_2015 = {1: 5, 2: 7, 3: 5, 4: 6, 5: 6, 6: 7, 7: 6, 8: 6, 9: 6, 10: 6, 11: 5, 12: 5, 13: 5, 14: 5, 15: 7}


@pytest.mark.parametrize(
    ("category", "colour"),
    [
        (1, Colour.RED),
        (2, Colour.RED),
        (3, Colour.YELLOW),
        (4, Colour.YELLOW),
        (5, Colour.GREEN),
        (6, Colour.GREEN),
        (7, Colour.GREEN),
        (None, None),
    ],
)
def test_category_to_colour(category: int | None, colour: Colour | None) -> None:
    # when
    result = FOKUS_SCALE.colour_of(category)

    # then
    assert result == colour


@pytest.mark.parametrize("category", [0, 8, -1])
def test_unknown_category_is_rejected(category: int) -> None:
    with pytest.raises(ValueError, match="findes ikke"):
        FOKUS_SCALE.colour_of(category)


def test_bif_2015_gives_all_seven_main_criteria_green() -> None:
    # when
    results = classify(SPECS, BIF_2015)

    # then
    assert [(r.letter, r.colour) for r in results] == [(letter, Colour.GREEN) for letter in "ABCDEFG"]


def test_criterion_7_at_category_3_turns_d_yellow_and_leaves_6_and_8_alone() -> None:
    # given
    categories = {**BIF_2015, 7: 3}

    # when
    results = {r.letter: r for r in classify(SPECS, categories)}

    # then
    assert results["D"].colour == Colour.YELLOW
    by_number = {c.number: c for c in results["D"].criteria}
    assert (by_number[6].category, by_number[6].colour) == (7, Colour.GREEN)
    assert (by_number[8].category, by_number[8].colour) == (6, Colour.GREEN)
    assert all(r.colour == Colour.GREEN for letter, r in results.items() if letter != "D")


@pytest.mark.parametrize(
    ("letter", "determining"), [("A", 1), ("B", 2), ("C", 4), ("D", 7), ("E", 9), ("F", 14), ("G", 15)]
)
def test_category_2_on_the_determining_criterion_gives_red(letter: str, determining: int) -> None:
    # given
    spec = next(s for s in SPECS if s.letter == letter)

    # when
    colour = main_criterion_colour(spec, {**BIF_2015, determining: 2})

    # then
    assert colour == Colour.RED


@pytest.mark.parametrize(("letter", "other"), [("B", 3), ("C", 5), ("D", 6), ("D", 8), ("E", 10), ("F", 11)])
def test_a_non_determining_criterion_never_changes_the_colour(letter: str, other: int) -> None:
    spec = next(s for s in SPECS if s.letter == letter)
    assert main_criterion_colour(spec, {**BIF_2015, other: 1}) == Colour.GREEN


def test_blank_determining_criterion_gives_no_colour_even_if_members_are_green() -> None:
    spec = next(s for s in SPECS if s.letter == "F")
    assert main_criterion_colour(spec, {11: 7, 12: 7, 13: 7, 14: None}) is None
    assert main_criterion_colour(spec, {11: 7, 12: 7, 13: 7}) is None


def test_a_scheme_may_map_categories_differently() -> None:
    # given: a stricter scale where 5 is still yellow
    strict = ColourScale({**FOKUS_SCALE.mapping, 5: Colour.YELLOW})

    # then
    assert main_criterion_colour(SPECS[0], {1: 5}, strict) == Colour.YELLOW


def test_scale_must_cover_all_seven_categories() -> None:
    with pytest.raises(ValueError, match="1–7"):
        ColourScale({1: Colour.RED, 2: Colour.RED})


def test_determining_criterion_must_be_a_member() -> None:
    with pytest.raises(ValueError, match="hører ikke under"):
        MainCriterionSpec("D", (6, 7, 8), 9)


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (Colour.RED, Colour.YELLOW, Development.BETTER),
        (Colour.YELLOW, Colour.GREEN, Development.BETTER),
        (Colour.GREEN, Colour.GREEN, Development.SAME),
        (Colour.GREEN, Colour.RED, Development.WORSE),
        (None, Colour.GREEN, None),
        (Colour.GREEN, None, None),
    ],
)
def test_development_since_previous_round(
    before: Colour | None, after: Colour | None, expected: Development | None
) -> None:
    assert development(before, after) == expected


def test_colour_words_are_danish() -> None:
    assert [c.label for c in Colour] == ["Rød", "Gul", "Grøn"]
