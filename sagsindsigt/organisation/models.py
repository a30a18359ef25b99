"""The municipality, its administrations and unit tree, and the people who use Sagsindsigt."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MunicipalitySettings(models.Model):
    """One row: the municipality's name and its local rules (working days, reply rule)."""

    name = models.CharField(_("kommune"), max_length=100)
    # Closing days that are not public holidays (DOMAIN.md §4); Copenhagen keeps 24/12 and 31/12 open.
    closed_june_5 = models.BooleanField(_("lukket grundlovsdag (5. juni)"), default=True)
    closed_dec_24 = models.BooleanField(_("lukket juleaftensdag (24. december)"), default=False)
    closed_dec_31 = models.BooleanField(_("lukket nytårsaftensdag (31. december)"), default=False)
    closed_may_1 = models.BooleanField(_("lukket 1. maj"), default=False)
    reply_working_days = models.PositiveSmallIntegerField(
        _("svarfrist (arbejdsdage)"),
        default=10,
        help_text=_("Tilbagemeldingsgaranti: borgeren får skriftligt svar inden for så mange arbejdsdage."),
    )

    class Meta:
        verbose_name = _("kommuneindstillinger")
        verbose_name_plural = _("kommuneindstillinger")

    def __str__(self) -> str:
        return self.name


class Administration(models.Model):
    """A forvaltning (department)."""

    code = models.CharField(_("kode"), max_length=20, unique=True)
    name = models.CharField(_("navn"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("forvaltning")
        verbose_name_plural = _("forvaltninger")

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class Unit(models.Model):
    """An enhed/center/afdeling: a tree inside one administration, valid for a period."""

    administration = models.ForeignKey(
        Administration, on_delete=models.PROTECT, related_name="units", verbose_name=_("forvaltning")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("overordnet enhed"),
    )
    code = models.CharField(_("enhedskode"), max_length=40, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    valid_from = models.DateField(_("gyldig fra"), default=date(2000, 1, 1))
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)

    class Meta:
        ordering = ["administration__code", "code"]
        verbose_name = _("enhed")
        verbose_name_plural = _("enheder")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_period",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="unit_not_own_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.parent_id is not None and self.parent is not None:
            if self.parent.administration_id != self.administration_id:
                raise ValidationError({"parent": _("Den overordnede enhed skal høre til samme forvaltning.")})
            node: Unit | None = self.parent
            while node is not None:
                if self.pk is not None and node.pk == self.pk:
                    raise ValidationError({"parent": _("En enhed kan ikke ligge under sig selv.")})
                node = node.parent


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("Systemadministrator")
    CENTRAL_ANALYST = "central_analyst", _("Central analytiker")
    ADMINISTRATION_LEADER = "administration_leader", _("Forvaltningsleder")
    UNIT_LEADER = "unit_leader", _("Enhedsleder")
    CASEWORKER = "caseworker", _("Sagsbehandler")
    OMBUDSMAN = "ombudsman", _("Borgerrådgiver")
    LIBRARY_EDITOR = "library_editor", _("Biblioteksredaktør")
    REVIEWER = "reviewer", _("Tilsynsførende (ledelsestilsyn)")


class ScopeKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Hele kommunen")
    ADMINISTRATION = "administration", _("Én forvaltning")
    UNIT = "unit", _("En enhed med underenheder")


class User(AbstractUser):
    """A person using Sagsindsigt: one role and one access scope (ADR 0003)."""

    role = models.CharField(_("rolle"), max_length=30, choices=Role.choices, default=Role.CASEWORKER)
    scope_kind = models.CharField(
        _("adgangsområde"), max_length=20, choices=ScopeKind.choices, default=ScopeKind.MUNICIPALITY
    )
    scope_administration = models.ForeignKey(
        Administration,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("forvaltning (adgang)"),
    )
    scope_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enhed (adgang)"),
    )

    class Meta:
        verbose_name = _("bruger")
        verbose_name_plural = _("brugere")
        constraints = [
            models.CheckConstraint(
                name="user_scope_consistent",
                condition=(
                    Q(scope_kind="municipality", scope_administration__isnull=True, scope_unit__isnull=True)
                    | Q(
                        scope_kind="administration",
                        scope_administration__isnull=False,
                        scope_unit__isnull=True,
                    )
                    | Q(scope_kind="unit", scope_administration__isnull=True, scope_unit__isnull=False)
                ),
            )
        ]
