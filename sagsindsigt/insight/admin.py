"""Admin for breaks in recording (the rollups are derived data and have no admin)."""

from __future__ import annotations

from django.contrib import admin

from sagsindsigt.common.admin import AuditedAdmin
from sagsindsigt.insight.models import RecordingBreak


@admin.register(RecordingBreak)
class RecordingBreakAdmin(AuditedAdmin):
    list_display = ["month", "administration", "description"]
    list_filter = ["administration"]
