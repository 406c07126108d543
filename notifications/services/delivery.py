"""Messages out of the portal: e-mail and group-robot webhooks, one `Delivery` row each.

A delivery is created in the same transaction as its notification and queued after
commit. The row decides: a worker locks it, sends, and marks it sent; a failure is
recorded and tried again with backoff until it gives up; a queue message lost on the way
(Redis flushed, a worker killed) is found again by `deliveries_due`. E-mail and webhooks
are at-least-once: a worker killed after the send and before the commit sends again, and
every message carries its delivery key so a receiver can drop the repeat."""

import logging
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from ..channels import ChannelError, Item, Message, absolute, send_email, send_webhook
from ..choices import DIGEST_KINDS, Channel, DeliveryStatus
from ..models import Delivery, DeliverySettings, Notification
from ..queueing import enqueue_on_commit

log = logging.getLogger(__name__)

# The Celery task (notifications/tasks.py) that sends e-mail and webhook messages.
DELIVER = "tasks.deliver"
# How long a queued delivery may wait before the minute check queues it again.
REQUEUE_AFTER = timedelta(minutes=2)
# A digest reaches back at most this far (the first one, or after a long pause).
DIGEST_REACH = timedelta(days=6)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the n-th failure, at most an hour."""
    return timedelta(minutes=min(2 ** (attempts - 1), 60))


def deliveries_create(notifications: list[Notification]) -> list[int]:
    """The deliveries a batch of new notifications calls for, by each recipient's choice;
    queued once the surrounding transaction commits."""
    wanted = {
        s.user_id: s
        for s in DeliverySettings.objects.filter(user_id__in={n.recipient_id for n in notifications})
        if s.channels()
    }
    rows = [
        Delivery(recipient_id=n.recipient_id, channel=channel, notification=n)
        for n in notifications
        if n.recipient_id in wanted and not (wanted[n.recipient_id].digest and n.kind in DIGEST_KINDS)
        for channel in wanted[n.recipient_id].channels()
    ]
    ids = [row.pk for row in Delivery.objects.bulk_create(rows)]
    deliveries_queue(ids)
    return ids


def deliveries_queue(ids: list[int]) -> None:
    if ids:
        enqueue_on_commit(DELIVER, ids)


def deliveries_due(now: datetime | None = None) -> list[int]:
    """Pending deliveries whose time has come and that nobody has sent: failures waiting
    for their next attempt, and any whose queue message was lost."""
    now = now or timezone.now()
    waiting = Q(attempts__gt=0, next_attempt_at__lte=now) | Q(next_attempt_at__lte=now - REQUEUE_AFTER)
    return list(Delivery.objects.filter(waiting, status=DeliveryStatus.PENDING).values_list("pk", flat=True))


def deliveries_send(ids: list[int]) -> int:
    """Send each delivery that is still pending and due; each in its own transaction, so
    one that fails or hangs does not hold back the others. Returns how many were sent."""
    return sum(delivery_send(pk) for pk in ids)


def delivery_send(pk: int) -> bool:
    with transaction.atomic():
        pending = Delivery.objects.filter(
            pk=pk, status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now()
        ).select_related("recipient", "notification")
        if connection.features.has_select_for_update_skip_locked:
            pending = pending.select_for_update(skip_locked=True, of=("self",))
        delivery = pending.first()
        if delivery is None:
            return False  # sent already, given up, not yet due, or another worker's
        preference = DeliverySettings.objects.filter(user_id=delivery.recipient_id).first()
        delivery.attempts += 1
        if preference is None or delivery.channel not in preference.channels():
            # The person has since turned the channel off: not an error to retry.
            delivery.status, delivery.last_error = DeliveryStatus.FAILED, "接收人已关闭此渠道。"
            delivery.save(update_fields=["attempts", "status", "last_error"])
            return False
        try:
            message = delivery_message(delivery)
            if delivery.channel == Channel.EMAIL:
                send_email(message, delivery.recipient.email)
            else:
                send_webhook(message, preference.webhook_url, preference.webhook_secret)
        except ChannelError as error:
            delivery.last_error = str(error)[:500]
            if delivery.attempts >= settings.PORTAL["DELIVERY_ATTEMPTS"]:
                delivery.status = DeliveryStatus.FAILED
            else:
                delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
            log.warning("delivery %s (%s) failed, attempt %s: %s", pk, delivery.channel, delivery.attempts, error)
            delivery.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            return False
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = timezone.now()
        delivery.save(update_fields=["attempts", "status", "sent_at"])
        return True


def _item(notification: Notification) -> Item:
    return Item(
        title=notification.title,
        url=absolute(notification.url),
        body=notification.body,
        time=timezone.localtime(notification.created_at).strftime("%m月%d日 %H:%M"),
    )


def delivery_message(delivery: Delivery) -> Message:
    key = f"delivery-{delivery.pk}"
    if delivery.notification_id:
        item = _item(delivery.notification)
        return Message(key=key, subject=item.title, items=[item])
    items = [_item(n) for n in digest_notifications(delivery)]
    day = delivery.digest_on
    return Message(key=key, subject=f"{day.month}月{day.day}日消息汇总（{len(items)}条）", items=items, digest=True)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _digest_since(recipient_id: int, channel: str, day: date) -> date:
    previous = (
        Delivery.objects.filter(recipient_id=recipient_id, channel=channel, digest_on__lt=day)
        .order_by("-digest_on")
        .values_list("digest_on", flat=True)
        .first()
    )
    earliest = day - DIGEST_REACH
    return max(previous + timedelta(days=1), earliest) if previous else earliest


def digest_notifications(delivery: Delivery) -> list[Notification]:
    """What a digest holds: the digestible notifications since the day after the person's
    previous digest on this channel, up to the end of its own day."""
    since = _digest_since(delivery.recipient_id, delivery.channel, delivery.digest_on)
    return list(
        Notification.objects.filter(
            recipient_id=delivery.recipient_id,
            kind__in=DIGEST_KINDS,
            created_at__gte=_day_start(since),
            created_at__lt=_day_start(delivery.digest_on + timedelta(days=1)),
        ).order_by("created_at", "id")
    )


@transaction.atomic
def digests_create(day: date | None = None) -> list[int]:
    """One digest per person who prefers them, per channel, for `day`, when there is
    anything to put in it; a second run the same day adds nothing."""
    day = day or timezone.localdate()
    preferences = [s for s in DeliverySettings.objects.filter(digest=True) if s.channels()]
    latest: dict[tuple[int, str], date] = {}
    for user_id, channel, digest_on in Delivery.objects.filter(
        recipient_id__in=[s.user_id for s in preferences], digest_on__lt=day, digest_on__gte=day - DIGEST_REACH
    ).values_list("recipient_id", "channel", "digest_on"):
        latest[user_id, channel] = max(latest.get((user_id, channel), digest_on), digest_on)
    never = day - DIGEST_REACH - timedelta(days=1)
    since_by_user = {
        s.user_id: min(latest.get((s.user_id, c), never) for c in s.channels()) + timedelta(days=1) for s in preferences
    }
    earliest = min(since_by_user.values(), default=day)
    with_news: defaultdict[int, list] = defaultdict(list)
    for user_id, created_at in Notification.objects.filter(
        recipient_id__in=list(since_by_user),
        kind__in=DIGEST_KINDS,
        created_at__gte=_day_start(earliest),
        created_at__lt=_day_start(day + timedelta(days=1)),
    ).values_list("recipient_id", "created_at"):
        with_news[user_id].append(created_at)
    rows = [
        Delivery(recipient_id=s.user_id, channel=channel, digest_on=day)
        for s in preferences
        if any(t >= _day_start(since_by_user[s.user_id]) for t in with_news[s.user_id])
        for channel in s.channels()
    ]
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(
        Delivery.objects.filter(digest_on=day, status=DeliveryStatus.PENDING, attempts=0).values_list("pk", flat=True)
    )
    deliveries_queue(ids)
    return ids


def delivery_settings_for(user) -> DeliverySettings:
    return DeliverySettings.objects.filter(user=user).first() or DeliverySettings(user=user)


@transaction.atomic
def delivery_settings_save(*, user, preference: DeliverySettings, address: str) -> DeliverySettings:
    """Save a person's channels and e-mail address together; a channel turned on needs
    somewhere to send to."""
    if preference.email and not address:
        raise ValidationError({"address": "选择电子邮件须填写邮箱地址。"})
    preference.user = user
    preference.full_clean()
    preference.save()
    if user.email != address:
        user.email = address
        user.save(update_fields=["email"])
    return preference


def deliveries_recent(user, limit: int = 10) -> list[Delivery]:
    return list(
        Delivery.objects.filter(recipient=user).select_related("notification").order_by("-created_at", "-id")[:limit]
    )
