"""Large files: validated and committed by the database-backed task worker; the page polls progress."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from sagsindsigt.cases.models import Case
from sagsindsigt.common.confirm import CONFIRM_FIELD, CONFIRM_VALUE
from sagsindsigt.conftest import Mini
from sagsindsigt.intake.models import Load, LoadStatus, Source
from sagsindsigt.intake.services import BACKGROUND_BYTES
from sagsindsigt.intake.tests.conftest import csv_lines

# The worker closes database connections between tasks, as it does in production.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_large_upload_runs_in_the_worker(mini: Mini, kmd: Source, client: Client, tmp_path: Path) -> None:
    # given: a file above the background threshold
    lines = [f"W-{n};4711;HJ;{1 + n % 28:02d}-02-2024;;;;" for n in range(70_000)]
    path = tmp_path / "stor.csv"
    path.write_bytes(csv_lines(*lines).encode("cp1252"))
    assert path.stat().st_size > BACKGROUND_BYTES
    client.force_login(mini.analyst)
    # when: uploaded
    with path.open("rb") as handle:
        client.post(reverse("intake_home"), {"source": kmd.pk, "file": handle})
    load = Load.objects.latest("pk")
    # then: received and waiting for the worker; the page polls
    assert load.status == LoadStatus.RECEIVED
    page = client.get(reverse("intake_load", args=[load.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page
    call_command("db_worker", "--batch", "--no-startup-delay")
    load.refresh_from_db()
    assert load.status == LoadStatus.VALIDATED, load.message
    assert load.counts["new"] == 70_000
    # commit, also in the worker
    client.post(reverse("intake_commit", args=[load.pk]), {CONFIRM_FIELD: CONFIRM_VALUE})
    load.refresh_from_db()
    assert load.status == LoadStatus.QUEUED
    assert Case.objects.filter(source_system="KMD").count() == 0
    call_command("db_worker", "--batch", "--no-startup-delay")
    load.refresh_from_db()
    assert load.status == LoadStatus.COMMITTED
    assert Case.objects.filter(source_system="KMD").count() == 70_000
    # the progress fragment tells the page to reload when the work is done
    fragment = client.get(reverse("intake_progress", args=[load.pk]))
    assert fragment["HX-Refresh"] == "true"
