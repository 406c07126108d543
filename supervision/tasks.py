"""Celery tasks of supervision: they take ids and call a service; safe to run twice."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .services import RENDER_BULLETIN, render_job_run

TRANSIENT = (OperationalError, InterfaceError)


@shared_task(
    name=RENDER_BULLETIN,
    acks_late=True,
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    max_retries=3,
    time_limit=600,
    soft_time_limit=540,
)
def render_bulletin(job_id: int) -> str:
    """Render a bulletin's PDF (a draft for review, or the issued one)."""
    return render_job_run(job_id).status
