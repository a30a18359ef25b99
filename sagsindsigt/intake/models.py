"""Sources with their mappings, loads (one delivery each), their row issues and rollback records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    CASES = "cases", _("Sager")
    VOLUME_COUNTS = "volume_counts", _("Sagsmængder (månedstal)")
    COMPLAINTS = "complaints", _("Klager med klagepunkter")
    APPEALS = "appeals", _("Ankesager")


class Source(models.Model):
    """A source system (eDoc, SBSYS, KMD, DUBU, …) with the mapping of its export to our fields."""

    name = models.CharField(
        _("navn"),
        max_length=50,
        unique=True,
        help_text=_("Kildesystemets navn; gemmes på hver post som kildesystem."),
    )
    kind = models.CharField(_("posttype"), max_length=20, choices=RecordKind.choices)
    administration = models.ForeignKey(
        "organisation.Administration",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources",
        verbose_name=_("forvaltning"),
    )
    mapping = models.JSONField(_("kortlægning"), default=dict)
    # SHA-256 of the push-API token; the token itself is shown once and never stored.
    api_token_hash = models.CharField(_("API-nøgle (hash)"), max_length=64, blank=True)
    future_days = models.PositiveSmallIntegerField(
        _("dage frem, en dato må ligge"),
        default=1,
        help_text=_(
            "Datoer (modtaget, afgjort, besvaret …) må højst ligge så mange dage efter i dag; "
            "ellers er rækken fejlbehæftet. 1 tåler et kildesystem, hvis ur går lidt foran."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("kildesystem")
        verbose_name_plural = _("kildesystemer")

    def __str__(self) -> str:
        return self.name


class LoadStatus(models.TextChoices):
    RECEIVED = "received", _("Modtaget, kontrolleres")
    INVALID = "invalid", _("Fejl i filen")
    VALIDATED = "validated", _("Klar til indlæsning")
    QUEUED = "queued", _("I kø")
    COMMITTING = "committing", _("Indlæses")
    COMMITTED = "committed", _("Indlæst")
    REFUSED = "refused", _("Afvist")
    FAILED = "failed", _("Fejlede")
    ROLLED_BACK = "rolled_back", _("Rullet tilbage")


class Load(models.Model):
    """One delivery of records: a file, an API push or the demo generator."""

    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="loads",
        verbose_name=_("kildesystem"),
    )
    source_system = models.CharField(_("kildesystem"), max_length=50)
    kind = models.CharField(_("posttype"), max_length=20, choices=RecordKind.choices, blank=True)
    created_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("indlæst af"),
    )
    file_name = models.CharField(_("filnavn"), max_length=255, blank=True)
    stored_file = models.CharField(_("gemt fil"), max_length=500, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=LoadStatus.choices, default=LoadStatus.VALIDATED
    )
    counts = models.JSONField(_("antal"), default=dict)
    warnings = models.JSONField(_("advarsler"), default=list)
    message = models.CharField(_("besked"), max_length=500, blank=True)
    committed_at = models.DateTimeField(_("indlæst"), null=True, blank=True)
    rolled_back_at = models.DateTimeField(_("rullet tilbage"), null=True, blank=True)
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rullet tilbage af"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("indlæsning")
        verbose_name_plural = _("indlæsninger")
        constraints = [
            # The same file can be applied once per source: a second commit of it fails here, inside the
            # committing transaction, so two concurrent imports of one file cannot both apply.
            models.UniqueConstraint(
                fields=["source", "sha256"],
                condition=Q(status__in=["committing", "committed"]) & ~Q(sha256=""),
                name="load_file_once_per_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_system} {self.file_name} ({self.get_status_display()})"


class LoadIssue(models.Model):
    """A problem found while reading a load: a whole-file problem (no row) or one row and column."""

    class Severity(models.TextChoices):
        ERROR = "error", _("Fejl")
        WARNING = "warning", _("Advarsel")

    load = models.ForeignKey(Load, on_delete=models.CASCADE, related_name="issues")
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.ERROR)
    row = models.PositiveIntegerField(_("række"), null=True, blank=True)
    column = models.CharField(_("kolonne"), max_length=200, blank=True)
    message = models.CharField(_("besked"), max_length=500)

    class Meta:
        ordering = ["load", "row", "pk"]
        verbose_name = _("fejl i indlæsning")
        verbose_name_plural = _("fejl i indlæsninger")

    def __str__(self) -> str:
        return f"Række {self.row}: {self.message}" if self.row else self.message


class LoadChange(models.Model):
    """The values a row had before a load changed it, so the load can be rolled back."""

    load = models.ForeignKey(Load, on_delete=models.CASCADE, related_name="changes")
    model = models.CharField(max_length=50)
    object_id = models.BigIntegerField()
    before = models.JSONField()

    class Meta:
        indexes = [models.Index(fields=["load", "model"])]
        verbose_name = _("ændring i indlæsning")
        verbose_name_plural = _("ændringer i indlæsninger")

    def __str__(self) -> str:
        return f"{self.model} {self.object_id}"
