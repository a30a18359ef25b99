"""Audit trail of every change and access log of every read of personal data."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("Oprettet")
    UPDATE = "update", _("Ændret")
    DELETE = "delete", _("Slettet")


class AuditEvent(models.Model):
    """Who changed what, when, with the values before and after."""

    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("bruger")
    )
    action = models.CharField(_("handling"), max_length=10, choices=AuditAction.choices)
    model = models.CharField(_("objekttype"), max_length=100, db_index=True)
    object_id = models.CharField(_("objekt-id"), max_length=64)
    object_repr = models.CharField(_("objekt"), max_length=200)
    changes = models.JSONField(_("ændringer"), default=dict, help_text=_("felt → [før, efter]"))

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("revisionsspor")
        verbose_name_plural = _("revisionsspor")
        indexes = [models.Index(fields=["model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.model} {self.object_id}"


class AccessLogEntry(models.Model):
    """A read of rows that may hold personal data: who looked at what, and when."""

    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, verbose_name=_("bruger")
    )
    what = models.CharField(_("hvad"), max_length=100)
    object_ids = models.JSONField(_("objekt-id'er"), default=list)
    detail = models.CharField(_("detaljer"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("adgangslog")
        verbose_name_plural = _("adgangslog")

    def __str__(self) -> str:
        return f"{self.what} ({self.at:%d-%m-%Y %H:%M})"


class StaleKind(models.TextChoices):
    """What kind of write made figures stale: a kind of imported row, or a change of the whole calendar
    or of the organisation's shape."""

    CASES = "cases", _("Sager")
    VOLUME_COUNTS = "volume_counts", _("Sagsmængder")
    COMPLAINTS = "complaints", _("Klager")
    APPEALS = "appeals", _("Ankesager")
    CALENDAR = "calendar", _("Arbejdsdage og frister")
    ORGANISATION = "organisation", _("Organisation")


class StaleMark(models.Model):
    """Figures that a committed write made stale (kind × units × months; empty means all), recorded in the
    writer's transaction. The read side counts these months from the raw tables until it has refreshed
    its own tables from the mark, and then deletes it (common/staleness.py)."""

    kind = models.CharField(_("art"), max_length=16, choices=StaleKind.choices)
    # First days of months as ISO dates; null: every month.
    months = models.JSONField(_("måneder"), null=True, blank=True)
    # Unit ids; null: every unit.
    units = models.JSONField(_("enheder"), null=True, blank=True)
    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("forældet opgørelse")
        verbose_name_plural = _("forældede opgørelser")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%d-%m-%Y %H:%M})"


class Provenance(models.Model):
    """Where an imported row came from: the source system, the row's id there, and the load that wrote it
    (so a load can be rolled back). Rows registered by hand have neither source nor load."""

    source_system = models.CharField(_("kildesystem"), max_length=50, blank=True)
    external_id = models.CharField(_("id i kildesystem"), max_length=100, blank=True)
    load = models.ForeignKey(
        "intake.Load",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("indlæsning"),
    )

    class Meta:
        abstract = True


class DataVersion(models.Model):
    """Names the figures' data as it is now: `number` moves on with every committed write that changes
    figures (common/staleness.mark_stale, the one place they all go through), and `token` is new with
    each database. What is computed from the figures can be kept under that name (ADR 0015)."""

    token = models.CharField(_("kendetegn"), max_length=32)
    number = models.BigIntegerField(_("nummer"), default=0)

    class Meta:
        verbose_name = _("dataversion")
        verbose_name_plural = _("dataversioner")

    def __str__(self) -> str:
        return f"{self.token}:{self.number}"
