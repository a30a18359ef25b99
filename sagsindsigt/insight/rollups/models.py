"""Pre-aggregated counts per unit, case type and month that the dashboards read, and their fill state.

Each measure sits in the month of its own event: received cases in the month of receipt, decisions in
the month of decision, complaints in the month they were received, appeals in the month of the appeal
body's decision. Every row is a sum, so any set of months, units and case types adds up exactly.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sagsindsigt.common.danish import number, plural


class MonthRollup(models.Model):
    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+")
    # Complaints and appeals need not name a case type.
    case_type = models.ForeignKey("cases.CaseType", on_delete=models.CASCADE, null=True, related_name="+")
    month = models.DateField()
    received = models.PositiveIntegerField(default=0)
    decided = models.PositiveIntegerField(default=0)
    decided_deadline_known = models.PositiveIntegerField(default=0)
    decided_within_deadline = models.PositiveIntegerField(default=0)
    complaints = models.PositiveIntegerField(default=0)
    complaints_formal = models.PositiveIntegerField(default=0)
    complaints_substantive = models.PositiveIntegerField(default=0)
    complaints_ombudsman = models.PositiveIntegerField(default=0)
    supervision_cases = models.PositiveIntegerField(default=0)
    complaint_points = models.PositiveIntegerField(default=0)
    points_upheld = models.PositiveIntegerField(default=0)
    points_partly = models.PositiveIntegerField(default=0)
    points_not_upheld = models.PositiveIntegerField(default=0)
    appeals_decided = models.PositiveIntegerField(default=0)
    appeals_on_merits = models.PositiveIntegerField(default=0)
    appeals_reversed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("månedstal")
        # One row per (month, unit, case type) by construction: a refresh replaces whole months.
        indexes = [models.Index(fields=["month", "unit"], name="month_rollup_month_unit")]

    def __str__(self) -> str:
        return f"{self.month:%m-%Y} enhed {self.unit_id} sagstype {self.case_type_id}"


class DaysMeasure(models.TextChoices):
    PROCESSING = "processing", _("Sagsbehandlingstid")
    REPLY = "reply", _("Svartid på klager")


class DaysRollup(models.Model):
    """A histogram of working days: medians and percentiles of any scope are read from summed counts."""

    measure = models.CharField(max_length=12, choices=DaysMeasure.choices)
    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+")
    case_type = models.ForeignKey("cases.CaseType", on_delete=models.CASCADE, null=True, related_name="+")
    month = models.DateField()
    days = models.PositiveIntegerField()
    n = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("dagefordeling")
        indexes = [models.Index(fields=["measure", "month"], name="days_rollup_measure_month")]

    def __str__(self) -> str:
        return f"{self.measure} {self.month:%m-%Y}: {plural(self.days, 'dag', 'dage')} × {number(self.n)}"


class AdministrationDaysRollup(models.Model):
    """The same histograms summed per administration (over its units and case types): what the overview
    and administration pages read, a few thousand rows instead of hundreds of thousands."""

    measure = models.CharField(max_length=12, choices=DaysMeasure.choices)
    administration = models.ForeignKey(
        "organisation.Administration", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField()
    days = models.PositiveIntegerField()
    n = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("dagefordeling pr. forvaltning")
        indexes = [models.Index(fields=["month", "administration"], name="admin_days_month_admin")]

    def __str__(self) -> str:
        return (
            f"{self.measure} {self.month:%m-%Y} forvaltning {self.administration_id}: {self.days} × {self.n}"
        )


class ThemeSource(models.TextChoices):
    POINT = "point", _("Klagepunkt")
    REASON = "reason", _("Omgørelsesårsag")


class ThemeRollup(models.Model):
    """Complaint points (in the complaint's month) and appeal reversal reasons (in the decision's month)."""

    source = models.CharField(max_length=8, choices=ThemeSource.choices)
    unit = models.ForeignKey("organisation.Unit", on_delete=models.CASCADE, related_name="+")
    case_type = models.ForeignKey("cases.CaseType", on_delete=models.CASCADE, null=True, related_name="+")
    month = models.DateField()
    theme = models.ForeignKey("complaints.ComplaintTheme", on_delete=models.CASCADE, related_name="+")
    n = models.PositiveIntegerField()
    upheld = models.PositiveIntegerField(default=0)
    partly = models.PositiveIntegerField(default=0)
    not_upheld = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("temaopgørelse")
        indexes = [models.Index(fields=["source", "month"], name="theme_rollup_source_month")]

    def __str__(self) -> str:
        return f"{self.source} {self.month:%m-%Y} tema {self.theme_id}: {self.n}"


class RollupFill(models.Model):
    """Fill state: a month is in the rollups when it has a row here (stamped with its last refresh) and no
    pending stale mark (common.StaleMark) covers it; otherwise reads count it from the raw tables."""

    month = models.DateField(unique=True)
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("opdateret måned")
        ordering = ["month"]

    def __str__(self) -> str:
        return f"{self.month:%m-%Y} opdateret {self.refreshed_at:%d-%m-%Y %H:%M}"
