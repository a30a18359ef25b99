"""The monthly digest: each user who has opted views in gets one e-mail a month with their key figures,
read through their own scope; a recorded row makes a second run for the same month send nothing."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from sagsindsigt.common.audit import audit_record
from sagsindsigt.common.danish import MONTHS
from sagsindsigt.common.models import AuditAction
from sagsindsigt.common.periods import Period
from sagsindsigt.insight.saved.models import DigestSent, SavedView
from sagsindsigt.insight.saved.periods import LAST_MONTH, digest_today
from sagsindsigt.insight.saved.selectors import KeyFigures, saved_view_resolve
from sagsindsigt.insight.saved.selectors import key_figures as read_key_figures
from sagsindsigt.organisation.access import SYSTEM, Perm, can

logger = logging.getLogger(__name__)


@dataclass
class DigestItem:
    """One view in a digest: its figures for the month (and for its own period), or why it has none."""

    name: str
    link: str
    month: KeyFigures | None = None
    own_period: KeyFigures | None = None
    problem: str | None = None

    @property
    def rows(self) -> list[tuple[str, str, str | None]]:
        """(label, the month's value, the view's own period's value or None), for the e-mail's table."""
        if self.month is None:
            return []
        own = [v for _, v in self.own_period.figures] if self.own_period else [None] * len(self.month.figures)
        return [(label, value, o) for (label, value), o in zip(self.month.figures, own, strict=True)]


@dataclass
class DigestRun:
    sent: int = 0
    already_sent: int = 0
    without_email: int = 0
    failed: list[str] = field(default_factory=list)


def month_words(month: date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


def digest_items(user: Any, month: date) -> list[DigestItem]:
    """The user's opted-in views for `month`, each resolved through their scope as it is now."""
    today = digest_today(month)
    the_month = Period.month(month.year, month.month)
    items = []
    for view in SavedView.objects.filter(owner_id=user.pk, digest=True).order_by("name", "pk"):
        link = settings.SAGSINDSIGT_BASE_URL + reverse("saved_view_open", kwargs={"pk": view.pk})
        resolved = saved_view_resolve(user, view, today)
        if resolved.problem is not None:
            items.append(DigestItem(view.name, link, problem=resolved.problem))
            continue
        item = DigestItem(view.name, link, month=read_key_figures(user, view, the_month))
        if view.period_kind != LAST_MONTH and resolved.period != the_month:
            item.own_period = read_key_figures(user, view, resolved.period)
        items.append(item)
    return items


def digest_message(user: Any, month: date) -> EmailMultiAlternatives:
    context = {
        "user": user,
        "month": month_words(month),
        "items": digest_items(user, month),
        "views_url": settings.SAGSINDSIGT_BASE_URL + reverse("saved_views"),
        "threshold": settings.SUPPRESSION_THRESHOLD,
    }
    message = EmailMultiAlternatives(
        subject=f"Sagsindsigt: dine visninger for {month_words(month)}",
        body=render_to_string("insight/saved/digest.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string("insight/saved/digest.html", context), "text/html")
    return message


def digest_send_to(*, user: Any, month: date) -> bool:
    """Send the user's digest of `month` unless it has been sent: the record is written in the same
    transaction as the sending, so a failed send leaves none (the next run tries again), and the unique
    constraint stops a second run in parallel. False when it had been sent already."""
    month = month.replace(day=1)
    try:
        with transaction.atomic():
            if DigestSent.objects.filter(user=user, month=month).exists():
                return False
            views = SavedView.objects.filter(owner_id=user.pk, digest=True).count()
            sent = DigestSent.objects.create(user=user, month=month, views=views)
            digest_message(user, month).send()
            audit_record(actor=SYSTEM, action=AuditAction.CREATE, instance=sent)
    except IntegrityError:
        return False  # a run in parallel recorded it first
    return True


def digest_send(*, month: date) -> DigestRun:
    """Every active user with opted-in views and an e-mail address gets the digest of `month` once."""
    if not settings.SAGSINDSIGT_BASE_URL:
        raise ImproperlyConfigured("Sæt SAGSINDSIGT_BASE_URL, så brevets links peger på Sagsindsigt.")
    run = DigestRun()
    users = (
        get_user_model()
        .objects.filter(is_active=True, saved_views__digest=True)
        .distinct()
        .order_by("pk")
        .select_related("scope_unit")
    )
    for user in users:
        if not can(user, Perm.VIEW_AGGREGATES):
            continue
        if not user.email:
            run.without_email += 1
            continue
        try:
            if digest_send_to(user=user, month=month):
                run.sent += 1
            else:
                run.already_sent += 1
        except Exception:
            # One user's failure (a refused address, a page that fails) must not stop the others'.
            logger.exception("Månedsbrevet for %s kunne ikke sendes til bruger %s.", month, user.pk)
            run.failed.append(user.get_username())
    return run
