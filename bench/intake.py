"""Import benchmark: N case rows from a KMD-style CSV into PostgreSQL through `manage.py intake`, against
a plain COPY of the same file into an unindexed table (the floor), measured in the same run."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = "Sagsnr;Enhedskode;Sagstype;Modtaget dato;Afgørelsesdato;Lukket dato;CPR-nr.;Sagsbehandler"


def write_file(path: Path, rows: int) -> None:
    start = date(2022, 1, 3)
    with path.open("w", encoding="cp1252", newline="") as out:
        out.write(HEADER + "\r\n")
        for n in range(rows):
            received = start + timedelta(days=n % 1000)
            decided = f"{received + timedelta(days=5 + n % 40):%d-%m-%Y}" if n % 10 else ""
            cpr = f"{1 + n % 28:02d}{1 + n % 12:02d}{n % 100:02d}-{n % 10000:04d}"
            out.write(
                f"2024-{n:07d};{4700 + n % 40};T{n % 20:02d};{received:%d-%m-%Y};{decided};;{cpr};"
                f"bruger{n % 300}\r\n"
            )


def recreate_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def copy_floor(url: str, path: Path) -> float:
    import psycopg

    with psycopg.connect(url) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_copy")
        conn.execute(
            "CREATE TABLE bench_copy (a text, b text, c text, d text, e text, f text, g text, h text)"
        )
        started = time.perf_counter()
        with (
            conn.cursor() as cur,
            cur.copy(
                "COPY bench_copy FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true, ENCODING 'WIN1252')"
            ) as copy,
            path.open("rb") as handle,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        conn.commit()
        return time.perf_counter() - started


def setup_municipality(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url, "SAGSINDSIGT_DEV": "1"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    script = """
from datetime import date
from sagsindsigt.cases.models import CaseArea, CaseType, GuidelineDeadline
from sagsindsigt.intake.mapping import Mapping
from sagsindsigt.intake.services import source_create
from sagsindsigt.organisation.access import SYSTEM
from sagsindsigt.organisation.models import Administration, Unit
a = Administration.objects.create(code="SOF", name="Socialforvaltningen")
for i in range(40):
    Unit.objects.create(administration=a, code=f"U{i}", name=f"Enhed {i}")
area = CaseArea.objects.create(name="Bench")
units = ["working_days", "weeks", "months", "calendar_days"]
for i in range(20):
    ct = CaseType.objects.create(case_area=area, code=f"T{i:02d}", name=f"Type {i}")
    GuidelineDeadline.objects.create(case_type=ct, value=10, unit=units[i % 4], valid_from=date(2000, 1, 1))
source_create(actor=SYSTEM, name="KMD", kind="cases", mapping=Mapping.from_json({
    "columns": {"external_id": "Sagsnr", "unit": "Enhedskode", "case_type": "Sagstype",
                "received_date": "Modtaget dato", "decided_date": "Afgørelsesdato",
                "closed_date": "Lukket dato",
                "citizen_cpr": "CPR-nr.", "caseworker_id": "Sagsbehandler"},
    "values": {"unit": {str(4700 + i): f"U{i}" for i in range(40)}}}, "cases"))
"""
    subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True)  # noqa: S603


def run_intake(url: str, path: Path) -> tuple[float, int, str]:
    env = {**os.environ, "DATABASE_URL": url, "SAGSINDSIGT_DEV": "1"}
    started = time.perf_counter()
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "intake", str(path), "--source", "KMD"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    output = proc.stdout.read().decode() if proc.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"intake fejlede:\n{output}")
    return elapsed, usage.ru_maxrss // 1024, output.strip().splitlines()[-1]


def run_catch_up(url: str) -> float:
    """The rollups' catch-up with the months the load marked stale (the task worker's job in production)."""
    env = {**os.environ, "DATABASE_URL": url, "SAGSINDSIGT_DEV": "1"}
    started = time.perf_counter()
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "rollups", "--pending"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--admin-url", default=os.environ.get("BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    args = parser.parse_args()
    name = "sagsindsigt_bench"
    url = args.admin_url.rsplit("/", 1)[0] + f"/{name}"
    path = Path(tempfile.gettempdir()) / f"sagsindsigt-bench-{args.rows}.csv"
    write_file(path, args.rows)
    recreate_database(args.admin_url, name)
    setup_municipality(url)
    floor = copy_floor(url, path)
    loaded, rss_mb, summary = run_intake(url, path)
    catch_up = run_catch_up(url)
    elapsed = loaded + catch_up
    rows = args.rows
    print(
        f"intake {rows:,} case rows ({path.stat().st_size / 1e6:.0f} MB CSV, Windows-1252) into PostgreSQL:"
    )
    print(
        f"  manage.py intake (validate + commit): {loaded:.1f} s, peak RSS {rss_mb} MB; then the rollups' "
        f"catch-up: {catch_up:.1f} s"
    )
    print(f"  together: {elapsed:.1f} s = {rows / elapsed:,.0f} rows/s")
    print(f"  plain COPY into an unindexed table:   {floor:.1f} s = {rows / floor:,.0f} rows/s")
    print(f"  ratio intake / COPY: {elapsed / floor:.1f}x   ({summary})")
    path.unlink()


if __name__ == "__main__":
    main()
