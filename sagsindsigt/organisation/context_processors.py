"""Template context: what the signed-in user may do, for the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sagsindsigt.organisation.access import Perm, can


def access(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "can_view_cases": can(user, Perm.VIEW_CASE_ROWS),
        "can_view_complaints": can(user, Perm.VIEW_COMPLAINT_ROWS),
        "can_register_complaint": can(user, Perm.REGISTER_COMPLAINT),
        "can_edit_master_data": can(user, Perm.EDIT_MASTER_DATA),
    }
