"""Base admins: permissions from our roles, every change written to the audit trail; logs read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from sagsindsigt.common.audit import audit_record, snapshot
from sagsindsigt.common.models import AuditAction
from sagsindsigt.organisation.access import Perm, can


class AuditedAdmin(admin.ModelAdmin):
    """Master data may be edited only by roles with EDIT_MASTER_DATA; each save is audited."""

    permission = Perm.EDIT_MASTER_DATA

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can(request.user, self.permission)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, self.permission)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return can(request.user, self.permission)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, self.permission)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, self.permission)

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        before = snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=AuditAction.UPDATE if change else AuditAction.CREATE,
            instance=obj,
            before=before,
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        befores = {
            o.pk: snapshot(type(o)._default_manager.get(pk=o.pk))
            for o in formset.queryset
            if o.pk is not None
        }
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit_record(actor=request.user, action=AuditAction.CREATE, instance=obj)
        for obj, _fields in formset.changed_objects:
            audit_record(
                actor=request.user, action=AuditAction.UPDATE, instance=obj, before=befores.get(obj.pk)
            )
        for obj in formset.deleted_objects:
            audit_record(
                actor=request.user, action=AuditAction.DELETE, instance=obj, before=befores.get(obj.pk)
            )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        before = snapshot(obj)
        audit_record(actor=request.user, action=AuditAction.DELETE, instance=obj, before=before)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Logs can be read by administrators and never edited."""

    permission = Perm.VIEW_AUDIT

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can(request.user, self.permission)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return can(request.user, self.permission)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
