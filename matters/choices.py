from django.db import models
from django.utils.translation import gettext_lazy as _


class InstructionKind(models.TextChoices):
    HANDLE = "handle", _("批办")  # to be handled: given out and tracked
    READ = "read", _("阅示")  # for reading: filed only
    REFERENCE = "reference", _("参阅")


class MeetingKind(models.TextChoices):
    EXECUTIVE = "executive", _("常务会议")
    TOPICAL = "topical", _("专题会议")
    DIRECTOR = "director", _("主任办公会")
    OTHER = "other", _("其他会议")


class ProposalKind(models.TextChoices):
    DEPUTY = "deputy", _("人大代表建议")
    MEMBER = "member", _("政协委员提案")


class AnswerCategory(models.TextChoices):
    A = "A", _("A类：已解决或基本解决")
    B = "B", _("B类：列入计划逐步解决")
    C = "C", _("C类：留作参考")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class ProposalStage(models.TextChoices):
    HANDLING = "handling", _("办理中")
    DRAFTED = "drafted", _("会签中")
    ANSWERED = "answered", _("已答复待评价")
    CLOSED = "closed", _("已评价办结")
