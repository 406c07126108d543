"""Reads of the inbox: a user sees only their own notifications."""

from .models import Notification


def notifications_for(*, user):
    return Notification.objects.filter(recipient=user)


def notifications(*, user):
    return notifications_for(user=user).select_related("task")[:200]


def unread_count(*, user) -> int:
    return notifications_for(user=user).filter(read_at__isnull=True).count()
