"""Admin for breaks in recording (the rollups are derived data and have no admin)."""

from __future__ import annotations

from django.contrib import admin

from sagsindsigt.insight.dashboards.models import RecordingBreak
from sagsindsigt.organisation.admin_base import AuditedAdmin


@admin.register(RecordingBreak)
class RecordingBreakAdmin(AuditedAdmin):
    list_display = ["month", "administration", "description"]
    list_filter = ["administration"]
