"""Telling people: the inbox (`Notification`), the other channels a person chooses
(`DeliverySettings`; e-mail and group-robot webhooks in `channels.py`), one `Delivery` row per
message out, the Celery tasks that send them, and `queueing.enqueue_on_commit`, the one way
any app hands work to Celery. It knows departments and users, nothing of tasks or supervision:
a notification links to its page by URL."""
