"""Faults: the importer killed mid-commit, and two imports of the same file at once."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, connections

from sagsindsigt.cases.models import Case
from sagsindsigt.conftest import Mini
from sagsindsigt.intake.models import Load, LoadStatus, Source
from sagsindsigt.intake.services import load_commit, load_prepare
from sagsindsigt.intake.tests.conftest import csv_lines
from sagsindsigt.organisation.access import SYSTEM

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
ROOT = Path(settings.BASE_DIR)


def _database_url() -> str:
    """The test database, for a second process."""
    cfg = connection.settings_dict
    if cfg["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{cfg['NAME']}"
    return f"postgres://{cfg['USER']}@{cfg['HOST'] or '127.0.0.1'}:{cfg['PORT'] or 5432}/{cfg['NAME']}"


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
    env = {**os.environ, "DATABASE_URL": _database_url(), "SAGSINDSIGT_DEV": "1"}
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
