"""Steps the browser tests share (real Chromium through Playwright)."""

from __future__ import annotations

from typing import Any


def log_in(page: Any, base_url: str, username: str, password: str) -> None:
    """Log in on the log-in page and wait until the menu offers to log out."""
    page.goto(f"{base_url}/log-ind/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("button", name="Log ud").wait_for()


def log_in_as(page: Any, base_url: str, user: Any, password: str) -> None:
    """Give a test user a password, then log in as them."""
    user.set_password(password)
    user.save(update_fields=["password"])
    log_in(page, base_url, user.username, password)
