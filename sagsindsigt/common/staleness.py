"""What a write made stale, said once inside its transaction, so the read side can catch up after commit.

Domain apps never import the read side (`insight`): a service that changes rows calls `mark_stale` in its
own transaction. After the commit, `stale_recorded` is sent; the read side listens, refreshes its tables
from the marks and deletes them. Until then, readers treat the marked months as not yet counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import uuid4

from django.db import IntegrityError, transaction
from django.db.models import F
from django.dispatch import Signal

from sagsindsigt.common.models import DataVersion, StaleKind, StaleMark
from sagsindsigt.common.periods import month_start

stale_recorded = Signal()
"""Sent after a commit that marked figures stale (no arguments beyond the sender)."""


def mark_stale(
    kind: StaleKind | str, *, months: Iterable[date] | None = None, units: Iterable[int] | None = None
) -> None:
    """Record that the figures of `kind` for `units` × `months` changed (None: all units, all months). Call
    it inside the writing transaction: the mark commits or rolls back with the rows it speaks of."""
    month_list = None if months is None else sorted({month_start(m).isoformat() for m in months})
    unit_list = None if units is None else sorted(set(units))
    if month_list == [] or unit_list == []:
        return
    StaleMark.objects.create(kind=kind, months=month_list, units=unit_list)
    # The data's version moves on after the commit, in a statement of its own: bumped inside the writing
    # transaction, its row lock would make other writers wait for a long import to finish.
    transaction.on_commit(_move_version_on, robust=True)
    # Robust: the write has committed; a failing catch-up must not turn it into an error. (A transaction
    # with several marks announces each; the first catch-up takes them all, the others find nothing.)
    transaction.on_commit(_announce, robust=True)


def data_version() -> str:
    """The name of the figures' data as it is now (moves on with every write that marks figures stale)."""
    found = DataVersion.objects.filter(pk=1).values_list("token", "number").first()
    if found is None:
        try:
            with transaction.atomic():
                DataVersion.objects.create(pk=1, token=uuid4().hex)
        except IntegrityError:
            pass  # made at the same moment by another request
        found = DataVersion.objects.filter(pk=1).values_list("token", "number").get()
    return f"{found[0]}:{found[1]}"


def _move_version_on() -> None:
    if not DataVersion.objects.filter(pk=1).update(number=F("number") + 1):
        data_version()  # the first write: a new name for the data


def _announce() -> None:
    stale_recorded.send(sender=StaleMark)


@dataclass(frozen=True)
class Staleness:
    """The marks not yet caught up with, as readers need them: which months to count from the raw tables
    (`every_month`: all of them) and whether units moved between administrations."""

    months: frozenset[date] = frozenset()
    every_month: bool = False
    organisation_changed: bool = False

    @property
    def pending(self) -> bool:
        return self.every_month or self.organisation_changed or bool(self.months)

    def covers(self, month: date) -> bool:
        return self.every_month or month in self.months


def staleness() -> Staleness:
    """The pending marks, summed up; one query."""
    months: set[date] = set()
    every_month = organisation_changed = False
    for kind, marked in StaleMark.objects.values_list("kind", "months"):
        if kind == StaleKind.ORGANISATION:
            organisation_changed = True
        elif marked is None:
            every_month = True
        else:
            months.update(date.fromisoformat(m) for m in marked)
    return Staleness(frozenset(months), every_month, organisation_changed)
