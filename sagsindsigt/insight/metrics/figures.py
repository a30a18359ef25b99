"""The overview's figures and the rates computed from them (pure; no database)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, fields


@dataclass
class Figures:
    """Counts for one scope and period; rates are derived, never stored. Every field adds up, so the
    figures of a subtree or a year are the sum of their parts; times are histograms for that reason."""

    received: int = 0
    decided: int = 0
    decided_deadline_known: int = 0
    decided_within_deadline: int = 0
    complaints: int = 0
    complaints_formal: int = 0
    complaints_substantive: int = 0
    complaints_ombudsman: int = 0
    supervision_cases: int = 0
    complaint_points: int = 0
    points_upheld: int = 0
    points_partly: int = 0
    points_not_upheld: int = 0
    appeals_decided: int = 0
    appeals_on_merits: int = 0
    appeals_reversed: int = 0
    # working days -> cases decided (processing) or complaints answered (reply)
    processing_days: Counter[int] = field(default_factory=Counter)
    reply_days: Counter[int] = field(default_factory=Counter)
    # theme id -> complaint points, and appeal reversal reasons
    points_by_theme: Counter[int] = field(default_factory=Counter)
    reasons_by_theme: Counter[int] = field(default_factory=Counter)

    def add(self, other: Figures) -> None:
        for f in fields(self):
            mine = getattr(self, f.name)
            if isinstance(mine, Counter):
                mine.update(getattr(other, f.name))
            else:
                setattr(self, f.name, mine + getattr(other, f.name))

    @classmethod
    def total(cls, parts: Iterable[Figures]) -> Figures:
        result = cls()
        for part in parts:
            result.add(part)
        return result
