"""Case areas, case types with their guideline deadlines, cases and monthly volume counts."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sagsindsigt.common.models import Provenance
from sagsindsigt.common.workingdays import DeadlineUnit


class CaseArea(models.Model):
    """A sagsområde. The KLE code is stored exactly as the municipality gave it (KL licenses KLE)."""

    name = models.CharField(_("navn"), max_length=200, unique=True)
    kle_code = models.CharField(_("KLE-kode"), max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sagsområde")
        verbose_name_plural = _("sagsområder")

    def __str__(self) -> str:
        return self.name


class CaseType(models.Model):
    """A sagstype (decision type) inside a case area."""

    case_area = models.ForeignKey(
        CaseArea, on_delete=models.PROTECT, related_name="case_types", verbose_name=_("sagsområde")
    )
    code = models.CharField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("navn"), max_length=200)

    class Meta:
        ordering = ["case_area__name", "name"]
        verbose_name = _("sagstype")
        verbose_name_plural = _("sagstyper")

    def __str__(self) -> str:
        return self.name


DEADLINE_UNIT_CHOICES = [
    (DeadlineUnit.CALENDAR_DAYS.value, _("dage")),
    (DeadlineUnit.WORKING_DAYS.value, _("arbejdsdage")),
    (DeadlineUnit.WEEKS.value, _("uger")),
    (DeadlineUnit.MONTHS.value, _("måneder")),
]


class GuidelineDeadline(models.Model):
    """A published vejledende sagsbehandlingsfrist (rtsl. § 3 stk. 2), valid for a period."""

    case_type = models.ForeignKey(
        CaseType, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("sagstype")
    )
    value = models.PositiveSmallIntegerField(_("frist"))
    unit = models.CharField(_("enhed"), max_length=20, choices=DEADLINE_UNIT_CHOICES)
    legal_basis = models.CharField(_("lovgrundlag"), max_length=200, blank=True)
    valid_from = models.DateField(_("gyldig fra"))
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)

    class Meta:
        ordering = ["case_type", "valid_from"]
        verbose_name = _("vejledende sagsbehandlingsfrist")
        verbose_name_plural = _("vejledende sagsbehandlingsfrister")
        constraints = [
            models.UniqueConstraint(fields=["case_type", "valid_from"], name="deadline_one_per_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="deadline_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.get_unit_display()}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        # Two deadlines in force on the same day would make the due date ambiguous.
        others = GuidelineDeadline.objects.filter(case_type_id=self.case_type_id).exclude(pk=self.pk)
        overlapping = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        if self.valid_to is not None:
            overlapping = overlapping.filter(valid_from__lte=self.valid_to)
        if self.case_type_id and overlapping.exists():
            raise ValidationError(_("Perioden overlapper en anden frist for samme sagstype."))

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Åben")
    DECIDED = "decided", _("Afgjort")
    CLOSED = "closed", _("Lukket uden afgørelse")


class Case(Provenance):
    """One matter for one citizen, from receipt to decision sent or closure."""

    # Every case comes from a case system (or a service that names one), with its case number there.
    source_system = models.CharField(_("kildesystem"), max_length=50)
    external_id = models.CharField(_("sagsnummer i kildesystem"), max_length=100)
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="cases", verbose_name=_("enhed")
    )
    case_type = models.ForeignKey(
        CaseType, on_delete=models.PROTECT, related_name="cases", verbose_name=_("sagstype")
    )
    received_date = models.DateField(_("modtaget"))
    decided_date = models.DateField(_("afgørelse sendt"), null=True, blank=True)
    closed_date = models.DateField(_("lukket"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    # The guideline deadline in force on the day of receipt, as a date (ADR 0004): set by the
    # services that write cases, so "decided within deadline" is a plain comparison in SQL.
    due_date = models.DateField(_("frist (dato)"), null=True, blank=True)
    # Working days from receipt to decision (DOMAIN.md §4), stored for the same reason: the rollups
    # build processing-time histograms in SQL. Recomputed with the due dates when closing days change.
    processing_days = models.PositiveIntegerField(
        _("sagsbehandlingstid (arbejdsdage)"), null=True, blank=True
    )
    citizen_key = models.CharField(_("borgernøgle (pseudonym)"), max_length=64, blank=True)
    caseworker_key = models.CharField(_("sagsbehandlernøgle (pseudonym)"), max_length=64, blank=True)

    class Meta:
        ordering = ["-received_date", "pk"]
        verbose_name = _("sag")
        verbose_name_plural = _("sager")
        constraints = [
            models.UniqueConstraint(fields=["source_system", "external_id"], name="case_source_external_id"),
            models.CheckConstraint(
                condition=Q(decided_date__isnull=True) | Q(decided_date__gte=models.F("received_date")),
                name="case_decided_after_received",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="decided", decided_date__isnull=False)
                    | Q(status="closed", closed_date__isnull=False, decided_date__isnull=True)
                    | Q(status="open", decided_date__isnull=True, closed_date__isnull=True)
                ),
                name="case_status_dates",
            ),
        ]
        indexes = [
            models.Index(fields=["received_date", "unit"], name="case_received_unit"),
            models.Index(fields=["decided_date", "unit"], name="case_decided_unit"),
            # Open cases past their deadline are counted live ("now"); open cases are few.
            models.Index(fields=["due_date", "unit"], name="case_open_due", condition=Q(status="open")),
        ]

    def __str__(self) -> str:
        return f"{self.source_system}:{self.external_id}"

    @property
    def within_deadline(self) -> bool | None:
        if self.decided_date is None or self.due_date is None:
            return None
        return self.decided_date <= self.due_date


class VolumeCount(Provenance):
    """Monthly counts from a source that cannot deliver case rows (e.g. BIF's kontaktforløb)."""

    source_system = models.CharField(_("kildesystem"), max_length=50)
    # A month's count is known by its source, unit, case type and month, not by an id of its own.
    external_id = None  # type: ignore[assignment]
    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="volume_counts", verbose_name=_("enhed")
    )
    case_type = models.ForeignKey(
        CaseType, on_delete=models.PROTECT, related_name="volume_counts", verbose_name=_("sagstype")
    )
    month = models.DateField(_("måned"), help_text=_("Den første dag i måneden."))
    received = models.PositiveIntegerField(_("modtagne"))
    decided = models.PositiveIntegerField(_("afgjorte"))
    decided_within_deadline = models.PositiveIntegerField(
        _("afgjort inden for fristen"), null=True, blank=True
    )

    class Meta:
        ordering = ["month", "unit"]
        verbose_name = _("sagsmængde (månedstal)")
        verbose_name_plural = _("sagsmængder (månedstal)")
        constraints = [
            models.UniqueConstraint(
                fields=["source_system", "unit", "case_type", "month"], name="volume_one_per_month"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="volume_month_first_day"),
            models.CheckConstraint(
                condition=Q(decided_within_deadline__isnull=True)
                | Q(decided_within_deadline__lte=models.F("decided")),
                name="volume_within_le_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.case_type.code} {self.month:%m-%Y}"
