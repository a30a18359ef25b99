"""`python manage.py digest [--month 2026-11] [--enqueue]`: send the monthly digest of saved views."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from sagsindsigt.insight.management.commands.rollups import _month
from sagsindsigt.insight.saved.digest import digest_send, month_words
from sagsindsigt.insight.saved.periods import last_whole_months
from sagsindsigt.insight.saved.tasks import digest_task


class Command(BaseCommand):
    help = (
        "Send månedsbrevet med nøgletallene for brugernes gemte visninger (dem, de har valgt til). "
        "Hver bruger får ét brev pr. måned: kører kommandoen igen for samme måned, sendes intet nyt. "
        "Uden --month: seneste hele måned. Egnet til cron, fx den 2. i måneden."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="Måneden brevet gælder (åååå-mm); standard: seneste hele måned.")
        parser.add_argument(
            "--enqueue", action="store_true", help="Læg udsendelsen i baggrundskøen (db_worker) i stedet."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        month = (
            _month(options["month"]) if options["month"] else last_whole_months(timezone.localdate(), 1).start
        )
        if month >= timezone.localdate().replace(day=1):
            raise CommandError(f"{month_words(month).capitalize()} er ikke slut endnu; vælg en hel måned.")
        if options["enqueue"]:
            digest_task.enqueue(month.isoformat())
            self.stdout.write(f"Månedsbrevet for {month_words(month)} er lagt i baggrundskøen.")
            return
        run = digest_send(month=month)
        self.stdout.write(
            f"Månedsbrevet for {month_words(month)}: {run.sent} sendt, {run.already_sent} var sendt i "
            f"forvejen, {run.without_email} brugere uden e-mailadresse."
        )
        if run.failed:
            raise CommandError(f"Kunne ikke sendes til: {', '.join(run.failed)} (se loggen).")
