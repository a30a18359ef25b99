"""In real Chromium: committing a load and rolling it back ask in a dialog first."""

from __future__ import annotations

from typing import Any

import pytest

from sagsindsigt.cases.models import Case
from sagsindsigt.common.tests.browser import log_in
from sagsindsigt.conftest import Mini
from sagsindsigt.intake.models import Load, LoadStatus, Source
from sagsindsigt.intake.tests.conftest import csv_lines, prepare

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROWS = ("K-1;4711;HJ;29-03-2024;15.04.2024;;;", "K-2;4712;BO;02-01-2024;2024-01-20;;;")


def _status(load: Load) -> str:
    load.refresh_from_db()
    return load.status


def _ask_and_cancel(page: Any, button: str, question: str, says: str) -> None:
    """Press the button: a dialog asks `question` and says what will happen; "Fortryd" closes it."""
    page.get_by_role("button", name=button, exact=True).click()
    dialog = page.get_by_role("dialog", name=question)
    dialog.wait_for(state="visible")
    assert says in dialog.inner_text()
    dialog.get_by_role("button", name="Fortryd").click()
    dialog.wait_for(state="hidden")


def test_commit_and_rollback_ask_in_a_dialog(
    mini: Mini, kmd: Source, live_server: Any, page: Any, write: Any
) -> None:
    # given a validated load and its administrator
    mini.analyst.set_password("analytiker-kodeord")
    mini.analyst.save(update_fields=["password"])
    load = prepare(kmd, write("kmd.csv", csv_lines(*ROWS)))
    assert load.status == LoadStatus.VALIDATED
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    log_in(page, live_server.url, "analytiker", "analytiker-kodeord")
    page.goto(f"{live_server.url}/indlaesning/{load.pk}/")

    # when "Indlæs" is pressed and the dialog cancelled, nothing is loaded
    _ask_and_cancel(page, "Indlæs", "Indlæs kmd.csv?", "2 nye poster og 0 ændrede poster")
    assert _status(load) == LoadStatus.VALIDATED
    assert not Case.objects.filter(source_system="KMD").exists()
    # then confirming loads it
    page.get_by_role("button", name="Indlæs", exact=True).click()
    page.get_by_role("dialog").get_by_role("button", name="Ja, indlæs filen").click()
    page.get_by_role("button", name="Rul indlæsningen tilbage").wait_for()
    assert _status(load) == LoadStatus.COMMITTED
    assert Case.objects.filter(source_system="KMD").count() == 2

    # when the rollback is asked for and cancelled, nothing is rolled back
    question = f"Rul indlæsning {load.pk} tilbage?"
    _ask_and_cancel(page, "Rul indlæsningen tilbage", question, "2 nye poster slettes")
    assert _status(load) == LoadStatus.COMMITTED
    # then confirming rolls it back
    page.get_by_role("button", name="Rul indlæsningen tilbage").click()
    page.get_by_role("dialog").get_by_role("button", name="Ja, rul indlæsningen tilbage").click()
    page.get_by_text("Indlæsningen er rullet tilbage.").wait_for()
    assert _status(load) == LoadStatus.ROLLED_BACK
    assert not Case.objects.filter(source_system="KMD").exists()
    assert problems == []
