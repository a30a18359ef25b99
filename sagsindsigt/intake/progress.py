"""Live progress and the heartbeat of a load, visible across processes while its transaction is open."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.cache import caches

# The commit runs in one transaction, so progress written to the database would be invisible until
# the end (and would block on SQLite). The cache is shared by the web process and the worker.
_TTL = 24 * 3600
# How often a running load says it is alive; a load silent for INTAKE_STALL_SECONDS is dead.
HEARTBEAT_SECONDS = 5.0


def _key(load_id: int) -> str:
    return f"intake-progress:{load_id}"


def _beat_key(load_id: int) -> str:
    return f"intake-heartbeat:{load_id}"


def progress_set(load_id: int, *, phase: str, done: int, total: int | None) -> None:
    caches["default"].set(_key(load_id), {"phase": phase, "done": done, "total": total}, _TTL)


def progress_get(load_id: int) -> dict[str, Any] | None:
    value = caches["default"].get(_key(load_id))
    return value if isinstance(value, dict) else None


def progress_clear(load_id: int) -> None:
    caches["default"].delete(_key(load_id))


def heartbeat_get(load_id: int) -> float | None:
    """When the load last said it was alive (seconds since the epoch), or None if it never did."""
    value = caches["default"].get(_beat_key(load_id))
    return value if isinstance(value, float) else None


@contextmanager
def heartbeat(load_id: int) -> Iterator[None]:
    """While the block runs, a thread records every few seconds that the load is alive, also while the
    load waits for a lock or a long statement. It dies with the process: a load whose last beat is old
    was killed (see services.loads_end_stalled)."""
    every = min(HEARTBEAT_SECONDS, settings.INTAKE_STALL_SECONDS / 4)
    stop = threading.Event()

    # The first beat before the block starts, so a sweep at once never finds it silent.
    caches["default"].set(_beat_key(load_id), time.time(), _TTL)

    def beat() -> None:
        cache = caches["default"]
        while not stop.wait(every):
            cache.set(_beat_key(load_id), time.time(), _TTL)

    thread = threading.Thread(target=beat, name=f"intake-heartbeat-{load_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        caches["default"].delete(_beat_key(load_id))
