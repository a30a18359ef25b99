"""The municipality-wide complaint themes, complaints with their points, and appeals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sagsindsigt.common.models import Provenance


class ThemeKind(models.TextChoices):
    FORMAL = "formal", _("Formalitet")
    SUBSTANTIVE = "substantive", _("Realitet")
    SERVICE = "service", _("Service")


class RuleWeight(models.TextChoices):
    NONE = "", _("—")
    GUARANTEE = "guarantee", _("Garantiforskrift")
    ORDER = "order", _("Ordensforskrift")


class ComplaintTheme(models.Model):
    """A theme of DOMAIN.md §3 (core), or an administration's local sub-theme mapped to one core theme."""

    code = models.CharField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("tema"), max_length=200)
    legal_basis = models.CharField(_("lovgrundlag"), max_length=200, blank=True)
    kind = models.CharField(_("art"), max_length=20, choices=ThemeKind.choices)
    rule_weight = models.CharField(_("regelvægt"), max_length=20, choices=RuleWeight.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="local_themes",
        verbose_name=_("kernetema"),
    )
    administration = models.ForeignKey(
        "organisation.Administration",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="local_themes",
        verbose_name=_("forvaltning"),
    )
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("klagetema")
        verbose_name_plural = _("klagetemaer")
        constraints = [
            # A core theme belongs to nobody; a local sub-theme to one administration and one core theme.
            models.CheckConstraint(
                condition=Q(parent__isnull=True, administration__isnull=True)
                | Q(parent__isnull=False, administration__isnull=False),
                name="theme_core_or_local",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def core(self) -> ComplaintTheme:
        return self.parent if self.parent_id is not None and self.parent is not None else self

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.parent is not None and self.parent.parent_id is not None:
            raise ValidationError({"parent": _("Et lokalt undertema skal knyttes til et kernetema.")})


class ComplaintKind(models.TextChoices):
    FORMAL = "formal", _("Formalitetsklage")
    SUBSTANTIVE = "substantive", _("Realitetsklage")


class Channel(models.TextChoices):
    DIRECT = "direct", _("Direkte til forvaltningen")
    OMBUDSMAN = "ombudsman", _("Via Borgerrådgiveren")
    APPEAL_BODY = "appeal_body", _("Via klageinstansen")


class PointOutcome(models.TextChoices):
    UPHELD = "upheld", _("Medhold")
    PARTLY = "partly", _("Delvist medhold")
    NOT_UPHELD = "not_upheld", _("Ikke medhold")
    REJECTED = "rejected", _("Afvist")
    PENDING = "pending", _("Ikke afgjort endnu")


class Complaint(Provenance):
    """A klage: about how a case was handled (formal) or about the decision's content (substantive)."""

    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="complaints", verbose_name=_("enhed")
    )
    case_type = models.ForeignKey(
        "cases.CaseType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("sagstype"),
    )
    kind = models.CharField(_("klageart"), max_length=20, choices=ComplaintKind.choices)
    channel = models.CharField(_("kanal"), max_length=20, choices=Channel.choices, default=Channel.DIRECT)
    received_date = models.DateField(_("modtaget"))
    answered_date = models.DateField(_("besvaret"), null=True, blank=True)
    # Working days from receipt to answer, stored so reply-time histograms are built in SQL.
    reply_days = models.PositiveIntegerField(_("svartid (arbejdsdage)"), null=True, blank=True)
    related_case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("sag"),
    )
    supervision_case_opened = models.BooleanField(_("Borgerrådgiveren oprettede tilsynssag"), default=False)
    learning_note = models.TextField(_("læring"), blank=True, max_length=5000)
    citizen_key = models.CharField(_("borgernøgle (pseudonym)"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registreret af"),
    )
    # A default, not auto_now_add: complaints imported from an older system keep their registration time.
    created_at = models.DateTimeField(_("registreret"), default=timezone.now)

    class Meta:
        ordering = ["-received_date", "-pk"]
        verbose_name = _("klage")
        verbose_name_plural = _("klager")
        constraints = [
            models.UniqueConstraint(
                fields=["source_system", "external_id"],
                condition=~Q(external_id=""),
                name="complaint_source_external_id",
            ),
            models.CheckConstraint(
                condition=Q(answered_date__isnull=True) | Q(answered_date__gte=models.F("received_date")),
                name="complaint_answered_after_received",
            ),
            models.CheckConstraint(
                condition=Q(supervision_case_opened=False) | Q(channel="ombudsman"),
                name="complaint_supervision_only_via_ombudsman",
            ),
        ]
        indexes = [models.Index(fields=["received_date", "unit"], name="complaint_received_unit")]

    def __str__(self) -> str:
        return f"Klage {self.pk} ({self.received_date:%d-%m-%Y})"


class ComplaintPoint(models.Model):
    """A klagepunkt: one theme of a complaint with its own outcome."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="points", verbose_name=_("klage")
    )
    theme = models.ForeignKey(
        ComplaintTheme, on_delete=models.PROTECT, related_name="points", verbose_name=_("tema")
    )
    outcome = models.CharField(
        _("udfald"), max_length=20, choices=PointOutcome.choices, default=PointOutcome.PENDING
    )

    class Meta:
        ordering = ["complaint", "pk"]
        verbose_name = _("klagepunkt")
        verbose_name_plural = _("klagepunkter")

    def __str__(self) -> str:
        return f"{self.theme.code}: {self.get_outcome_display()}"


class AppealBody(models.TextChoices):
    ANKESTYRELSEN = "ast", _("Ankestyrelsen")
    BESKAEFTIGELSESNAEVNET = "bn", _("Beskæftigelsesnævnet")
    OTHER = "other", _("Andet klagenævn")


class LawArea(models.TextChoices):
    SERVICELOVEN = "serviceloven", _("Serviceloven")
    AKTIVLOVEN = "aktivloven", _("Aktivloven")
    BESKAEFTIGELSESINDSATS = "lab", _("Lov om aktiv beskæftigelsesindsats")
    SYGEDAGPENGELOVEN = "sygedagpengeloven", _("Sygedagpengeloven")
    SOCIAL_PENSION = "social_pension", _("Lov om social pension")
    OTHER = "other", _("Anden lov")


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", _("Stadfæstet")
    CHANGED = "changed", _("Ændret/ophævet")
    REMITTED = "remitted", _("Hjemvist")
    REJECTED = "rejected", _("Afvist/henvist/bortfaldet")


# Decided on the merits (realitetsbehandlede) = the denominator of the reversal rate.
MERITS_OUTCOMES = (AppealOutcome.UPHELD, AppealOutcome.CHANGED, AppealOutcome.REMITTED)
REVERSAL_OUTCOMES = (AppealOutcome.CHANGED, AppealOutcome.REMITTED)


class Appeal(Provenance):
    """An ankesag decided by an appeal body; one decision counts as its most far-reaching outcome."""

    unit = models.ForeignKey(
        "organisation.Unit", on_delete=models.PROTECT, related_name="appeals", verbose_name=_("enhed")
    )
    case_type = models.ForeignKey(
        "cases.CaseType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("sagstype"),
    )
    appeal_body = models.CharField(_("klageinstans"), max_length=20, choices=AppealBody.choices)
    law_area = models.CharField(_("lovområde"), max_length=30, choices=LawArea.choices)
    paragraph = models.CharField(_("paragraf"), max_length=50, blank=True)
    decision_date = models.DateField(_("afgørelsesdato"))
    outcome = models.CharField(_("udfald"), max_length=20, choices=AppealOutcome.choices)
    reversal_reasons = models.ManyToManyField(
        ComplaintTheme, blank=True, related_name="appeals", verbose_name=_("omgørelsesårsager")
    )
    related_case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("sag"),
    )

    class Meta:
        ordering = ["-decision_date", "-pk"]
        verbose_name = _("ankesag")
        verbose_name_plural = _("ankesager")
        constraints = [
            models.UniqueConstraint(
                fields=["source_system", "external_id"],
                condition=~Q(external_id=""),
                name="appeal_source_external_id",
            ),
        ]
        indexes = [models.Index(fields=["decision_date", "unit"], name="appeal_decided_unit")]

    def __str__(self) -> str:
        return f"{self.get_appeal_body_display()} {self.decision_date:%d-%m-%Y}: {self.get_outcome_display()}"
