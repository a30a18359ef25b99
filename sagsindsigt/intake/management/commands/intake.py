"""`python manage.py intake FILE --source NAME`: the same intake as the web page, from the shell."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from sagsindsigt.common.commands import DanishCommand
from sagsindsigt.common.danish import number, plural
from sagsindsigt.intake.models import LoadStatus, Source
from sagsindsigt.intake.services import load_import, load_prepare
from sagsindsigt.organisation.access import SYSTEM

SHOWN = 50  # messages printed; the page and its CSV have them all


class Command(DanishCommand):
    help = "Kontrollér og indlæs en fil fra et kildesystem (alt eller intet)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", required=True, help="Kildesystemets navn.")
        parser.add_argument("--check-only", action="store_true", help="Kontrollér kun; indlæs ikke.")

    def _progress(self, phase: str, done: int, total: int | None) -> None:
        label = "Indlæser" if phase == "commit" else "Kontrollerer"
        if total:
            width = 30
            filled = int(width * min(done, total) / total)
            bar = "#" * filled + "-" * (width - filled)
            sys.stderr.write(f"\r{label} [{bar}] {number(done)}/{plural(total, 'række', 'rækker')}")
        else:
            sys.stderr.write(f"\r{label}: {plural(done, 'række', 'rækker')}")
        sys.stderr.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Filen findes ikke: {path}")
        source = Source.objects.filter(name=options["source"]).first()
        if source is None:
            raise CommandError(f"Ukendt kildesystem: {options['source']}")
        check_only = options["check_only"]
        if check_only:
            load = load_prepare(
                actor=SYSTEM, source=source, path=path, file_name=path.name, on_progress=self._progress
            )
        else:
            # One pass, one transaction: every row is checked, and any bad row means nothing is applied.
            load = load_import(
                actor=SYSTEM,
                source=source,
                path=path,
                file_name=path.name,
                expected_rows=_estimate_rows(path),
                on_progress=self._progress,
            )
        sys.stderr.write("\n")
        counts = load.counts
        self.stdout.write(
            f"Indlæsning {load.pk}: {load.get_status_display()}. Nye {number(counts.get('new', 0))}, "
            f"ændrede {number(counts.get('changed', 0))}, uændrede {number(counts.get('unchanged', 0))}, "
            f"med fejl {number(counts.get('invalid', 0))}."
        )
        issues = load.issues.order_by("severity", "row", "pk")
        for issue in issues[:SHOWN]:
            where = f"Række {issue.row}" if issue.row else "Filen"
            column = f", kolonne «{issue.column}»" if issue.column else ""
            self.stdout.write(f"  {issue.get_severity_display()}: {where}{column}: {issue.message}")
        rest = issues.count() - SHOWN
        if rest > 0:
            self.stdout.write(
                f"  … og {rest} beskeder mere; se dem alle under indlæsning {load.pk} på siden Indlæsning."
            )
        if load.status != (LoadStatus.VALIDATED if check_only else LoadStatus.COMMITTED):
            raise CommandError(load.message or "Filen kan ikke indlæses. Intet er ændret.")
        if not check_only:
            self.stdout.write(
                self.style.SUCCESS(f"Indlæst: {plural(counts.get('rows', 0), 'række', 'rækker')}.")
            )


def _estimate_rows(path: Path) -> int | None:
    """Lines in a text file, for the progress bar (quoted line breaks make it an estimate)."""
    if path.suffix.lower() not in {".csv", ".txt"}:
        return None
    lines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
    return max(lines - 1, 0)
