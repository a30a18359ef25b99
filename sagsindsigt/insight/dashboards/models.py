"""Breaks in recording: where control charts split their limits."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordingBreak(models.Model):
    """A break in recording (a new case system, a new way of registering complaints): control charts split
    their limits there, so a jump caused by the change is not read as a change in quality."""

    administration = models.ForeignKey(
        "organisation.Administration",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("forvaltning"),
        help_text=_("Tom: gælder hele kommunen."),
    )
    month = models.DateField(
        _("fra måned"), help_text=_("Den første dag i den første måned med ny registrering.")
    )
    description = models.CharField(_("beskrivelse"), max_length=200)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("brud i registreringen")
        verbose_name_plural = _("brud i registreringen")
        constraints = [models.CheckConstraint(condition=models.Q(month__day=1), name="break_month_first_day")]

    def __str__(self) -> str:
        return f"{self.month:%m-%Y}: {self.description}"
