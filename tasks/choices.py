from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskKind(models.TextChoices):
    SECTION = "section", _("章节")  # a heading that only groups tasks
    TASK = "task", _("任务")


class TaskStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ASSIGNED = "assigned", _("已交办")
    ACKNOWLEDGED = "acknowledged", _("已签收")
    IN_PROGRESS = "in_progress", _("推进中")
    COMPLETION_REQUESTED = "completion_requested", _("申请办结")
    COMPLETED = "completed", _("已办结")
    SUSPENDED = "suspended", _("已暂停")
    CANCELLED = "cancelled", _("已撤销")


# Statuses in which a task is being worked on and its deadline is chased.
ACTIVE_STATUSES = (
    TaskStatus.ASSIGNED,
    TaskStatus.ACKNOWLEDGED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.COMPLETION_REQUESTED,
)


class LeadMode(models.TextChoices):
    SOLE = "sole", _("单一牵头")
    SEPARATE = "separate", _("分别负责")
    JOINT = "joint", _("共同牵头")


class DeadlinePrecision(models.TextChoices):
    DAY = "day", _("具体日期")
    MONTH = "month", _("月底")
    YEAR = "year", _("年底")
    APPROXIMATE = "approximate", _("大致时间")
    SPAN = "span", _("持续推进")
    CONDITIONAL = "conditional", _("附条件")
    UNKNOWN = "unknown", _("未定")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("牵头单位")
    COOPERATING = "cooperating", _("配合单位")


class Comparison(models.TextChoices):
    GTE = "gte", "≥"
    LTE = "lte", "≤"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SIGNOFF = "signoff", _("待负责人签发")
    SUBMITTED = "submitted", _("已报送")
    ACCEPTED = "accepted", _("已采纳")
    RETURNED = "returned", _("已退回")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


class Light(models.TextChoices):
    GREEN = "green", _("绿灯")
    YELLOW = "yellow", _("黄灯")
    RED = "red", _("红灯")
    DONE = "done", _("已办结")
    NONE = "none", _("不适用")


class EventKind(models.TextChoices):
    CREATED = "created", _("创建")
    UPDATED = "updated", _("修改")
    ASSIGNED = "assigned", _("交办")
    STATUS = "status", _("状态变更")
    REPORT = "report", _("进展报告")
    EXTENSION = "extension", _("延期")
    COMPLETION = "completion", _("办结")
    MILESTONE = "milestone", _("进度节点")
    REMINDER = "reminder", _("催办")


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", _("任务交办")
    REPORT = "report", _("进展报告")
    DECISION = "decision", _("审批结果")
    REQUEST = "request", _("待审事项")
    REMINDER = "reminder", _("提醒催办")
    URGE = "urge", _("督办催办")


# Kinds a user who prefers a daily digest gets in it, rather than one message each. What
# needs an answer now (a returned report, a decision, the office's own 催办) goes at once.
DIGEST_KINDS = (NotificationKind.ASSIGNED, NotificationKind.REQUEST, NotificationKind.REMINDER)


class ReportCycle(models.TextChoices):
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    NONE = "none", _("不定期")


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    WEBHOOK = "webhook", _("群机器人（Webhook）")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
