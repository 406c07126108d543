"""Inbox messages from supervision, linking to the supervision page they are about
(notify_departments would link to the task, which the department may not see)."""

from django.contrib.auth import get_user_model

from departments.choices import Role
from departments.permissions import DEPARTMENT_ROLES
from notifications.models import Notification
from notifications.services import notifications_create


def tell(
    *,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    department_ids=(),
    office: bool = False,
    channels: bool = False,
) -> int:
    """Tell the departments' staff and heads (and the office): in the inbox, and with
    `channels` also by each one's e-mail or webhook as the notification service sends,
    for what a unit must receive, such as an issued bulletin."""
    users = get_user_model().objects.none()
    if department_ids:
        users = get_user_model().objects.filter(
            membership__department_id__in=list(department_ids), membership__role__in=DEPARTMENT_ROLES, is_active=True
        )
    if office:
        users = users | get_user_model().objects.filter(membership__role=Role.OFFICE, is_active=True)
    rows = [Notification(recipient=user, kind=kind, title=title[:200], body=body, url=url) for user in users.distinct()]
    if channels:
        return len(notifications_create(rows))
    Notification.objects.bulk_create(rows)
    return len(rows)
