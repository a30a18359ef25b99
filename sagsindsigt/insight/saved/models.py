"""A saved view keeps the filters of a dashboard page (never figures); a digest sent is recorded once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sagsindsigt.insight.saved.periods import FIXED, PERIOD_KINDS


class SavedPage(models.TextChoices):
    OVERVIEW = "overview", _("Overblik")
    ADMINISTRATION = "administration", _("Forvaltning")
    UNIT = "unit", _("Enhed")
    CASE_AREA = "case_area", _("Sagsområde")
    THEME = "theme", _("Klagetema")


# The foreign key each page names (the overview names none).
PAGE_FIELDS: dict[str, str] = {
    SavedPage.ADMINISTRATION: "administration",
    SavedPage.UNIT: "unit",
    SavedPage.CASE_AREA: "case_area",
    SavedPage.THEME: "theme",
}


def _only(page: str) -> Q:
    """The page's own key is set and the others are empty."""
    return Q(page=page, **{f"{f}__isnull": p != page for p, f in PAGE_FIELDS.items()})


class SavedView(models.Model):
    """A named set of dashboard filters a user returns to: the page (and its administration, unit, case
    area or theme), the period (relative, or fixed dates) and the chosen metric. Opening it always reads
    through the owner's current scope."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views", verbose_name=_("ejer")
    )
    name = models.CharField(_("navn"), max_length=100)
    page = models.CharField(_("side"), max_length=20, choices=SavedPage.choices)
    administration = models.ForeignKey(
        "organisation.Administration",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("forvaltning"),
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enhed"),
    )
    case_area = models.ForeignKey(
        "cases.CaseArea",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sagsområde"),
    )
    theme = models.ForeignKey(
        "complaints.ComplaintTheme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("klagetema"),
    )
    period_kind = models.CharField(_("periode"), max_length=20, choices=list(PERIOD_KINDS.items()))
    period_start = models.DateField(_("periode fra"), null=True, blank=True)
    period_end = models.DateField(_("periode til"), null=True, blank=True)
    metric = models.CharField(_("nøgletal"), max_length=40, blank=True)
    digest = models.BooleanField(_("med i månedsbrevet"), default=False)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)

    class Meta:
        ordering = ["owner", "name", "pk"]
        verbose_name = _("gemt visning")
        verbose_name_plural = _("gemte visninger")
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="saved_view_name_unique"),
            models.CheckConstraint(
                condition=(
                    Q(period_kind=FIXED, period_start__isnull=False, period_end__isnull=False)
                    & Q(period_end__gte=models.F("period_start"))
                )
                | (
                    Q(period_kind__in=[k for k in PERIOD_KINDS if k != FIXED])
                    & Q(period_start__isnull=True, period_end__isnull=True)
                ),
                name="saved_view_period",
            ),
            models.CheckConstraint(
                condition=_only(SavedPage.OVERVIEW)
                | _only(SavedPage.ADMINISTRATION)
                | _only(SavedPage.UNIT)
                | _only(SavedPage.CASE_AREA)
                | _only(SavedPage.THEME),
                name="saved_view_page_key",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def object_id(self) -> int | None:
        """The id of the administration, unit, case area or theme the page shows (None: the overview)."""
        field = PAGE_FIELDS.get(self.page)
        return None if field is None else getattr(self, f"{field}_id")


class DigestSent(models.Model):
    """One monthly digest sent to a user: the row that makes sending it a second time a no-op."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("bruger")
    )
    month = models.DateField(_("måned"))
    views = models.PositiveIntegerField(_("visninger"))
    sent_at = models.DateTimeField(_("sendt"), default=timezone.now)

    class Meta:
        ordering = ["-month", "user"]
        verbose_name = _("sendt månedsbrev")
        verbose_name_plural = _("sendte månedsbreve")
        constraints = [
            models.UniqueConstraint(fields=["user", "month"], name="digest_once_per_user_and_month"),
        ]

    def __str__(self) -> str:
        return f"Månedsbrev {self.month:%Y-%m} til bruger {self.user_id}"
