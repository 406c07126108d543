"""The inbox: who is told what. Notifications are rows written in the same
transaction as the change they report, so a rolled-back change tells nobody."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from departments.choices import Role

from ..models import Notification
from .delivery import deliveries_create


def _users(*, department_ids=(), roles=(Role.STAFF, Role.HEAD), office=False):
    query = Q(membership__department_id__in=list(department_ids), membership__role__in=list(roles))
    if office:
        query |= Q(membership__role=Role.OFFICE)
    return get_user_model().objects.filter(query, is_active=True).distinct()


def notifications_create(rows: list[Notification]) -> list[Notification]:
    """Put the notifications in the inbox and hand them to each recipient's other channels
    (e-mail, webhook), which send them once the transaction commits."""
    created = Notification.objects.bulk_create(rows)
    deliveries_create(created)
    return created


def notify(*, users, kind: str, title: str, body: str = "", task=None, exclude=None) -> int:
    url = task.get_absolute_url() if task else ""
    rows = [
        Notification(recipient=user, kind=kind, title=title[:200], body=body, url=url, task=task)
        for user in users
        if exclude is None or user.pk != exclude.pk
    ]
    return len(notifications_create(rows))


def notify_departments(*, department_ids, kind: str, title: str, body: str = "", task=None, roles=None, exclude=None):
    users = _users(department_ids=department_ids, roles=roles or (Role.STAFF, Role.HEAD))
    return notify(users=users, kind=kind, title=title, body=body, task=task, exclude=exclude)


def notify_office(*, kind: str, title: str, body: str = "", task=None, exclude=None):
    users = get_user_model().objects.filter(membership__role=Role.OFFICE, is_active=True)
    return notify(users=users, kind=kind, title=title, body=body, task=task, exclude=exclude)


def notifications_mark_read(*, user, ids=None) -> int:
    """Mark the user's notifications read: those in `ids`, or all of them."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
