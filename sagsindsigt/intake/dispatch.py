"""Where a load's next step runs: in the request when the file is small, in the task worker when large."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from sagsindsigt.intake.models import Load, LoadStatus
from sagsindsigt.intake.services import BACKGROUND_BYTES, load_commit, load_validate
from sagsindsigt.intake.tasks import load_commit_task, load_validate_task
from sagsindsigt.organisation.access import Perm, require


def load_enqueue(*, actor: Any, load: Load) -> Load:
    """Hand work on a large file to the background worker: validation of a received file, or the commit
    of a validated one. The page follows its progress."""
    require(actor, Perm.LOAD_DATA)
    if load.status == LoadStatus.RECEIVED:
        load_validate_task.enqueue(load_id=load.pk, actor_id=actor.pk)
        return load
    if load.status != LoadStatus.VALIDATED:
        raise ValidationError("Kun en kontrolleret indlæsning kan sættes i kø.")
    load.status = LoadStatus.QUEUED
    load.save(update_fields=["status"])
    load_commit_task.enqueue(load_id=load.pk, actor_id=actor.pk)
    return load


def load_process(*, actor: Any, load: Load) -> Load:
    """The next step of a load from the web: validate a received file, or commit a validated one;
    in the request when the file is small, by the background worker when it is large."""
    size = (
        Path(load.stored_file).stat().st_size if load.stored_file and Path(load.stored_file).exists() else 0
    )
    if size > BACKGROUND_BYTES:
        return load_enqueue(actor=actor, load=load)
    if load.status == LoadStatus.RECEIVED:
        return load_validate(actor=actor, load=load)
    return load_commit(actor=actor, load=load)
