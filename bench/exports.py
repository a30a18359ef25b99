"""Export benchmark: the case list's CSV streamed in chunks, for a month, a year and every case of the
database's municipality, against the old way (every row read into a list, the file built at once)
measured in the same run. Prints rows, seconds and peak Python memory; streaming should stay flat.

    python manage.py demo --scale 1.0            # ≈ 300,000 cases
    python bench/exports.py
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(fn: Callable[[], int]) -> tuple[int, float, float]:
    """(rows, seconds, peak MiB of Python allocations): timed in one run, memory traced in another (the
    tracing slows Python down several times)."""
    started = time.perf_counter()
    rows = fn()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    fn()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return rows, seconds, peak / 1024**2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--user", default="analytiker", help="Who exports (the demo's central analyst).")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    from sagsindsigt.cases.models import Case
    from sagsindsigt.cases.selectors import case_list
    from sagsindsigt.common.exports import csv_bytes
    from sagsindsigt.common.models import AccessLogEntry
    from sagsindsigt.organisation.models import User

    user = User.objects.get(username=args.user)
    client = Client()
    client.force_login(user)
    last = Case.objects.order_by("-received_date").values_list("received_date", flat=True).first()
    if last is None:
        sys.exit("Ingen sager: kør først `python manage.py demo`.")
    ranges: list[tuple[str, dict[str, Any]]] = [
        ("en måned", {"fra": last.replace(day=1).isoformat(), "til": last.isoformat()}),
        ("et år", {"fra": last.replace(year=last.year - 1).isoformat(), "til": last.isoformat()}),
        ("alle", {}),
    ]
    log_start = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def streamed(query: dict[str, Any]) -> Callable[[], int]:
        def run() -> int:
            response: Any = client.get(reverse("case_export"), query)
            lines = 0
            for piece in response.streaming_content:
                lines += piece.count(b"\r\n")
            return lines - 1

        return run

    def at_once() -> int:
        cases = list(case_list(user))
        body = csv_bytes(
            ["Kildesystem", "Sagsnummer", "Enhed"],
            ([c.source_system, c.external_id, c.unit.name] for c in cases),
        )
        return body.count(b"\r\n") - 1

    streamed(ranges[0][1])()  # warm up: imports, URL resolver, first connection
    print(f"{'udtræk':<12}{'rækker':>10}{'sekunder':>10}{'maks. MiB':>11}")
    peaks = []
    for label, query in ranges:
        rows, seconds, peak = measure(streamed(query))
        peaks.append(peak)
        print(f"{label:<12}{rows:>10,}{seconds:>10.2f}{peak:>11.1f}")
    rows, seconds, peak = measure(at_once)
    print(f"{'før (liste)':<12}{rows:>10,}{seconds:>10.2f}{peak:>11.1f}")
    logged = sum(
        len(ids)
        for ids in AccessLogEntry.objects.filter(pk__gt=log_start).values_list("object_ids", flat=True)
    )
    print(f"adgangsloggen fik {logged:,} sags-id'er for {1 + 2 * len(ranges)} udtræk")
    flat = peaks[-1] / max(peaks[0], 0.01)
    print(f"hukommelse, alle / en måned: {flat:.2f}×; før / nu: {peak / peaks[-1]:.1f}×")
    AccessLogEntry.objects.filter(pk__gt=log_start).delete()


if __name__ == "__main__":
    main()
