"""Small-number suppression: counts 1–4 are shown as "<5", with secondary suppression (DOMAIN.md §8)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Shown:
    """A count as it may be displayed: `value` is None when suppressed."""

    value: int | None
    threshold: int

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        if self.value is None:
            return f"<{self.threshold}"
        return f"{self.value:,}".replace(",", ".")

    def export(self) -> int | str:
        """For a spreadsheet: the number itself, or the same "<5" the page shows."""
        return f"<{self.threshold}" if self.value is None else self.value


def is_small(count: int, threshold: int) -> bool:
    return 0 < count < threshold


def suppress_column(counts: Sequence[int], threshold: int, *, total_shown: bool = True) -> list[Shown]:
    """Suppress small counts; if exactly one is hidden and a total is shown, hide the next smallest too,
    so the hidden value cannot be recovered by subtraction."""
    hidden = {i for i, c in enumerate(counts) if is_small(c, threshold)}
    if total_shown and len(hidden) == 1:
        candidates = sorted((c, i) for i, c in enumerate(counts) if i not in hidden and c > 0)
        if candidates:
            hidden.add(candidates[0][1])
    return [Shown(None if i in hidden else c, threshold) for i, c in enumerate(counts)]


def suppress_with_total(counts: Sequence[int], threshold: int) -> list[Shown]:
    """The counts and, last, their total: a column shown with its sum (secondary suppression applies)."""
    return suppress_column([*counts, sum(counts)], threshold, total_shown=len(counts) > 1)
