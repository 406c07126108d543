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


class TaskSource(models.TextChoices):
    """Where a 督办事项 comes from: a plan document, or the office's other registers."""

    PLAN = "plan", _("方案任务")
    INSTRUCTION = "instruction", _("领导批示件")
    MEETING = "meeting", _("会议议定事项")
    PROPOSAL = "proposal", _("建议提案")
    WORK_REPORT = "work_report", _("政府工作报告")


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
    ANSWER = "answer", _("答复")  # a 建议提案's answer, 会签 and the 代表/委员's rating


class ReportCycle(models.TextChoices):
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    NONE = "none", _("不定期")
