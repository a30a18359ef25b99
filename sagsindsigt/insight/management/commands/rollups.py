"""`python manage.py rollups [--month 2024-03 ...]`: recount the dashboards' rollups from the raw tables."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sagsindsigt.insight.rollups.refresh import rollup_refresh


def _month(text: str) -> date:
    try:
        year, month = text.split("-")
        return date(int(year), int(month), 1)
    except ValueError as error:
        raise CommandError(f"Måneden skal skrives åååå-mm, ikke «{text}».") from error


class Command(BaseCommand):
    help = (
        "Genberegn nøgletallenes månedstal fra de rå tabeller: alle måneder, eller dem der nævnes. "
        "Indlæsninger gør det selv for de måneder, de rører; kommandoen bruges efter en opgradering "
        "eller rettelser direkte i databasen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", action="append", default=[], help="En måned (åååå-mm); kan gentages.")

    def handle(self, *args: Any, **options: Any) -> None:
        months = [_month(m) for m in options["month"]] or None
        started = time.perf_counter()
        refreshed = rollup_refresh(months=months)
        self.stdout.write(f"{refreshed} måneder genberegnet på {time.perf_counter() - started:.1f} s.")
