"""Admin for the organisation's master data and users."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from sagsindsigt.common.models import AccessLogEntry, AuditEvent, StaleKind
from sagsindsigt.common.staleness import mark_stale
from sagsindsigt.organisation.access import Perm
from sagsindsigt.organisation.admin_base import AuditedAdmin, ReadOnlyAdmin
from sagsindsigt.organisation.models import Administration, MunicipalitySettings, Unit, User
from sagsindsigt.organisation.signals import working_day_rules_changed

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
        # Closing days change which days count: every stored due date and working-day time must follow.
        working_day_rules_changed.send(sender=MunicipalitySettings, actor=request.user)


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
            # Figures summed by administration now hold the unit in the wrong place.
            mark_stale(StaleKind.ORGANISATION, units=[obj.pk])


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


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "model", "object_id", "object_repr"]
    list_filter = ["action", "model"]
    search_fields = ["object_id", "object_repr", "actor__username"]
    date_hierarchy = "at"


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "what", "detail"]
    list_filter = ["what"]
    search_fields = ["user__username", "detail"]
    date_hierarchy = "at"
