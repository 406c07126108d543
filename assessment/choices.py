from django.db import models
from django.utils.translation import gettext_lazy as _


class ExtensionMode(models.TextChoices):
    """How an approved extension (延期) counts when judging lateness."""

    EXTENDED = "extended", _("按批准延期后的时限")
    ORIGINAL = "original", _("按原定时限（延期不免责）")


class Rule(models.TextChoices):
    """The rules a line item comes from; the order is the order of a statement."""

    ON_TIME = "on_time", _("按期完成")
    COMPLETED_LATE = "completed_late", _("逾期完成")
    IN_PROGRESS = "in_progress", _("未到期，按进度计分")
    OVERDUE = "overdue", _("逾期未完成")
    LATE_DEDUCTION = "late", _("逾期扣分")
    LATE_REPORT = "late_report", _("进展报告迟报")
    RETURNED_REPORT = "returned_report", _("进展报告被退回")
    MISSED_MILESTONE = "milestone", _("进度节点逾期")
    FINDING = "finding", _("督查评价")
    COMMENDED = "commended", _("督查通报表扬")
    CRITICISED = "criticised", _("督查通报批评")


class Source(models.TextChoices):
    """The kind of record a line item rests on."""

    TASK = "task", _("任务")
    DECISION = "decision", _("办结审批")
    REPORT = "report", _("进展报告")
    MILESTONE = "milestone", _("进度节点")
    FINDING = "finding", _("督查发现")
    BULLETIN = "bulletin", _("督查通报")


class PeriodAction(models.TextChoices):
    CLOSE = "close", _("关账")
    REOPEN = "reopen", _("重新开启")
