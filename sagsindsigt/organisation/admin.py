"""Admin for the organisation's master data and users."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from sagsindsigt.cases.services import case_recompute_due_dates
from sagsindsigt.common.admin import AuditedAdmin
from sagsindsigt.insight.rollups import rollup_resum_administrations
from sagsindsigt.organisation.access import Perm
from sagsindsigt.organisation.models import Administration, MunicipalitySettings, Unit, User

admin.site.site_header = "Sagsindsigt · stamdata"
admin.site.site_title = "Sagsindsigt"


@admin.register(MunicipalitySettings)
class MunicipalitySettingsAdmin(AuditedAdmin):
    list_display = [
        "name",
        "reply_working_days",
        "closed_june_5",
        "closed_dec_24",
        "closed_dec_31",
        "closed_may_1",
    ]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Closing days change which days count: every stored due date must follow.
        case_recompute_due_dates(actor=request.user)


@admin.register(Administration)
class AdministrationAdmin(AuditedAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    list_display = ["code", "name", "administration", "parent", "valid_from", "valid_to"]
    list_filter = ["administration"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "administration" in form.changed_data:
            # The administrations' working-day histograms are summed by unit: re-sum them.
            rollup_resum_administrations()


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    permission = Perm.VIEW_AUDIT  # only system administrators manage users
    list_display = [
        "username",
        "first_name",
        "last_name",
        "role",
        "scope_kind",
        "scope_administration",
        "scope_unit",
        "is_active",
    ]
    list_filter = ["role", "scope_kind", "is_active"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        ("Rolle og adgangsområde", {"fields": ("role", "scope_kind", "scope_administration", "scope_unit")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("Rolle og adgangsområde", {"fields": ("role", "scope_kind", "scope_administration", "scope_unit")}),
    )
