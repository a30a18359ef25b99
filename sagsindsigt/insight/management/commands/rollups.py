"""`python manage.py rollups [--month 2024-03 ...] [--pending]`: recount the dashboards' rollups."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from django.core.management.base import CommandError, CommandParser

from sagsindsigt.common.commands import DanishCommand
from sagsindsigt.common.danish import number, plural
from sagsindsigt.insight.rollups.refresh import rollup_refresh, rollups_catch_up


def _month(text: str) -> date:
    try:
        year, month = text.split("-")
        return date(int(year), int(month), 1)
    except ValueError as error:
        raise CommandError(f"Måneden skal skrives åååå-mm, ikke «{text}».") from error


class Command(DanishCommand):
    help = (
        "Genberegn nøgletallenes månedstal fra de rå tabeller: alle måneder, eller dem der nævnes. "
        "Ændringer opdaterer selv de måneder, de rører (små med det samme, store i baggrunden); "
        "kommandoen bruges efter en opgradering eller rettelser direkte i databasen. Med --pending "
        "indhentes kun det, ændringerne har markeret som forældet, og som baggrundsjobbet ellers ville tage."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", action="append", default=[], help="En måned (åååå-mm); kan gentages.")
        parser.add_argument(
            "--pending",
            action="store_true",
            help="Indhent kun de forældede måneder, ændringerne har markeret.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["pending"]:
            marks = rollups_catch_up()
            seconds = number(time.perf_counter() - started, 1)
            self.stdout.write(f"{plural(marks, 'markering', 'markeringer')} indhentet på {seconds} s.")
            return
        months = [_month(m) for m in options["month"]] or None
        refreshed = rollup_refresh(months=months)
        seconds = number(time.perf_counter() - started, 1)
        self.stdout.write(f"{plural(refreshed, 'måned', 'måneder')} genberegnet på {seconds} s.")
