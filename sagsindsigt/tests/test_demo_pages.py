"""The main pages on the demo municipality as its users see them: every link opens (crawled for each demo
role), and the overview's signals start with those of the whole the chart shows."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from sagsindsigt.cases.models import CaseArea
from sagsindsigt.complaints.models import ComplaintTheme
from sagsindsigt.demo.catalogue import USER_SPECS
from sagsindsigt.demo.generator import DemoSummary
from sagsindsigt.organisation.access import administrations_in_scope, units_in_scope
from sagsindsigt.organisation.models import User

PERIOD = "fra=2025-07-01&til=2026-06-30"
HREF = re.compile(r"""href=["']([^"']+)["']""")
# Links that are not pages of ours: static files and Django's admin (staff only, its own checks).
NOT_PAGES = ("/static/", "/admin/")


def _main_pages(user: User) -> list[str]:
    """The overview, the menu's landing pages and one page of each kind the user can reach."""
    pages = [f"{reverse('overview')}?{PERIOD}"]
    administration = administrations_in_scope(user).order_by("code").first()
    if administration is not None:
        pages.append(f"{reverse('administration', args=[administration.pk])}?{PERIOD}")
    unit = units_in_scope(user).order_by("code").first()
    if unit is not None:
        pages.append(f"{reverse('unit', args=[unit.pk])}?{PERIOD}")
    area = CaseArea.objects.order_by("name").first()
    theme = ComplaintTheme.objects.filter(parent__isnull=True).order_by("code").first()
    if area is not None:
        pages.append(f"{reverse('case_area', args=[area.pk])}?{PERIOD}")
    if theme is not None:
        pages.append(f"{reverse('theme', args=[theme.pk])}?{PERIOD}")
    return pages


def _links(html: str) -> set[str]:
    """The internal links of a page, without fragments and downloads (tables and charts, which the pages'
    own tests request)."""
    found = set()
    for href in HREF.findall(html):
        url = unescape(href).split("#")[0]
        parts = urlsplit(url)
        if not url or parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(NOT_PAGES) or "format=" in parts.query:
            continue
        found.add(url)
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("username", [spec.username for spec in USER_SPECS])
def test_every_link_on_the_main_pages_opens_for_each_demo_role(
    demo: DemoSummary, client: Client, username: str
) -> None:
    # given a demo user on the main pages, which every role may open
    user = User.objects.get(username=username)
    client.force_login(user)
    opened = {page: client.get(page) for page in _main_pages(user)}
    assert {page: r.status_code for page, r in opened.items()} == dict.fromkeys(opened, 200)
    links: set[str] = set()
    for response in opened.values():
        links |= _links(response.content.decode())
    # when every link on them is followed
    broken = {}
    for link in sorted(links - set(opened)):
        status = client.get(link).status_code
        if status >= 400:
            broken[link] = status
    # then none answers an error
    assert broken == {}, f"{username}: {broken}"
