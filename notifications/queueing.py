"""Handing work to Celery once the transaction that made it commits.

The database holds what is owed; the queue only says "look now". So a broker that is
down must not fail the request that wrote the rows: the message is dropped with a
warning, and the rows wait for the next sweep or the minute check. This is the one way any
app queues Celery work; a caller whose rows no sweep revisits says what a failure means
(`on_broker_error`)."""

import logging
from collections.abc import Callable

from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError

log = logging.getLogger(__name__)


def enqueue_on_commit(task_name: str, *args, on_broker_error: Callable[[Exception], None] | None = None) -> None:
    """Queue the Celery task registered as `task_name` once the transaction commits. The
    task is named, not imported: an app's tasks module imports the services that queue it,
    and the services importing it back would close a cycle."""

    def publish():
        try:
            current_app.tasks[task_name].apply_async(
                args, retry=True, retry_policy={"max_retries": 1, "interval_start": 0.2}
            )
        except (BrokerError, OSError) as error:
            if on_broker_error is None:
                log.warning("broker unavailable, %s left for the next sweep: %s", task_name, error)
            else:
                log.exception("broker unavailable for %s", task_name)
                on_broker_error(error)

    transaction.on_commit(publish)
