"""Celery tasks of the outbox: they take ids or dates, call a service, and are safe to run
twice. Their names keep the `tasks.` prefix they had when they lived in tasks/: beat's
schedule rows in the database name them so."""

from datetime import date

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .services.delivery import DELIVER, deliveries_due, deliveries_send, digests_create

TRANSIENT = (OperationalError, InterfaceError)
RETRYING = {"acks_late": True, "autoretry_for": TRANSIENT, "retry_backoff": True, "max_retries": 5}


@shared_task(name=DELIVER, **RETRYING)
def deliver(ids: list[int]) -> int:
    """E-mail and webhook messages. A channel's own failure is recorded on its row and
    tried again later by `retry_deliveries`; only the database's failures retry here."""
    return deliveries_send(ids)


@shared_task(name="tasks.retry_deliveries", **RETRYING)
def retry_deliveries() -> int:
    """Every minute on beat: failed messages whose next attempt is due, and any whose
    queue message was lost."""
    return deliveries_send(deliveries_due())


@shared_task(name="tasks.send_digests", **RETRYING)
def send_digests(day: str | None = None) -> int:
    """The daily digest (beat: 17:30 Asia/Shanghai on working days)."""
    return len(digests_create(date.fromisoformat(day) if day else None))
