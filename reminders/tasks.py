"""Celery tasks of the reminder sweep: they take ids or dates, call a service, and are safe
to run twice. Their names keep the `tasks.` prefix: beat's schedule rows name them so."""

from datetime import date

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .services import SEND_REMINDERS, reminders_send, reminders_sweep

TRANSIENT = (OperationalError, InterfaceError)
RETRYING = {"acks_late": True, "autoretry_for": TRANSIENT, "retry_backoff": True, "max_retries": 5}


@shared_task(name="tasks.sweep_reminders", **RETRYING)
def sweep_reminders(today: str | None = None) -> int:
    """The daily sweep (beat: 08:30 Asia/Shanghai on working days)."""
    new, _ = reminders_sweep(today=date.fromisoformat(today) if today else None)
    return len(new)


@shared_task(name=SEND_REMINDERS, **RETRYING)
def send_reminders(ids: list[int]) -> int:
    return reminders_send(ids)
