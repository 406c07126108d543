"""Handing work to Celery once the transaction that made it commits.

The database holds what is owed; the queue only says "look now". So a broker that is
down must not fail the request that wrote the rows: the message is dropped with a
warning, and the rows wait for the next sweep or the minute check."""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

log = logging.getLogger(__name__)


def enqueue_on_commit(task, *args) -> None:
    def publish():
        try:
            task.apply_async(args, retry=True, retry_policy={"max_retries": 1, "interval_start": 0.2})
        except (BrokerError, OSError) as error:
            log.warning("broker unavailable, %s left for the next sweep: %s", task.name, error)

    transaction.on_commit(publish)
