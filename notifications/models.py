from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .channels import validate_webhook_url
from .choices import Channel, DeliveryStatus, NotificationKind


class Notification(models.Model):
    """An entry in a user's inbox (站内消息)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类别"), max_length=12, choices=NotificationKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    task = models.ForeignKey(
        "tasks.Task", verbose_name=_("任务"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        db_table = "tasks_notification"  # the table keeps the name it had in tasks/
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.title


class WebhookURLField(models.URLField):
    """A robot's address: typed without a scheme, it is taken to be https; only an address
    the portal may post to is kept (notifications.channels.webhook_url_problem)."""

    default_validators = [*models.URLField.default_validators, validate_webhook_url]

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


class DeliverySettings(models.Model):
    """How a person wants to be told, besides the inbox, which everyone has."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="delivery_settings"
    )
    email = models.BooleanField(_("电子邮件"), default=False, help_text=_("发送到账户的电子邮箱。"))
    webhook = models.BooleanField(_("群机器人"), default=False, help_text=_("推送到企业微信或钉钉群机器人。"))
    webhook_url = WebhookURLField(_("Webhook 地址"), max_length=500, blank=True)
    webhook_secret = models.CharField(
        _("签名密钥"), max_length=200, blank=True, help_text=_("群机器人“加签”的密钥；留空则不签名。")
    )
    digest = models.BooleanField(
        _("每日汇总"),
        default=False,
        help_text=_("提醒、交办和待审事项每天汇总为一条发送；退回、审批结果和督办催办仍即时发送。"),
    )

    class Meta:
        db_table = "tasks_deliverysettings"
        verbose_name = _("消息接收设置")
        verbose_name_plural = _("消息接收设置")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(webhook=False) | ~models.Q(webhook_url=""),
                name="delivery_webhook_needs_url",
                violation_error_message=_("开启群机器人须填写 Webhook 地址。"),
            ),
        ]

    def __str__(self):
        return str(self.user)

    def channels(self) -> list[str]:
        return [channel for channel in Channel.values if getattr(self, channel)]


class Delivery(models.Model):
    """One message out of the portal on one channel: a notification, or a person's digest
    of one day. The row is the truth about it: pending ones are sent by whichever worker
    gets them first, failures wait with backoff and are recorded, and one channel failing
    leaves the person's other channels alone."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    notification = models.ForeignKey(
        Notification,
        verbose_name=_("消息"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    digest_on = models.DateField(_("汇总日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        db_table = "tasks_delivery"
        verbose_name = _("消息投递")
        verbose_name_plural = _("消息投递")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(notification__isnull=True, digest_on__isnull=False)
                | models.Q(notification__isnull=False, digest_on__isnull=True),
                name="delivery_one_subject",
                violation_error_message=_("投递须对应一条消息或一天的汇总。"),
            ),
            models.UniqueConstraint(
                fields=["notification", "channel"],
                condition=models.Q(notification__isnull=False),
                name="delivery_notification_once",
            ),
            models.UniqueConstraint(
                fields=["recipient", "channel", "digest_on"],
                condition=models.Q(digest_on__isnull=False),
                name="delivery_digest_once",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.recipient}"
