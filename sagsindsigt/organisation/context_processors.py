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
        "can_load_data": can(user, Perm.LOAD_DATA),
        "can_view_evaluations": _sees_evaluations(user),
    }


def _sees_evaluations(user: Any) -> bool:
    """FOKUS: result viewers, respondents by role, the ombudsman, and anyone added as a respondent."""
    if any(
        can(user, p) for p in (Perm.VIEW_EVALUATION_RESULTS, Perm.ANSWER_EVALUATION, Perm.MANAGE_EVALUATIONS)
    ):
        return True
    return bool(user.is_authenticated and user.fokus_evaluations.exists())
