from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", _("任务交办")
    REPORT = "report", _("进展报告")
    DECISION = "decision", _("审批结果")
    REQUEST = "request", _("待审事项")
    REMINDER = "reminder", _("提醒催办")
    URGE = "urge", _("督办催办")
    # A task given to a department nobody can act for: the office must find someone.
    UNREACHABLE = "unreachable", _("无人签收")


# Kinds a user who prefers a daily digest gets in it, rather than one message each. What
# needs an answer now (a returned report, a decision, the office's own 催办) goes at once.
DIGEST_KINDS = (NotificationKind.ASSIGNED, NotificationKind.REQUEST, NotificationKind.REMINDER)


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    WEBHOOK = "webhook", _("群机器人（Webhook）")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
