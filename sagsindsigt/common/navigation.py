"""The main menu, filled by the apps: each registers its entries in its AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse


def _signed_in(user: Any) -> bool:
    return bool(user.is_authenticated)


@dataclass(frozen=True)
class NavEntry:
    """A menu link. `visible(user)` decides who sees it (the app's access rules); `section` makes it the
    current page anywhere under its URL, not only on the URL itself."""

    label: str
    url_name: str
    order: int
    visible: Callable[[Any], bool] = _signed_in
    section: bool = False


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool


_ENTRIES: dict[str, NavEntry] = {}


def nav_register(*entries: NavEntry) -> None:
    for entry in entries:
        _ENTRIES[entry.url_name] = entry


def nav_links(request: HttpRequest) -> list[NavLink]:
    """The entries the signed-in user may see, in order, with the current page marked."""
    match = request.resolver_match
    found = []
    for entry in sorted(_ENTRIES.values(), key=lambda e: (e.order, e.label)):
        if not entry.visible(request.user):
            continue
        url = reverse(entry.url_name)
        current = (match is not None and match.view_name == entry.url_name) or (
            entry.section and request.path.startswith(url)
        )
        found.append(NavLink(entry.label, url, current))
    return found
