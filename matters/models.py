"""The source records of 督办事项 other than plans. Each yields one or more Tasks (the same
engine as plan tasks: assignment, 签收, reports, lights, reminders, assessment); these rows
keep the source's own facts and its 督办编号 sequence."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from departments.models import Department
from tasks.choices import ReportCycle, TaskSource

from .choices import AnswerCategory, InstructionKind, MeetingKind, ProposalKind, ProposalStage, Satisfaction

MATTER_SOURCES = (TaskSource.INSTRUCTION, TaskSource.MEETING, TaskSource.PROPOSAL)
UPLOADS = "matters/%Y/"


class CodeSequence(models.Model):
    """The last 督办编号 given for a source in a year. Allocation increments the row with an
    UPDATE, which locks it until commit: two clerks registering at once get consecutive
    numbers, never one twice, and a rolled-back registration gives its number back."""

    source = models.CharField(_("来源"), max_length=12, choices=TaskSource.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用至"), default=0)

    class Meta:
        verbose_name = _("督办编号")
        verbose_name_plural = _("督办编号")
        constraints = [
            models.UniqueConstraint(fields=["source", "year"], name="codesequence_one_per_source_year"),
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.year}: {self.last}"


class SourceRule(models.Model):
    """The office's default deadlines for a source and type (批办件 first feedback in 5
    working days; 常务会议事项 done in 30; 建议提案 answered within 3 months)."""

    source = models.CharField(_("来源"), max_length=12, choices=TaskSource.choices)
    kind = models.CharField(_("类型"), max_length=12, blank=True, help_text=_("留空表示该来源的各类事项。"))
    feedback_workdays = models.PositiveSmallIntegerField(_("首次反馈时限（工作日）"), null=True, blank=True)
    completion_workdays = models.PositiveSmallIntegerField(_("办结时限（工作日）"), null=True, blank=True)
    completion_months = models.PositiveSmallIntegerField(_("办结时限（月）"), null=True, blank=True)
    report_cycle = models.CharField(
        _("报送周期"), max_length=10, choices=ReportCycle.choices, default=ReportCycle.MONTHLY
    )
    revisit_required = models.BooleanField(_("须回访"), default=False)

    class Meta:
        verbose_name = _("来源规则")
        verbose_name_plural = _("来源规则")
        ordering = ["source", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind"],
                name="sourcerule_one_per_kind",
                violation_error_message=_("该来源和类型已有规则。"),
            ),
            models.CheckConstraint(
                condition=models.Q(completion_workdays__isnull=True) | models.Q(completion_months__isnull=True),
                name="sourcerule_one_completion_unit",
                violation_error_message=_("办结时限按工作日或按月填写其一。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.kind_label}".strip()

    @property
    def kind_label(self) -> str:
        for choices in (InstructionKind, MeetingKind, ProposalKind):
            if self.kind in choices.values:
                return str(choices(self.kind).label)
        return ""


class Registration(models.Model):
    """What every source record shares: who registered it and when."""

    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        abstract = True


class Instruction(Registration):
    """领导批示件: a leader's written instruction. A 批办 one yields a task; 阅示 and 参阅
    ones are only filed."""

    task = models.OneToOneField(
        "tasks.Task",
        verbose_name=_("督办事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instruction",
    )
    leader_name = models.CharField(_("批示领导"), max_length=50, error_messages={"blank": _("请填写批示领导。")})
    leader_post = models.CharField(_("领导职务"), max_length=100, blank=True)
    instructed_on = models.DateField(_("批示日期"))
    content = models.TextField(_("批示内容"), error_messages={"blank": _("请填写批示内容。")})
    kind = models.CharField(_("批示类型"), max_length=10, choices=InstructionKind.choices)
    requirements = models.TextField(_("办理要求"), blank=True)
    document = models.FileField(_("批示件"), upload_to=UPLOADS, blank=True)
    feedback_due = models.DateField(_("首次反馈时限"), null=True, blank=True)

    class Meta:
        verbose_name = _("领导批示件")
        verbose_name_plural = _("领导批示件")
        ordering = ["-instructed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(leader_name=""),
                name="instruction_has_leader",
                violation_error_message=_("请填写批示领导。"),
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=InstructionKind.values),
                name="instruction_kind_valid",
                violation_error_message=_("批示类型无效。"),
            ),
        ]

    def __str__(self):
        return f"{self.leader_name}批示（{self.instructed_on}）"

    def get_absolute_url(self):
        return reverse("matters:instruction", args=[self.pk])


class Meeting(Registration):
    """A meeting whose 纪要 sets several 议定事项 (MeetingItem), each a task."""

    name = models.CharField(_("会议名称"), max_length=200, error_messages={"blank": _("请填写会议名称。")})
    kind = models.CharField(_("会议类型"), max_length=10, choices=MeetingKind.choices)
    session = models.CharField(_("届次/期数"), max_length=50, blank=True, help_text=_("如“第12次”。"))
    held_on = models.DateField(_("会议日期"))
    minutes = models.FileField(_("会议纪要"), upload_to=UPLOADS, blank=True)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.name}{self.session}"

    def get_absolute_url(self):
        return reverse("matters:meeting", args=[self.pk])


class MeetingItem(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="items")
    task = models.OneToOneField(
        "tasks.Task", verbose_name=_("督办事项"), on_delete=models.PROTECT, related_name="meeting_item"
    )
    order = models.PositiveSmallIntegerField(_("序号"))

    class Meta:
        verbose_name = _("会议议定事项")
        verbose_name_plural = _("会议议定事项")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="meetingitem_unique_order"),
        ]

    def __str__(self):
        return f"{self.meeting} 第{self.order}项"


class Proposal(Registration):
    """人大代表建议 / 政协委员提案. The task's lead department is the 主办单位 (drafts the
    answer), its co-operating departments the 会办单位 (会签)."""

    task = models.OneToOneField(
        "tasks.Task", verbose_name=_("督办事项"), on_delete=models.PROTECT, related_name="proposal"
    )
    kind = models.CharField(_("类别"), max_length=10, choices=ProposalKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.CharField(_("建议提案编号"), max_length=30, help_text=_("人大、政协所编的号，如“第102号”。"))
    proposer = models.CharField(
        _("代表/委员"), max_length=100, error_messages={"blank": _("请填写提出建议提案的代表或委员。")}
    )
    stage = models.CharField(
        _("办理阶段"), max_length=10, choices=ProposalStage.choices, default=ProposalStage.HANDLING
    )
    round = models.PositiveSmallIntegerField(_("答复轮次"), default=1)
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Satisfaction.choices, blank=True)

    class Meta:
        verbose_name = _("建议提案")
        verbose_name_plural = _("建议提案")
        ordering = ["-year", "kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "number"],
                name="proposal_unique_number",
                violation_error_message=_("该年度已登记同一编号的建议提案。"),
            ),
            models.CheckConstraint(
                condition=models.Q(stage__in=ProposalStage.values),
                name="proposal_stage_valid",
                violation_error_message=_("办理阶段无效。"),
            ),
        ]
        indexes = [models.Index(fields=["stage"], name="proposal_stage_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}{self.number}"

    def get_absolute_url(self):
        return reverse("matters:proposal", args=[self.pk])


class ProposalAnswer(models.Model):
    """The 主办单位's answer of one round; a round rated 不满意 leads to the next."""

    proposal = models.ForeignKey(Proposal, verbose_name=_("建议提案"), on_delete=models.PROTECT, related_name="answers")
    round = models.PositiveSmallIntegerField(_("轮次"))
    text = models.TextField(_("答复内容"))
    category = models.CharField(_("答复类别"), max_length=1, choices=AnswerCategory.choices)
    document = models.FileField(_("答复函"), upload_to=UPLOADS, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(_("起草时间"), auto_now=True)
    sent_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Satisfaction.choices, blank=True)
    satisfaction_note = models.CharField(_("评价意见"), max_length=500, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["proposal", "round"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "round"],
                name="answer_one_per_round",
                violation_error_message=_("本轮已有答复。"),
            ),
            models.CheckConstraint(
                condition=models.Q(satisfaction="") | models.Q(sent_at__isnull=False),
                name="answer_rated_after_sent",
                violation_error_message=_("尚未答复，不能登记满意度。"),
            ),
        ]

    def __str__(self):
        return f"{self.proposal} 第{self.round}次答复"


class Countersign(models.Model):
    """A 会办单位 signs its part of the answer (会签)."""

    answer = models.ForeignKey(
        ProposalAnswer, verbose_name=_("答复"), on_delete=models.CASCADE, related_name="countersigns"
    )
    department = models.ForeignKey(Department, verbose_name=_("会办单位"), on_delete=models.PROTECT, related_name="+")
    opinion = models.CharField(_("会签意见"), max_length=500, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("会签人"), on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("会签时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("会签")
        verbose_name_plural = _("会签")
        ordering = ["answer", "signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "department"],
                name="countersign_once_per_department",
                violation_error_message=_("本单位已会签。"),
            ),
        ]

    def __str__(self):
        return f"{self.department} 会签"
