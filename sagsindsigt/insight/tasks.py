"""Catching the rollups up with large changes in the task worker (django-tasks with the database worker)."""

from __future__ import annotations

from django_tasks import task


@task()
def rollups_catch_up_task() -> int:
    from sagsindsigt.insight.rollups import rollups_catch_up

    return rollups_catch_up()
