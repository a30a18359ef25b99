"""`manage.py intake`: one pass and one transaction; a bad row anywhere means nothing is applied."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from sagsindsigt.cases.models import Case
from sagsindsigt.conftest import Mini
from sagsindsigt.intake.management.commands.intake import SHOWN
from sagsindsigt.intake.models import Load, LoadStatus, Source
from sagsindsigt.intake.tests.conftest import csv_lines, database_url

ROOT = Path(settings.BASE_DIR)


def test_command_imports_a_good_file(mini: Mini, kmd: Source, write: Any) -> None:
    rows = [f"C-{n};4711;HJ;0{1 + n % 9}-02-2024;;;;" for n in range(12_000)]
    out = StringIO()
    call_command("intake", str(write("god.csv", csv_lines(*rows))), source="KMD", stdout=out)
    assert "Indlæst" in out.getvalue()
    assert Case.objects.filter(source_system="KMD").count() == 12_000


def test_command_applies_nothing_when_a_late_row_is_bad(mini: Mini, kmd: Source, write: Any) -> None:
    # given: 12,000 good rows (more than two batches) and two bad ones near the end
    rows = [f"C-{n};4711;HJ;0{1 + n % 9}-02-2024;;;;" for n in range(12_000)]
    rows[11_000] = "C-11000;4711;HJ;31-02-2024;;;;"
    rows[11_500] = "C-11500;9999;HJ;01-02-2024;;;;"
    out = StringIO()
    # when
    with pytest.raises(CommandError, match="2 rækker har fejl"):
        call_command("intake", str(write("halv.csv", csv_lines(*rows))), source="KMD", stdout=out)
    # then: both problems reported with row and column, nothing applied
    text = out.getvalue()
    assert "Række 11002, kolonne «Modtaget dato»" in text
    assert "Række 11502, kolonne «Enhedskode»: ukendt enhedskode «9999»" in text
    assert Case.objects.filter(source_system="KMD").count() == 0
    assert Load.objects.get(source=kmd).status == LoadStatus.INVALID


def test_check_only_changes_nothing(mini: Mini, kmd: Source, write: Any) -> None:
    out = StringIO()
    call_command(
        "intake",
        str(write("k.csv", csv_lines("C-1;4711;HJ;01-02-2024;;;;"))),
        source="KMD",
        check_only=True,
        stdout=out,
    )
    assert "Klar til indlæsning" in out.getvalue()
    assert Case.objects.filter(source_system="KMD").count() == 0


def _manage(*args: str) -> subprocess.CompletedProcess[str]:
    """The command as a user runs it, against the test database."""
    env = {**os.environ, "DATABASE_URL": database_url(), "SAGSINDSIGT_DEV": "1"}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_shell_sees_danish_errors_without_an_english_prefix(mini: Mini, kmd: Source, write: Any) -> None:
    # a file that does not exist
    missing = _manage("intake", "findes-ikke.csv", "--source", "KMD")
    assert missing.returncode == 1
    assert missing.stderr.strip() == "Filen findes ikke: findes-ikke.csv"
    # a file with bad rows: the report on stdout, the verdict on stderr, in Danish only
    rows = ["C-1;4711;HJ;31-02-2024;;;;", "C-2;9999;HJ;01-02-2024;;;;", "C-3;4711;HJ;01-02-2024;;;;"]
    bad = _manage("intake", str(write("fejl.csv", csv_lines(*rows))), "--source", "KMD")
    assert bad.returncode == 1
    assert "CommandError" not in bad.stderr
    assert bad.stderr.strip().endswith("2 rækker har fejl; ret filen og indlæs den igen. Intet er ændret.")
    assert "Række 3, kolonne «Enhedskode»: ukendt enhedskode «9999»" in bad.stdout


def test_the_command_says_how_many_messages_it_left_out(mini: Mini, kmd: Source, write: Any) -> None:
    rows = [f"C-{n};9999;HJ;01-02-2024;;;;" for n in range(SHOWN + 7)]
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("intake", str(write("mange.csv", csv_lines(*rows))), source="KMD", stdout=out)
    text = out.getvalue()
    assert text.count("ukendt enhedskode") == SHOWN
    load = Load.objects.get(source=kmd)
    assert f"… og 7 beskeder mere; se dem alle under indlæsning {load.pk}" in text
