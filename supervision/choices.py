from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionKind(models.TextChoices):
    SPECIAL = "special", _("专项督查")
    JOINT = "joint", _("联合检查")
    SPOT = "spot", _("重点抽查")
    THIRD_PARTY = "third_party", _("第三方评估")
    ROUTINE = "routine", _("日常督查")


class Rating(models.TextChoices):
    """督查评价: how a task stands in the inspector's judgement."""

    ON_TIME = "on_time", _("按期完成")
    ON_TRACK = "on_track", _("进展顺利")
    BEHIND = "behind", _("进度滞后")
    NOT_STARTED = "not_started", _("未启动")
    OVERDUE = "overdue", _("已逾期")


# Ratings that count against a department (通报批评 material, 督办单 items to act on).
ADVERSE_RATINGS = (Rating.BEHIND, Rating.NOT_STARTED, Rating.OVERDUE)


class DemandStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    REPORTED = "reported", _("已报告整改")
    CLOSED = "closed", _("已销号")


# The change record of a round of 整改情况: the files sent with that round hang from it.
DEMAND_REPORTED = "报告整改情况"


class SequenceKind(models.TextChoices):
    """The documents numbered by year, each with its own sequence (督查通报〔2026〕3号, 督办〔2026〕3号)."""

    BULLETIN = "bulletin", _("督查通报")
    NOTICE = "notice", _("督办单")


class NoticeState(models.TextChoices):
    """Where a 督办单's 回执 stands, as the lists show it."""

    RESPONDED = "responded", _("已回执")
    WAITING = "waiting", _("未回执")
    LATE = "late", _("逾期未回执")


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUING = "issuing", _("印发中")
    ISSUED = "issued", _("已印发")
    SUPERSEDED = "superseded", _("已更正")


# A bulletin everyone entitled may read: the issued one, and one later corrected.
PUBLISHED_STATUSES = (BulletinStatus.ISSUED, BulletinStatus.SUPERSEDED)


class Verdict(models.TextChoices):
    COMMEND = "commend", _("表扬")
    CRITICISE = "criticise", _("通报批评")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
