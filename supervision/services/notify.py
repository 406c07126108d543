"""Inbox messages from supervision, linking to the supervision page they are about
(notify_departments would link to the task, which the department may not see)."""

from django.contrib.auth import get_user_model

from departments.choices import Role
from tasks.models import Notification

from ..rules import DEPARTMENT_ROLES


def tell(*, kind: str, title: str, body: str = "", url: str = "", department_ids=(), office: bool = False) -> int:
    users = get_user_model().objects.none()
    if department_ids:
        users = get_user_model().objects.filter(
            membership__department_id__in=list(department_ids), membership__role__in=DEPARTMENT_ROLES, is_active=True
        )
    if office:
        users = users | get_user_model().objects.filter(membership__role=Role.OFFICE, is_active=True)
    rows = [Notification(recipient=user, kind=kind, title=title[:200], body=body, url=url) for user in users.distinct()]
    Notification.objects.bulk_create(rows)
    return len(rows)
