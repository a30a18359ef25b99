"""Large loads in the background (django-tasks with the database worker), and ending dead loads."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sagsindsigt.intake.models import Load
from sagsindsigt.intake.services import load_commit, load_validate, loads_end_stalled
from sagsindsigt.organisation.access import SYSTEM
from sagsindsigt.organisation.models import User


def _actor(actor_id: int | None) -> Any:
    # The user who asked for the work; the service checks their role again when it runs.
    return User.objects.get(pk=actor_id) if actor_id else SYSTEM


@task()
def load_validate_task(load_id: int, actor_id: int | None) -> str:
    loads_sweep(running=load_id)
    return str(load_validate(actor=_actor(actor_id), load=Load.objects.get(pk=load_id)).status)


@task()
def load_commit_task(load_id: int, actor_id: int | None) -> str:
    loads_sweep(running=load_id)
    return str(load_commit(actor=_actor(actor_id), load=Load.objects.get(pk=load_id)).status)


def loads_waiting() -> set[int]:
    """Loads whose work waits in the worker's queue, or was taken by it so recently that the load may not
    have had time for its first heartbeat. A task the worker took long ago counts no more: if the worker
    died with it, the load's heartbeat says so."""
    paths = [load_validate_task.module_path, load_commit_task.module_path]
    recent = timezone.now() - timedelta(seconds=settings.INTAKE_STALL_SECONDS)
    waiting = DBTaskResult.objects.filter(task_path__in=paths).filter(
        Q(status=TaskResultStatus.READY) | Q(status=TaskResultStatus.RUNNING, started_at__gte=recent)
    )
    return {int(kwargs["kwargs"]["load_id"]) for kwargs in waiting.values_list("args_kwargs", flat=True)}


def loads_sweep(*, running: int | None = None) -> list[int]:
    """End the loads whose process died. Run by the worker before each load, by the intake pages (the
    status page polls while someone waits) and by `manage.py intake_stalled` (for cron)."""
    return loads_end_stalled(waiting=lambda: loads_waiting() | ({running} if running else set()))
