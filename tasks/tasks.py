"""Celery tasks: they take ids or dates, call a service, and are safe to run twice."""

from datetime import date

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .services.reminders import reminders_send, reminders_sweep

TRANSIENT = (OperationalError, InterfaceError)


@shared_task(name="tasks.sweep_reminders", acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def sweep_reminders(today: str | None = None) -> int:
    """The daily sweep (beat: 08:30 Asia/Shanghai on working days)."""
    new, _ = reminders_sweep(today=date.fromisoformat(today) if today else None)
    return len(new)


@shared_task(name="tasks.send_reminders", acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def send_reminders(ids: list[int]) -> int:
    return reminders_send(ids)
