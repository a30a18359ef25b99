"""Loads are read-only in the admin; rollback arrives with the intake issue."""

from django.contrib import admin

from sagsindsigt.intake.models import Load
from sagsindsigt.organisation.admin_base import ReadOnlyAdmin


@admin.register(Load)
class LoadAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "source_system", "file_name", "status", "created_by"]
    list_filter = ["source_system", "status"]
