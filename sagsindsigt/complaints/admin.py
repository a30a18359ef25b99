"""Admin for the complaint taxonomy (core themes and local sub-themes)."""

from django.contrib import admin

from sagsindsigt.complaints.models import ComplaintTheme
from sagsindsigt.organisation.admin_base import AuditedAdmin


@admin.register(ComplaintTheme)
class ComplaintThemeAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "rule_weight", "parent", "administration", "active"]
    list_filter = ["kind", "administration", "active"]
    search_fields = ["code", "name"]
