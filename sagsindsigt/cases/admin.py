"""Admin for case areas, case types and their guideline deadlines."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sagsindsigt.cases.models import CaseArea, CaseType, GuidelineDeadline
from sagsindsigt.cases.services import case_recompute_due_dates
from sagsindsigt.organisation.admin_base import AuditedAdmin


@admin.register(CaseArea)
class CaseAreaAdmin(AuditedAdmin):
    list_display = ["name", "kle_code"]
    search_fields = ["name", "kle_code"]


class GuidelineDeadlineInline(admin.TabularInline):
    model = GuidelineDeadline
    extra = 0


@admin.register(CaseType)
class CaseTypeAdmin(AuditedAdmin):
    list_display = ["code", "name", "case_area"]
    list_filter = ["case_area"]
    search_fields = ["code", "name"]
    inlines = [GuidelineDeadlineInline]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # A changed deadline changes the due date of every case of this type received in its period.
        case_recompute_due_dates(actor=request.user, case_type=form.instance)
