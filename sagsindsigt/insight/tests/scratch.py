"""Figures counted row by row in Python, apart from the SQL behind the rollups: what every read must equal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sagsindsigt.cases.models import Case, VolumeCount
from sagsindsigt.common.periods import Period
from sagsindsigt.complaints.models import Appeal, Complaint
from sagsindsigt.insight.metrics.figures import Figures


@dataclass
class Rows:
    """Every raw row, read once, for several counts from scratch."""

    cases: list[Case]
    counts: list[VolumeCount]
    complaints: list[Complaint]
    appeals: list[Appeal]

    @classmethod
    def read(cls) -> Rows:
        return cls(
            list(Case.objects.all()),
            list(VolumeCount.objects.all()),
            list(Complaint.objects.prefetch_related("points")),
            list(Appeal.objects.prefetch_related("reversal_reasons")),
        )


def from_scratch(period: Period, by: str, rows: Rows | None = None) -> dict[Any, Figures]:
    """Every measure counted row by row in Python, independent of the SQL behind the rollups."""
    rows = rows or Rows.read()
    out: dict[Any, Figures] = {}

    def fig(unit_id: int, day: date) -> Figures:
        key = {"unit": unit_id, "month": day.replace(day=1)}[by]
        return out.setdefault(key, Figures())

    def inside(day: date | None) -> bool:
        return day is not None and period.start <= day <= period.end

    for case in rows.cases:
        if inside(case.received_date):
            fig(case.unit_id, case.received_date).received += 1
        if case.decided_date is not None and inside(case.decided_date):
            f = fig(case.unit_id, case.decided_date)
            f.decided += 1
            if case.due_date is not None:
                f.decided_deadline_known += 1
                f.decided_within_deadline += case.decided_date <= case.due_date
            if case.processing_days is not None:
                f.processing_days[case.processing_days] += 1
    for count in rows.counts:
        if inside(count.month):
            f = fig(count.unit_id, count.month)
            f.received += count.received
            f.decided += count.decided
            if count.decided_within_deadline is not None:
                f.decided_deadline_known += count.decided
                f.decided_within_deadline += count.decided_within_deadline
    for complaint in rows.complaints:
        if inside(complaint.received_date):
            f = fig(complaint.unit_id, complaint.received_date)
            f.complaints += 1
            f.complaints_formal += complaint.kind == "formal"
            f.complaints_substantive += complaint.kind == "substantive"
            f.complaints_ombudsman += complaint.channel == "ombudsman"
            f.supervision_cases += complaint.supervision_case_opened
            for point in complaint.points.all():
                f.complaint_points += 1
                f.points_by_theme[point.theme_id] += 1
                f.points_upheld += point.outcome == "upheld"
                f.points_partly += point.outcome == "partly"
                f.points_not_upheld += point.outcome == "not_upheld"
        if complaint.answered_date is not None and inside(complaint.answered_date):
            assert complaint.reply_days is not None
            fig(complaint.unit_id, complaint.answered_date).reply_days[complaint.reply_days] += 1
    for appeal in rows.appeals:
        if inside(appeal.decision_date):
            f = fig(appeal.unit_id, appeal.decision_date)
            f.appeals_decided += 1
            f.appeals_on_merits += appeal.outcome in ("upheld", "changed", "remitted")
            f.appeals_reversed += appeal.outcome in ("changed", "remitted")
            for theme in appeal.reversal_reasons.all():
                f.reasons_by_theme[theme.pk] += 1
    return out


def nonzero(figures: dict[Any, Figures]) -> dict[Any, Figures]:
    # A key with only zeros and empty histograms carries no information either way.
    return {k: f for k, f in figures.items() if f != Figures()}
