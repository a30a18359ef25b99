"""The monthly digest: one e-mail per user and month, figures read through the user's scope as the pages
read them, links back to the views. E-mail goes to Django's locmem backend (pytest-django's mailoutbox)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from sagsindsigt.common.periods import Period
from sagsindsigt.conftest import Mini
from sagsindsigt.insight.dashboards import pages
from sagsindsigt.insight.models import DigestSent
from sagsindsigt.insight.saved.digest import digest_send
from sagsindsigt.insight.saved.periods import LAST_12_MONTHS, LAST_MONTH
from sagsindsigt.insight.saved.services import SavedViewData, saved_view_create
from sagsindsigt.insight.saved.tasks import digest_task
from sagsindsigt.organisation.models import User

pytestmark = pytest.mark.django_db

APRIL = date(2024, 4, 1)


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message (a stand-in for SMTP, not for our database)."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("Postserveren svarer ikke.")


def _opt_in(user: User, **changes: Any) -> None:
    user.email = f"{user.username}@kommune.example"
    user.save(update_fields=["email"])
    data = {
        "name": "Overblik",
        "page": "overview",
        "object_id": None,
        "period_kind": LAST_MONTH,
        "metric": "reversal_rate",
        "digest": True,
        **changes,
    }
    saved_view_create(actor=user, data=SavedViewData(**data))


def test_one_digest_per_user_and_month_however_often_it_runs(mini: Mini, mailoutbox: list[Any]) -> None:
    # given two users with views in the digest, one view left out
    _opt_in(mini.sof_leader)
    _opt_in(mini.analyst)
    saved_view_create(
        actor=mini.analyst,
        data=SavedViewData(name="Ikke med", page="overview", object_id=None, period_kind=LAST_MONTH),
    )
    # when it runs twice for April, and once for May
    first = digest_send(month=APRIL)
    second = digest_send(month=APRIL)
    digest_send(month=date(2024, 5, 1))
    # then
    assert (first.sent, second.sent, second.already_sent) == (2, 0, 2)
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [f"{u}@kommune.example" for u in ("leder.sof", "analytiker")] * 2
    )
    assert DigestSent.objects.filter(month=APRIL).count() == 2
    analyst_mail = next(m for m in mailoutbox if m.to == ["analytiker@kommune.example"])
    assert "Ikke med" not in analyst_mail.body


def test_the_command_sends_once_and_refuses_a_month_not_over(mini: Mini, mailoutbox: list[Any]) -> None:
    # given
    _opt_in(mini.sof_leader)
    # when
    call_command("digest", month="2024-04")
    call_command("digest", month="2024-04")
    # then
    assert len(mailoutbox) == 1
    with pytest.raises(CommandError, match="ikke slut"):
        call_command("digest", month="2099-01")
    with pytest.raises(CommandError, match="åååå-mm"):
        call_command("digest", month="april")


def test_the_task_sends_the_digest(mini: Mini, mailoutbox: list[Any]) -> None:
    # given
    _opt_in(mini.sof_leader)
    # when
    result = digest_task.call(APRIL.isoformat())
    # then
    assert result == {"sent": 1, "already_sent": 0, "failed": 0}
    assert len(mailoutbox) == 1


def test_a_refused_send_records_nothing_so_the_next_run_sends_it(mini: Mini, settings: Any) -> None:
    # given
    _opt_in(mini.sof_leader)
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    # when
    run = digest_send(month=APRIL)
    # then
    assert run.failed == ["leder.sof"] and not DigestSent.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    assert digest_send(month=APRIL).sent == 1
    assert len(mail.outbox) == 1


def test_the_digest_shows_the_pages_figures_within_the_users_scope(
    mini: Mini, mailoutbox: list[Any], settings: Any
) -> None:
    # given a SOF leader's overview view, and the overview the leader sees for April 2024
    settings.SAGSINDSIGT_BASE_URL = "https://sagsindsigt.kommune.example"
    _opt_in(mini.sof_leader)
    _rows, total = pages.overview_page(mini.sof_leader, Period.month(2024, 4)).shown
    # when
    digest_send(month=APRIL)
    # then: plain text and HTML, Danish, the page's own suppressed figures, a link to the view
    message = mailoutbox[0]
    html = message.alternatives[0][0]
    assert message.subject == "Sagsindsigt: dine visninger for april 2024"
    for text in (message.body, html):
        assert str(total.counts["decided"]) in text.replace("&lt;", "<")
        assert "Afgjorte sager" in text
    assert f"Afgjorte sager: {total.counts['decided']}" in message.body
    assert str(total.counts["decided"]) == "<5"  # April's SOF figures are small: suppressed as on the page
    view = mini.sof_leader.saved_views.get()
    link = f"{settings.SAGSINDSIGT_BASE_URL}{reverse('saved_view_open', args=[view.pk])}"
    assert link in message.body and f'href="{link}"' in html
    # and in January, when BIF received many cases, the leader's digest has SOF's figures, not BIF's
    january = Period.month(2024, 1)
    own = pages.overview_page(mini.sof_leader, january).shown[1].counts["received"]
    everyone = pages.overview_page(mini.analyst, january).shown[1].counts["received"]
    assert str(own) != str(everyone)
    digest_send(month=january.start)
    assert f"Modtagne sager: {own}" in mailoutbox[1].body
    assert f"Modtagne sager: {everyone}" not in mailoutbox[1].body


def test_a_view_outside_the_scope_gets_a_plain_note_and_no_figures(mini: Mini, mailoutbox: list[Any]) -> None:
    # given a unit leader's view of their unit, then their scope moves to BUF
    leader = mini.caseworker
    _opt_in(leader, name="Min enhed", page="unit", object_id=mini.sof_a.pk, metric="")
    leader.scope_unit = mini.buf_unit
    leader.save(update_fields=["scope_unit"])
    # when
    digest_send(month=APRIL)
    # then
    body = mailoutbox[0].body
    assert "ligger ikke længere i dit adgangsområde" in body
    assert "Modtagne sager" not in body and mini.sof_a.name not in body


def test_a_relative_view_also_shows_its_own_period(mini: Mini, mailoutbox: list[Any]) -> None:
    # given a view of the last 12 whole months
    _opt_in(mini.analyst, period_kind=LAST_12_MONTHS)
    # when
    digest_send(month=date(2024, 12, 1))
    # then: December 2024 and the twelve months up to it
    assert "Visningens periode (01-01-2024 – 31-12-2024)" in mailoutbox[0].body


def test_users_without_an_address_are_counted_not_sent(mini: Mini, mailoutbox: list[Any]) -> None:
    # given
    _opt_in(mini.sof_leader)
    User.objects.filter(pk=mini.sof_leader.pk).update(email="")
    # when
    run = digest_send(month=APRIL)
    # then
    assert (run.sent, run.without_email, len(mailoutbox)) == (0, 1, 0)
    assert not DigestSent.objects.exists()


def test_the_command_can_hand_the_digest_to_the_task_worker(mini: Mini, mailoutbox: list[Any]) -> None:
    # given
    _opt_in(mini.sof_leader)
    # when
    call_command("digest", month="2024-04", enqueue=True)
    # then: queued with its month, nothing sent yet
    queued = DBTaskResult.objects.get(task_path__endswith="digest_task")
    assert queued.args_kwargs["args"] == ["2024-04-01"]
    assert mailoutbox == []
