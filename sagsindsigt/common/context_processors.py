"""Template context for every page: the main menu the signed-in user may see."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sagsindsigt.common.navigation import nav_links


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"nav_links": nav_links(request) if request.user.is_authenticated else []}
