"""Catching the rollups up with what writes made stale: right after the commit, or in the task worker."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task
from django_tasks_db.models import DBTaskResult

from sagsindsigt.common.staleness import staleness
from sagsindsigt.insight.rollups.refresh import rollups_catch_up

logger = logging.getLogger(__name__)


@task()
def rollups_catch_up_task() -> int:
    return rollups_catch_up()


# A catch-up of up to this many months runs right after the commit; more (a large load, a calendar
# change) goes to the task worker, and readers count those months from the raw tables meanwhile.
INLINE_MONTHS = 24


def refresh_after_commit(**_kwargs: Any) -> None:
    """Receiver of `stale_recorded`: catch up now when it is small, else in the task worker. A failure
    leaves the marks in place (the figures stay right, read from the raw tables) for the next catch-up."""
    try:
        pending = staleness()
        if not pending.pending:
            return  # an earlier announcement of the same commit has caught up already
        if pending.every_month or len(pending.months) > INLINE_MONTHS:
            # One waiting catch-up takes every mark there is when it runs: don't queue a second.
            waiting = DBTaskResult.objects.ready().filter(task_path=rollups_catch_up_task.module_path)
            if not waiting.exists():
                rollups_catch_up_task.enqueue()
        else:
            rollups_catch_up()
    except Exception:
        logger.exception(
            "Opdatering af månedstal efter en ændring mislykkedes; den indhentes ved næste ændring "
            "eller med manage.py rollups --pending."
        )
