"""Celery tasks of the registry: safe to run twice."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .throttle import failures_prune


@shared_task(
    name="departments.prune_sign_in_failures",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def prune_sign_in_failures() -> int:
    """Nightly (beat: 03:15 Asia/Shanghai): failed sign-ins older than 30 days go; the lock
    looks back minutes, so they only filled the table."""
    return failures_prune()
