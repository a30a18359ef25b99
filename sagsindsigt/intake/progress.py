"""Live progress of a load, visible across processes while its transaction is still open."""

from __future__ import annotations

from typing import Any

from django.core.cache import caches

# The commit runs in one transaction, so progress written to the database would be invisible until
# the end (and would block on SQLite). The cache is shared by the web process and the worker.
_TTL = 24 * 3600


def _key(load_id: int) -> str:
    return f"intake-progress:{load_id}"


def progress_set(load_id: int, *, phase: str, done: int, total: int | None) -> None:
    caches["default"].set(_key(load_id), {"phase": phase, "done": done, "total": total}, _TTL)


def progress_get(load_id: int) -> dict[str, Any] | None:
    value = caches["default"].get(_key(load_id))
    return value if isinstance(value, dict) else None


def progress_clear(load_id: int) -> None:
    caches["default"].delete(_key(load_id))
