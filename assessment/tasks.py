"""Celery tasks of the assessment: they take ids and call a service; safe to run twice."""

import logging
from datetime import date

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError

from .models import Scheme
from .services import CLOSE_PERIOD, KEEP_RANKINGS, period_close, rankings_keep

logger = logging.getLogger(__name__)
TRANSIENT = (OperationalError, InterfaceError)
# Both jobs read a whole year's tasks: closing 100 000 writes some 400 000 lines (minutes),
# keeping a million tasks' ranking takes seconds a scheme. Retried only on transient errors.
LONG_JOB = {
    "acks_late": True,
    "autoretry_for": TRANSIENT,
    "retry_backoff": True,
    "max_retries": 3,
    "time_limit": 1800,
    "soft_time_limit": 1700,
}


@shared_task(name=CLOSE_PERIOD, **LONG_JOB)
def close_period(scheme_id: int, user_id: int, as_of: str | None = None) -> str:
    """关账 in a worker. A second delivery finds the period closed and does nothing."""
    scheme = Scheme.objects.get(pk=scheme_id)
    user = get_user_model().objects.get(pk=user_id)
    try:
        period_close(scheme=scheme, by=user, as_of=date.fromisoformat(as_of) if as_of else None)
    except ValidationError as error:
        logger.info("scheme %s not closed: %s", scheme_id, error.messages)
        return "unchanged"
    return "closed"


@shared_task(name=KEEP_RANKINGS, **LONG_JOB)
def keep_rankings() -> int:
    """Keep the rankings of the schemes still scored (services.rankings_keep)."""
    return len(rankings_keep())
