"""Large loads in the background (django-tasks with the database worker)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from sagsindsigt.intake.models import Load
from sagsindsigt.intake.services import load_commit, load_validate
from sagsindsigt.organisation.access import SYSTEM
from sagsindsigt.organisation.models import User


def _actor(actor_id: int | None) -> Any:
    # The user who asked for the work; the service checks their role again when it runs.
    return User.objects.get(pk=actor_id) if actor_id else SYSTEM


@task()
def load_validate_task(load_id: int, actor_id: int | None) -> str:
    return str(load_validate(actor=_actor(actor_id), load=Load.objects.get(pk=load_id)).status)


@task()
def load_commit_task(load_id: int, actor_id: int | None) -> str:
    return str(load_commit(actor=_actor(actor_id), load=Load.objects.get(pk=load_id)).status)
