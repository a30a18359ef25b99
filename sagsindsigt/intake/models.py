"""Provenance: every record knows the load that created or last changed it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LoadStatus(models.TextChoices):
    COMMITTED = "committed", _("Indlæst")
    ROLLED_BACK = "rolled_back", _("Rullet tilbage")


class Load(models.Model):
    """One delivery of records from a source system (a file, an API push or the demo generator)."""

    source_system = models.CharField(_("kildesystem"), max_length=50)
    created_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("indlæst af"),
    )
    file_name = models.CharField(_("filnavn"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=LoadStatus.choices, default=LoadStatus.COMMITTED
    )
    counts = models.JSONField(_("antal"), default=dict)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("indlæsning")
        verbose_name_plural = _("indlæsninger")

    def __str__(self) -> str:
        return f"{self.source_system} {self.file_name or ''} ({self.created_at:%d-%m-%Y %H:%M})"
