"""Targets (måltal) and the versions every change writes (ADR 0012)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sagsindsigt.insight.metrics.registry import METRICS


def metric_choices() -> list[tuple[str, str]]:
    """The registered metrics; a callable, so a new metric does not need a migration."""
    return [(m.code, m.name) for m in METRICS.values()]


class TargetKind(models.TextChoices):
    ABSOLUTE = "absolute", _("Fast værdi")
    RELATIVE = "relative", _("Ændring i forhold til en basisperiode")


class TargetDirection(models.TextChoices):
    AT_MOST = "at_most", _("Højst")
    AT_LEAST = "at_least", _("Mindst")


class Target(models.Model):
    """A måltal/servicemål: a metric, a scope, a period, a goal and a direction (ADR 0012).

    No administration means the whole municipality. An absolute goal is in the metric's shown unit; a
    relative goal is a percent change from the same metric in a baseline period of the same scope."""

    metric = models.CharField(_("nøgletal"), max_length=40, choices=metric_choices)
    theme = models.ForeignKey(
        "complaints.ComplaintTheme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("klagetema"),
    )
    administration = models.ForeignKey(
        "organisation.Administration",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("forvaltning"),
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("enhed"),
    )
    case_area = models.ForeignKey(
        "cases.CaseArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sagsområde"),
    )
    case_type = models.ForeignKey(
        "cases.CaseType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sagstype"),
    )
    period_start = models.DateField(_("periode fra"))
    period_end = models.DateField(_("periode til"))
    kind = models.CharField(
        _("måltype"), max_length=10, choices=TargetKind.choices, default=TargetKind.ABSOLUTE
    )
    value = models.DecimalField(_("målværdi"), max_digits=12, decimal_places=2, null=True, blank=True)
    baseline_start = models.DateField(_("basisperiode fra"), null=True, blank=True)
    baseline_end = models.DateField(_("basisperiode til"), null=True, blank=True)
    change_percent = models.DecimalField(
        _("ændring i procent"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    direction = models.CharField(_("retning"), max_length=10, choices=TargetDirection.choices)
    amber_margin_percent = models.DecimalField(
        _("gul margen (% af målet)"), max_digits=5, decimal_places=2, default=10
    )
    note = models.TextField(_("note"), blank=True)
    # The person who set the target confirmed the warning about capping a count of complaints.
    warning_acknowledged = models.BooleanField(_("advarsel bekræftet"), default=False)
    archived = models.BooleanField(_("arkiveret"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oprettet af"),
    )
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)

    class Meta:
        ordering = ["administration__code", "unit__name", "metric", "period_start", "pk"]
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="target_period_order"
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=True) | Q(administration__isnull=False),
                name="target_unit_needs_administration",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="absolute",
                        value__isnull=False,
                        change_percent__isnull=True,
                        baseline_start__isnull=True,
                        baseline_end__isnull=True,
                    )
                    | Q(
                        kind="relative",
                        value__isnull=True,
                        change_percent__isnull=False,
                        baseline_start__isnull=False,
                        baseline_end__isnull=False,
                        baseline_end__gte=models.F("baseline_start"),
                    )
                ),
                name="target_kind_fields",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="target_value_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(change_percent__isnull=True) | Q(change_percent__gte=-100),
                name="target_change_at_least_minus_100",
            ),
            models.CheckConstraint(
                condition=Q(amber_margin_percent__gte=0, amber_margin_percent__lte=100),
                name="target_amber_margin_percent",
            ),
            models.CheckConstraint(
                condition=Q(direction__in=["at_most", "at_least"]), name="target_direction_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} {self.period_start:%d-%m-%Y}–{self.period_end:%d-%m-%Y}"

    @property
    def is_municipality_wide(self) -> bool:
        return self.administration_id is None

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        m = METRICS.get(self.metric)
        if m is not None and m.needs_theme and self.theme_id is None:
            errors["theme"] = _("Vælg det klagetema, nøgletallet skal tælle.")
        if m is not None and not m.needs_theme and self.theme_id is not None:
            errors["theme"] = _("Nøgletallet bruger ikke et klagetema; lad feltet stå tomt.")
        if self.theme_id is not None and self.theme is not None:
            local_to = self.theme.administration_id
            if local_to is not None and local_to != self.administration_id:
                errors["theme"] = _("Et lokalt tema kan kun bruges i sin egen forvaltning.")
        if self.unit_id is not None and self.unit is not None:
            if self.administration_id is None:
                errors["administration"] = _("Vælg den forvaltning, enheden hører til.")
            elif self.unit.administration_id != self.administration_id:
                errors["unit"] = _("Enheden hører ikke til den valgte forvaltning.")
        if self.case_type_id is not None and self.case_area_id is not None and self.case_type is not None:
            if self.case_type.case_area_id != self.case_area_id:
                errors["case_type"] = _("Sagstypen hører ikke til det valgte sagsområde.")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("Perioden skal slutte efter den begynder.")
        if self.kind == TargetKind.ABSOLUTE:
            if self.value is None:
                errors["value"] = _("Skriv målværdien.")
            elif self.value < 0:
                errors["value"] = _("Målværdien kan ikke være negativ.")
            elif m is not None and m.kind == "share" and self.value > 100:
                errors["value"] = _("En andel kan højst være 100 %.")
        else:
            if self.change_percent is None:
                errors["change_percent"] = _("Skriv ændringen i procent, fx -40 for 40 % færre.")
            elif self.change_percent < -100:
                errors["change_percent"] = _("Et tal kan højst falde med 100 %.")
            if self.baseline_start is None or self.baseline_end is None:
                errors["baseline_start"] = _("Vælg basisperioden, målet regnes ud fra.")
            elif self.baseline_end < self.baseline_start:
                errors["baseline_end"] = _("Basisperioden skal slutte efter den begynder.")
            elif self.period_start and self.baseline_end >= self.period_start:
                errors["baseline_end"] = _("Basisperioden skal ligge før målets periode.")
        if errors:
            raise ValidationError(errors)


class VersionAction(models.TextChoices):
    CREATED = "created", _("Oprettet")
    UPDATED = "updated", _("Ændret")
    ARCHIVED = "archived", _("Arkiveret")


class TargetVersion(models.Model):
    """One state of a target, written by every change: what the committee approved and when (ADR 0012).

    `data` is the machine snapshot; `summary` is the target in words as it read then (names, not ids), so
    the history stays readable after a unit is renamed."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    action = models.CharField(_("handling"), max_length=10, choices=VersionAction.choices)
    data = models.JSONField(_("data"))
    summary = models.JSONField(_("beskrivelse"))
    reason = models.TextField(_("begrundelse"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ændret af"),
    )
    changed_at = models.DateTimeField(_("tidspunkt"), default=timezone.now)

    class Meta:
        ordering = ["target", "-number"]
        verbose_name = _("målversion")
        verbose_name_plural = _("målversioner")
        constraints = [
            models.UniqueConstraint(fields=["target", "number"], name="target_version_unique"),
        ]

    def __str__(self) -> str:
        return f"Mål {self.target_id} version {self.number}"
