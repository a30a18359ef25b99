"""`python manage.py intake_stalled`: end loads whose process died (for cron; the worker and pages too)."""

from __future__ import annotations

from typing import Any

from sagsindsigt.common.commands import DanishCommand
from sagsindsigt.intake.tasks import loads_sweep


class Command(DanishCommand):
    help = "Afslut indlæsninger, der er holdt op med at svare, som fejlede, og slet deres filer."

    def handle(self, *args: Any, **options: Any) -> None:
        ended = loads_sweep()
        if ended:
            self.stdout.write(f"Afsluttet som fejlede: indlæsning {', '.join(map(str, ended))}.")
        else:
            self.stdout.write("Ingen indlæsninger er holdt op med at svare.")
