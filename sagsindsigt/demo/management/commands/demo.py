"""`manage.py demo`: fill an empty development database with the deterministic demo municipality."""

from __future__ import annotations

import time
from argparse import ArgumentParser, ArgumentTypeError
from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import timezone

from sagsindsigt.common.commands import DanishCommand
from sagsindsigt.common.danish import number, plural
from sagsindsigt.demo.generator import DEMO_PASSWORD, DEMO_USERS, DemoError, generate
from sagsindsigt.organisation.models import Administration


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"{value!r} er ikke en dato på formen ÅÅÅÅ-MM-DD.") from None


def _scale(value: str) -> float:
    try:
        scale = float(value)
    except ValueError:
        raise ArgumentTypeError(f"{value!r} er ikke et tal.") from None
    if not 0 < scale <= 20:
        raise ArgumentTypeError("Skalaen skal være større end 0 og højst 20.")
    return scale


class Command(DanishCommand):
    help = (
        "Opretter en demokommune med forvaltninger, enheder, sagstyper, tre års sager, klager, "
        "ankesager og demobrugere. Samme frø, skala og slutdato giver de samme data."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--scale", type=_scale, default=1.0, help="Ganger mængderne (1,0 ≈ 300.000 sager). Standard: 1.0."
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Frø til tilfældighederne. Standard: 2026."
        )
        parser.add_argument(
            "--end-date",
            type=_iso_date,
            default=None,
            help="Sidste dag i de tre år (ÅÅÅÅ-MM-DD). Standard: i dag.",
        )
        parser.add_argument(
            "--force", action="store_true", help="Kør også uden for udviklingstilstand (SAGSINDSIGT_DEV=1)."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Gør intet, hvis databasen allerede har data (bruges af make run).",
        )
        parser.add_argument("--print-logins", action="store_true", help="Vis demobrugernes log-ins og stop.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["print_logins"]:
            self._print_logins()
            return
        if not settings.DEVELOPMENT and not options["force"]:
            raise CommandError(
                "Demodata oprettes kun i udviklingstilstand (SAGSINDSIGT_DEV=1). "
                "Brug --force, hvis du er sikker."
            )
        if options["if_empty"] and Administration.objects.exists():
            self.stdout.write("Databasen har allerede data; demokommunen indlæses ikke igen.")
            return
        end_date: date = options["end_date"] or timezone.localdate()
        started = time.perf_counter()
        try:
            summary = generate(
                end_date=end_date, scale=options["scale"], seed=options["seed"], progress=self._progress
            )
        except DemoError as error:
            raise CommandError(str(error)) from error
        seconds = number(time.perf_counter() - started, 1)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demokommunen er oprettet på {seconds} s: "
                f"{plural(summary.administrations, 'forvaltning', 'forvaltninger')}, "
                f"{plural(summary.units, 'enhed', 'enheder')}, "
                f"{plural(summary.case_types, 'sagstype', 'sagstyper')}, "
                f"{plural(summary.cases, 'sag', 'sager')}, {number(summary.volume_counts)} månedstal, "
                f"{plural(summary.complaints, 'klage', 'klager')} med "
                f"{plural(summary.complaint_points, 'klagepunkt', 'klagepunkter')}, "
                f"{plural(summary.appeals, 'ankesag', 'ankesager')} og "
                f"{plural(summary.users, 'demobruger', 'demobrugere')}. "
                "Alt er indlæst gennem indlæsningen fra filer i var/demo/ og API'et."
            )
        )
        self.stdout.write("Se log-ins med: python manage.py demo --print-logins")

    def _progress(self, administration: str, fraction: float) -> None:
        # One line per administration, rewritten in place; a newline when it is done.
        ending = "\n" if fraction >= 1 else ""
        self.stderr.write(f"\r{administration}: {round(fraction * 100):3d} %", ending=ending)
        self.stderr.flush()

    def _print_logins(self) -> None:
        rows = [("Brugernavn", "Rolle", "Adgangsområde", "Adgangskode")]
        rows += [(username, str(role), scope, DEMO_PASSWORD) for username, role, scope in DEMO_USERS]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for n, row in enumerate(rows):
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
            if n == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
