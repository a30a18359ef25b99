"""Every page reads as plain Danish: large numbers with thousands separators (300.424, not 300424), nouns
in the right number (1 sag, 2 sager), no "---------" in a select box, and statisticians' words only inside
an explanation the reader opens (<details>).

Crawls every page of the query-count table (the GETs that answer with a page) as the demo users, on a demo
municipality large enough that its totals have five digits.
"""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sagsindsigt.demo.generator import DemoSummary
from sagsindsigt.demo.testing import DemoOptions
from sagsindsigt.organisation.models import User
from sagsindsigt.tests.test_query_counts import VISITS, Visit, scene  # noqa: F401 (scene is a fixture)

# A bare number of five or more digits: not part of a word or code (S000123, 2024-001234, a:b), not
# already grouped (12.345) and not a decimal (0,12345).
BARE = re.compile(r"(?<![\w.,:/-])\d{5,}(?![\w]|[.,]\d)")
# A grouped number of at least five digits, as every large number should be shown.
GROUPED = re.compile(r"(?<![\w.,])\d{1,3}(?:\.\d{3})+(?![\w]|[.,]\d)")
# "1" with a plural noun.
ONE_PLURAL = re.compile(
    r"(?<![\w.,])1 (sager|klager|klagepunkter|måneder|rækker|enheder|perioder|punkter|ankesager|"
    r"forvaltninger|sagstyper|arbejdsdage|kolonner|felter|markeringer)\b"
)
EMPTY_CHOICE = "---------"
# Statisticians' words as labels: allowed only in an explanation (<details>), not in what everyone reads.
# (An explanatory sentence may still say "tælleren eller nævneren".)
JARGON = re.compile(r"antal i nævneren|\bnævner\b|hændelser|overspredning|φ", re.IGNORECASE)
# Text a user never reads as a number: code (hashes, API keys) and what the browser does not show.
SKIPPED = {"script", "style", "code", "template", "head"}
# Attributes a screen reader reads out (the charts' text summaries are aria-labels).
READ_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")


@pytest.fixture(scope="module")
def demo_options() -> DemoOptions:
    """≈ 12,000 cases: large enough for five-digit totals, small enough to generate in seconds."""
    return DemoOptions(end_date=date(2026, 6, 30), scale=0.04, seed=2026)


class _VisibleText(HTMLParser):
    """The text a reader sees or hears: element text and read-out attributes, outside SKIPPED."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.options: list[str] = []
        self.outside_details: list[str] = []
        self._skipping = 0
        self._details = 0
        self._in_option = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self._skipping += 1
        self._details += tag == "details"
        self._in_option = tag == "option"
        if not self._skipping:
            read = [value for name, value in attrs if name in READ_ATTRIBUTES and value]
            self.parts.extend(read)
            if not self._details:
                self.outside_details.extend(read)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED and self._skipping:
            self._skipping -= 1
        if tag == "details" and self._details:
            self._details -= 1
        if tag == "option":
            self._in_option = False

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        self.parts.append(data)
        if not self._details:
            self.outside_details.append(data)
        if self._in_option:
            self.options.append(data.strip())


def _joined(parts: list[str]) -> str:
    return " ".join(" ".join(parts).split())


def visible_text(html: str) -> tuple[str, list[str]]:
    parser = _VisibleText()
    parser.feed(html)
    return _joined(parser.parts), parser.options


def problems(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    text, options, plain = _joined(parser.parts), parser.options, _joined(parser.outside_details)
    found = [
        f"tal uden tusindtalsskilletegn: {m.group()!r} i »{_around(text, m)}«" for m in BARE.finditer(text)
    ]
    found += [f"forkert flertal: {m.group()!r} i »{_around(text, m)}«" for m in ONE_PLURAL.finditer(text)]
    found += [f"tom valgmulighed {EMPTY_CHOICE!r}" for option in options if option == EMPTY_CHOICE]
    found += [
        f"fagord uden forklaring: {m.group()!r} i »{_around(plain, m)}«" for m in JARGON.finditer(plain)
    ]
    return found


def _around(text: str, match: re.Match[str]) -> str:
    return text[max(0, match.start() - 40) : match.end() + 40]


@pytest.mark.parametrize(
    "html",
    [
        "<p>300424 sager</p>",
        "<td>21149</td>",
        '<div role="img" aria-label="Tragtdiagram: 12345 afgjorte sager"></div>',
        "<p>1 klagepunkter</p>",
        "<select><option value>---------</option></select>",
        "<p>Grænserne er udvidet for overspredning (φ = 139,42).</p>",
        "<th>Nævner</th>",
        '<svg aria-label="Vandret akse: Antal i nævneren"></svg>',
    ],
)
def test_the_crawl_finds_what_it_looks_for(html: str) -> None:
    assert problems(html)


@pytest.mark.parametrize(
    "html",
    [
        "<p>300.424 sager</p>",
        "<p>Sag SBSYS:S000123, 2024-001234 modtaget 05-03-2026 kl. 12:30</p>",
        "<p>87,29 %; 0,12345</p>",
        "<code>3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b</code>",
        "<script>var n = 123456;</script>",
        "<p>1 sag, 2 sager</p>",
        "<select><option value>Alle</option></select>",
        "<details><summary>Hvorfor?</summary><p>Det kaldes overspredning (φ = 139,42).</p></details>",
    ],
)
def test_the_crawl_leaves_what_is_right_alone(html: str) -> None:
    assert problems(html) == []


PAGES = [v for v in VISITS if v.method == "get" and v.status == 200 and v.user is not None]


@pytest.mark.django_db
def test_every_page_shows_plain_danish_numbers(scene: None, demo: DemoSummary, client: Client) -> None:  # noqa: F811
    # given: a municipality whose totals run to five digits
    assert demo.cases >= 10_000
    found: dict[str, list[str]] = {}
    grouped_seen = 0
    # when: every page is read as its user
    for visit in PAGES:
        html = _page(visit, client)
        if html is None:
            continue
        grouped_seen += len(GROUPED.findall(visible_text(html)[0]))
        if issues := problems(html):
            found[visit.id] = issues
    # then
    assert found == {}
    assert grouped_seen, "no page showed a grouped five-digit number: the crawl could not have failed"


def _page(visit: Visit, client: Client) -> str | None:
    client.force_login(User.objects.get(username=visit.user))
    url = reverse(visit.name, kwargs=visit.kwargs())
    response: Any = client.get(f"{url}?{visit.query}" if visit.query else url)
    if not response.get("Content-Type", "").startswith("text/html") or hasattr(response, "streaming_content"):
        return None
    assert response.status_code == 200, visit.id
    return str(response.content.decode())
