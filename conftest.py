"""Test-wide fixtures: fast hashing, the real browser, and CI's rule that nothing is skipped."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or ""
IN_CI = os.environ.get("CI") == "true"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A test of PostgreSQL's own behaviour belongs to the PostgreSQL run (which CI always makes): on
    # SQLite it is left out of the collection, not skipped.
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        postgres_only = [item for item in items if "postgres" in item.keywords]
        if postgres_only:
            config.hook.pytest_deselected(items=postgres_only)
            items[:] = [item for item in items if "postgres" not in item.keywords]
    if CHROMIUM:
        return
    reason = "Chromium mangler (apt-get install chromium); browsertests kører altid under CI."
    for item in items:
        if "browser" in item.keywords:
            if IN_CI:
                raise pytest.UsageError("Chromium skal være installeret under CI; intet må springes over.")
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _decisions_made_afresh(settings: Any) -> None:
    """Tests write with factories, past `mark_stale`, so a kept suppression decision could be another
    test's: each read decides afresh (insight/tests/test_differencing.py tests the keeping itself)."""
    settings.SUPPRESSION_KEEP_DECISIONS = False


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body
    # are still synchronous, so allow them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Starting Playwright gives this thread a new context, and Django new connection objects that lack the
    # serialized test data: carry it over, or later serialized_rollback tests start from an empty database.
    from django.db import connections

    saved = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    with sync_playwright() as p:
        for alias, contents in saved.items():
            if (
                contents is not None
                and getattr(connections[alias], "_test_serialized_contents", None) is None
            ):
                connections[alias]._test_serialized_contents = contents
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(locale="da-DK", viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
