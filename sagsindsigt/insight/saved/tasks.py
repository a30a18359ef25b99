"""The monthly digest in the task worker (`manage.py digest --enqueue`, or a cron job calling it)."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from sagsindsigt.insight.saved.digest import digest_send


@task()
def digest_task(month: str) -> dict[str, int]:
    """`month` as åååå-mm-01 (a task's arguments are JSON)."""
    run = digest_send(month=date.fromisoformat(month))
    return {"sent": run.sent, "already_sent": run.already_sent, "failed": len(run.failed)}
