"""Faults: the importer killed mid-commit, the database connection lost, and two imports of one file."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sagsindsigt.cases.models import Case
from sagsindsigt.common.danish import number
from sagsindsigt.conftest import Mini
from sagsindsigt.intake.dispatch import load_enqueue
from sagsindsigt.intake.models import Load, LoadStatus, Source
from sagsindsigt.intake.progress import heartbeat
from sagsindsigt.intake.services import STALLED_MESSAGE, load_commit, load_import, load_prepare, load_receive
from sagsindsigt.intake.tasks import loads_sweep
from sagsindsigt.intake.tests.conftest import csv_lines, database_url
from sagsindsigt.organisation.access import SYSTEM

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ROOT = Path(settings.BASE_DIR)


def _big_file(path: Path, rows: int) -> Path:
    lines = [
        f"B-{n};{'4711' if n % 2 else '4712'};HJ;{1 + n % 28:02d}-0{1 + n % 9}-2024;;;;" for n in range(rows)
    ]
    path.write_bytes(csv_lines(*lines).encode("cp1252"))
    return path


def _wait_for(proc: subprocess.Popen[bytes], needle: bytes, timeout: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    assert proc.stderr is not None
    fd = proc.stderr.fileno()
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            seen += chunk
            if needle in seen:
                return seen
    raise AssertionError(f"Så ikke {needle!r} i tide: {seen[-500:]!r}")


def test_sigkill_mid_commit_changes_nothing_and_a_rerun_completes(
    mini: Mini, kmd: Source, tmp_path: Path
) -> None:
    # given
    path = _big_file(tmp_path / "stor.csv", 60_000)
    before = Case.objects.count()
    env = {**os.environ, "DATABASE_URL": database_url(), "SAGSINDSIGT_DEV": "1"}
    command = [sys.executable, "manage.py", "intake", str(path), "--source", "KMD"]
    # when: killed once the commit has applied a couple of batches
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # noqa: S603
    try:
        _wait_for(proc, b"Indl\xc3\xa6ser [", timeout=120)
        _wait_for(proc, b"/60.000", timeout=60)
        time.sleep(0.3)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    # then: nothing applied; the load is as it was before the commit began
    assert proc.returncode == -signal.SIGKILL
    connection.close()
    assert Case.objects.count() == before
    killed = Load.objects.get(source=kmd)
    assert killed.status == LoadStatus.RECEIVED  # the claim to commit was rolled back with everything else
    # and a re-run of the same command completes
    rerun = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=300, check=False)  # noqa: S603
    assert rerun.returncode == 0, rerun.stderr.decode()[-2000:]
    assert Case.objects.count() == before + 60_000
    assert Load.objects.filter(source=kmd, status=LoadStatus.COMMITTED).count() == 1
    killed.refresh_from_db()
    assert killed.status == LoadStatus.FAILED and "Afbrudt" in killed.message


def test_two_concurrent_imports_of_one_file_apply_once(mini: Mini, kmd: Source, tmp_path: Path) -> None:
    # given: the same file validated twice (neither applied yet)
    path = _big_file(tmp_path / "samme.csv", 12_000)
    loads = [load_prepare(actor=SYSTEM, source=kmd, path=path, file_name="samme.csv") for _ in range(2)]
    assert [load.status for load in loads] == [LoadStatus.VALIDATED, LoadStatus.VALIDATED]
    before = Case.objects.count()
    barrier = threading.Barrier(2)
    results: dict[int, Any] = {}

    def commit(load: Load) -> None:
        try:
            barrier.wait()
            results[load.pk] = load_commit(actor=SYSTEM, load=load).status
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            results[load.pk] = error
        finally:
            connections.close_all()

    # when
    threads = [threading.Thread(target=commit, args=(load,)) for load in loads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    # then
    assert sorted(map(str, results.values())) == ["committed", "refused"], results
    refused = Load.objects.get(status=LoadStatus.REFUSED)
    assert "allerede indlæst" in refused.message
    assert Case.objects.count() == before + 12_000


def _receive(source: Source, path: Path, rows: int) -> Load:
    return load_receive(actor=SYSTEM, source=source, path=_big_file(path, rows), file_name=path.name)


def _kill_mid_commit(path: Path, rows: int) -> None:
    """Run `manage.py intake` on the file and SIGKILL it once it has applied a batch or two."""
    env = {**os.environ, "DATABASE_URL": database_url(), "SAGSINDSIGT_DEV": "1"}
    command = [sys.executable, "manage.py", "intake", str(path), "--source", "KMD"]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # noqa: S603
    try:
        _wait_for(proc, b"Indl\xc3\xa6ser [", timeout=120)
        _wait_for(proc, f"/{number(rows)}".encode(), timeout=60)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    connection.close()


def test_a_killed_load_is_ended_by_its_status_page(
    mini: Mini, kmd: Source, tmp_path: Path, client: Client, settings: Any
) -> None:
    # given: the command line killed mid-commit; its load still says it is being checked, and keeps the file
    path = _big_file(tmp_path / "draebt.csv", 30_000)
    _kill_mid_commit(path, 30_000)
    killed = Load.objects.get(source=kmd)
    assert killed.status == LoadStatus.RECEIVED and Path(killed.stored_file).exists()
    # when: its heartbeat is older than the limit and someone looks at the load
    settings.INTAKE_STALL_SECONDS = 1
    time.sleep(1.5)
    client.force_login(mini.analyst)
    page = client.get(reverse("intake_load", args=[killed.pk])).content.decode()
    # then: ended as failed with a Danish message, its file (raw CPR numbers) deleted, the page stops polling
    killed.refresh_from_db()
    assert killed.status == LoadStatus.FAILED and killed.message == STALLED_MESSAGE
    assert not Path(killed.stored_file).exists()
    assert "Fejlede" in page and "holdt op med at svare" in page and "hx-trigger" not in page
    assert not Case.objects.filter(source_system="KMD").exists()


def test_a_live_load_and_a_load_waiting_for_the_worker_are_not_ended(
    mini: Mini, kmd: Source, tmp_path: Path, settings: Any
) -> None:
    # given: two loads received long before the limit; one is being worked on, one waits for the worker
    settings.INTAKE_STALL_SECONDS = 1
    working, queued = _receive(kmd, tmp_path / "a.csv", 10), _receive(kmd, tmp_path / "b.csv", 20)
    load_enqueue(actor=mini.analyst, load=queued)
    Load.objects.update(created_at=F("created_at") - timedelta(hours=1))
    # when: the sweep runs while the first one's heartbeat beats
    with heartbeat(working.pk):
        time.sleep(1.5)
        assert loads_sweep() == []
    # then: both are as they were
    assert set(Load.objects.values_list("status", flat=True)) == {LoadStatus.RECEIVED}
    # nor is one the worker has just taken (it may not have beaten yet)
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())
    with heartbeat(working.pk):
        assert loads_sweep() == []
    # but once the worker took it long ago and died (its task running, no heartbeat), both end
    DBTaskResult.objects.update(started_at=timezone.now() - timedelta(hours=1))
    out = StringIO()
    call_command("intake_stalled", stdout=out)
    assert set(Load.objects.values_list("status", flat=True)) == {LoadStatus.FAILED}
    assert f"{working.pk}" in out.getvalue() and f"{queued.pk}" in out.getvalue()
    assert not any(Path(load.stored_file).exists() for load in Load.objects.all())


@pytest.mark.postgres  # pg_terminate_backend is PostgreSQL's: run in the PostgreSQL pass only
def test_a_connection_terminated_during_the_first_load_ends_it_as_failed(
    mini: Mini, kmd: Source, tmp_path: Path, client: Client
) -> None:
    # given: a source's first load (rows go in with COPY), more than two batches
    path = _big_file(tmp_path / "foerste.csv", 12_000)
    cfg = connection.settings_dict
    terminated: list[int] = []

    def terminate_after_the_first_batch(phase: str, done: int, total: int | None) -> None:
        # Between two batches of the commit: a second connection ends this one's backend, as an
        # administrator (or a failover) would, and waits until it is gone.
        if phase != "commit" or terminated:
            return
        pid = connection.connection.info.backend_pid
        with psycopg.connect(
            host=cfg["HOST"] or "127.0.0.1",
            port=cfg["PORT"] or 5432,
            user=cfg["USER"],
            dbname=cfg["NAME"],
            autocommit=True,
        ) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
            while admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
                time.sleep(0.05)
        terminated.append(pid)

    # when
    load = load_import(
        actor=SYSTEM, source=kmd, path=path, file_name=path.name, on_progress=terminate_after_the_first_batch
    )
    # then: the load ended as failed, with a Danish message, nothing applied and the file deleted
    assert terminated
    assert load.status == LoadStatus.FAILED
    assert "Forbindelsen til databasen svigtede" in load.message and "intet er ændret" in load.message
    stored = Load.objects.get(pk=load.pk)
    assert (stored.status, stored.message) == (LoadStatus.FAILED, load.message)
    assert not Path(load.stored_file).exists()
    assert not Case.objects.filter(source_system="KMD").exists()
    # and its page does not poll
    client.force_login(mini.analyst)
    page = client.get(reverse("intake_load", args=[load.pk])).content.decode()
    assert "Forbindelsen til databasen svigtede" in page and "hx-trigger" not in page


def test_the_worker_ends_dead_loads_before_its_next_load(
    mini: Mini, kmd: Source, tmp_path: Path, settings: Any
) -> None:
    # given: a load whose process died an hour ago (no heartbeat), and a new large file waiting for the worker
    settings.INTAKE_STALL_SECONDS = 1
    dead = load_receive(actor=SYSTEM, source=kmd, path=_big_file(tmp_path / "a.csv", 10), file_name="a.csv")
    Load.objects.filter(pk=dead.pk).update(created_at=F("created_at") - timedelta(hours=1))
    waiting = load_receive(
        actor=SYSTEM, source=kmd, path=_big_file(tmp_path / "b.csv", 20), file_name="b.csv"
    )
    load_enqueue(actor=mini.analyst, load=waiting)
    # when: the worker runs
    call_command("db_worker", "--batch", "--no-startup-delay")
    # then: the dead load is ended, the waiting one was validated
    dead.refresh_from_db()
    waiting.refresh_from_db()
    assert (dead.status, dead.message) == (LoadStatus.FAILED, STALLED_MESSAGE)
    assert not Path(dead.stored_file).exists()
    assert waiting.status == LoadStatus.VALIDATED
