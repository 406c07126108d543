from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from departments.models import Department
from documents.models import UploadedFile

from ..choices import BulletinStatus, JobStatus, NoticeState, SequenceKind, Verdict
from ..querysets import BulletinQuerySet, DepartmentOwnedQuerySet


class NumberSequence(models.Model):
    """The last number given in a year to a kind of document (督查通报, 督办单). Giving one
    increments the row with an UPDATE, which locks it: two supervisors numbering at once get
    consecutive numbers, never one twice, and a number once given stays with its document."""

    kind = models.CharField(_("文种"), max_length=12, choices=SequenceKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用至"), default=0)

    class Meta:
        verbose_name = _("文件编号")
        verbose_name_plural = _("文件编号")
        ordering = ["kind", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year"],
                name="numbersequence_one_per_kind_year",
                violation_error_message=_("同一文种每年只有一个编号序列。"),
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=SequenceKind.values),
                name="numbersequence_kind_valid",
                violation_error_message=_("文种无效。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year}: {self.last}"


class Bulletin(models.Model):
    """督查通报: drafted from an inspection, edited, then issued as a frozen PDF.

    A correction of an issued bulletin is a new row with the same number, the next
    version and the reason; the one it corrects is kept, marked superseded."""

    inspection = models.ForeignKey(
        "supervision.Inspection", verbose_name=_("督查"), on_delete=models.PROTECT, related_name="bulletins"
    )
    status = models.CharField(_("状态"), max_length=12, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT)
    title = models.CharField(_("标题"), max_length=200)
    recipients = models.CharField(_("主送机关"), max_length=200, blank=True)
    basic = models.TextField(_("基本情况"), blank=True)
    achievements = models.TextField(_("主要成效"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    requirements = models.TextField(_("下一步工作要求"), blank=True)
    # The rules that proposed the departments, kept with the bulletin they proposed for.
    commend_min_tasks = models.PositiveSmallIntegerField(_("表扬：牵头任务至少"), default=1)
    criticise_overdue_days = models.PositiveSmallIntegerField(_("通报批评：逾期超过(天)"), default=30)
    year = models.PositiveSmallIntegerField(_("编号年度"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("编号序号"), null=True, blank=True)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("更正的版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    correction_reason = models.TextField(_("更正原因"), blank=True)
    issue_date = models.DateField(_("成文日期"), null=True, blank=True)
    pdf = models.FileField(_("印发文件"), upload_to="supervision/bulletins/%Y/", blank=True)
    pdf_sha256 = models.CharField(_("文件SHA-256"), max_length=64, blank=True)
    pdf_pages = models.PositiveIntegerField(_("页数"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("起草时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)

    objects = BulletinQuerySet.as_manager()

    class Meta:
        verbose_name = _("督查通报")
        verbose_name_plural = _("督查通报")
        ordering = ["-year", "-sequence", "-version", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "sequence", "version"],
                name="bulletin_number_unique",
                violation_error_message=_("通报编号重复。"),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=BulletinStatus.values),
                name="bulletin_status_valid",
                violation_error_message=_("通报状态无效。"),
            ),
            models.CheckConstraint(
                condition=models.Q(status=BulletinStatus.DRAFT)
                | models.Q(year__isnull=False, sequence__isnull=False, issue_date__isnull=False),
                name="bulletin_issued_has_number",
                violation_error_message=_("印发的通报须有编号和成文日期。"),
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=[BulletinStatus.ISSUED, BulletinStatus.SUPERSEDED])
                | ~models.Q(pdf_sha256=""),
                name="bulletin_issued_has_file",
                violation_error_message=_("已印发的通报须有文件及其校验值。"),
            ),
            models.CheckConstraint(
                condition=models.Q(version=1, supersedes__isnull=True)
                | (models.Q(version__gt=1, supersedes__isnull=False) & ~models.Q(correction_reason="")),
                name="bulletin_correction_has_reason",
                violation_error_message=_("更正版须注明更正的版本和原因。"),
            ),
        ]
        indexes = [models.Index(fields=["status", "-issued_at"], name="bulletin_status_issued_idx")]

    def __str__(self):
        return f"{self.number} {self.title}" if self.sequence else self.title

    def get_absolute_url(self):
        return reverse("supervision:bulletin", args=[self.pk])

    @property
    def number(self) -> str:
        """督查通报〔2026〕3号 (GB/T 9704-2012 §7.2.4: the year in 〔〕, no leading zero)."""
        if self.sequence is None:
            return ""
        return f"{settings.PORTAL['BULLETIN']['NUMBER_PREFIX']}〔{self.year}〕{self.sequence}号"

    @property
    def is_draft(self) -> bool:
        return self.status == BulletinStatus.DRAFT


class BulletinDepartment(models.Model):
    """A department a bulletin commends (表扬) or criticises (通报批评), with the reason."""

    bulletin = models.ForeignKey(Bulletin, verbose_name=_("通报"), on_delete=models.CASCADE, related_name="verdicts")
    department = models.ForeignKey(Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(_("类别"), max_length=10, choices=Verdict.choices)
    reason = models.CharField(_("事由"), max_length=500, blank=True)
    proposed = models.BooleanField(_("按规则提出"), default=False)

    class Meta:
        verbose_name = _("表扬/批评单位")
        verbose_name_plural = _("表扬/批评单位")
        ordering = ["bulletin", "verdict", "department__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["bulletin", "department"],
                name="bulletin_department_once",
                violation_error_message=_("同一单位不能既被表扬又被批评。"),
            ),
            models.CheckConstraint(
                condition=models.Q(verdict__in=Verdict.values),
                name="bulletin_verdict_valid",
                violation_error_message=_("类别无效。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_verdict_display()}: {self.department}"


class Notice(models.Model):
    """督办单: one department's findings and demands from an inspection, sent to it with a
    督办编号, a 反馈时限 and the sender as contact. The unit returns its 回执 (what it has
    done, with files) by the 反馈时限; until then the reminder sweep chases it.

    Notices sent before numbering have no number, 反馈时限 or contact: the columns allow
    that, and every notice sent since has all three."""

    inspection = models.ForeignKey(
        "supervision.Inspection", verbose_name=_("督查"), on_delete=models.CASCADE, related_name="notices"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="notices"
    )
    year = models.PositiveSmallIntegerField(_("编号年度"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("编号序号"), null=True, blank=True)
    requirements = models.TextField(_("办理要求"), blank=True)
    feedback_due = models.DateField(_("反馈时限"), null=True, blank=True, db_index=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发送人"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    response_text = models.TextField(_("办理情况"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回执人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("回执时间"), null=True, blank=True)

    objects = DepartmentOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        ordering = ["-sent_at", "department__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "department"],
                name="notice_one_per_department",
                violation_error_message=_("这个部门已有本次督查的督办单。"),
            ),
            models.UniqueConstraint(
                fields=["year", "sequence"],
                name="notice_number_unique",
                violation_error_message=_("督办编号重复。"),
            ),
            models.CheckConstraint(
                condition=models.Q(year__isnull=True, sequence__isnull=True)
                | models.Q(year__isnull=False, sequence__isnull=False, feedback_due__isnull=False),
                name="notice_numbered_has_feedback_due",
                violation_error_message=_("编号的督办单须有编号年度、序号和反馈时限。"),
            ),
            models.CheckConstraint(
                condition=models.Q(responded_by__isnull=True, responded_at__isnull=True, response_text="")
                | (models.Q(responded_by__isnull=False, responded_at__isnull=False) & ~models.Q(response_text="")),
                name="notice_response_complete",
                violation_error_message=_("回执须记录办理情况、回执人和时间。"),
            ),
        ]
        indexes = [models.Index(fields=["responded_at", "feedback_due"], name="notice_response_due_idx")]

    def __str__(self):
        return f"{self.number} {self.department}" if self.sequence else f"{self.inspection} · {self.department}"

    def get_absolute_url(self):
        return reverse("supervision:notice", args=[self.pk])

    @property
    def number(self) -> str:
        """督办〔2026〕3号, as the bulletin's number is written (GB/T 9704-2012 §7.2.4)."""
        if self.sequence is None:
            return ""
        return f"{settings.PORTAL['NOTICE']['NUMBER_PREFIX']}〔{self.year}〕{self.sequence}号"

    @property
    def contact(self) -> str:
        """联系人与电话: "张敏，13800000000"."""
        return "，".join(part for part in (self.contact_name, self.contact_phone) if part)

    @property
    def reminder_label(self) -> str:
        """What a reminder about this notice says it is about (reminders/services.py)."""
        return f"回执催办：督办单{self.number}的回执"

    def state(self, today: date | None = None) -> NoticeState:
        """已回执, 未回执, or 逾期未回执 once the 反馈时限 has passed (today by the portal's clock)."""
        today = today or timezone.localdate()
        if self.responded_at is not None:
            return NoticeState.RESPONDED
        if self.feedback_due is not None and self.feedback_due < today:
            return NoticeState.LATE
        return NoticeState.WAITING


class NoticeAttachment(UploadedFile):
    """A file the unit sends with its 回执 (scans, photographs, minutes, spreadsheets)."""

    notice = models.ForeignKey(Notice, verbose_name=_("督办单"), on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("文件"), upload_to="supervision/notices/%Y/%m/")

    class Meta:
        verbose_name = _("回执附件")
        verbose_name_plural = _("回执附件")
        ordering = ["notice", "id"]

    def get_absolute_url(self):
        return reverse("supervision:notice_file", args=[self.pk])


class RenderJob(models.Model):
    """A PDF being made by a worker, with the progress a page polls for."""

    bulletin = models.ForeignKey(Bulletin, verbose_name=_("通报"), on_delete=models.CASCADE, related_name="jobs")
    # True: the issuing render whose file becomes the bulletin's; False: a draft to review.
    issue = models.BooleanField(_("印发"), default=False)
    status = models.CharField(_("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    stage = models.CharField(_("阶段"), max_length=100, blank=True)
    file = models.FileField(_("文件"), upload_to="supervision/drafts/%Y/", blank=True)
    error = models.TextField(_("错误"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("请求人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("生成任务")
        verbose_name_plural = _("生成任务")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100),
                name="renderjob_progress_0_100",
                violation_error_message=_("进度须在0到100之间。"),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=JobStatus.values),
                name="renderjob_status_valid",
                violation_error_message=_("状态无效。"),
            ),
        ]

    def __str__(self):
        return f"{self.bulletin} · {self.get_status_display()} {self.progress}%"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class BulletinReceipt(models.Model):
    """A unit an issued bulletin was sent to (named in it, or leading a task it covers), and
    its 阅知: who of the unit signed for it and when. 催阅 reminders are counted, one a day."""

    bulletin = models.ForeignKey(Bulletin, verbose_name=_("通报"), on_delete=models.CASCADE, related_name="receipts")
    department = models.ForeignKey(Department, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("送达时间"))
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("阅知人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    read_at = models.DateTimeField(_("阅知时间"), null=True, blank=True)
    reminded_on = models.DateField(_("最近催阅日期"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("催阅次数"), default=0)

    class Meta:
        verbose_name = _("通报签收")
        verbose_name_plural = _("通报签收")
        ordering = ["bulletin", "department__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["bulletin", "department"],
                name="bulletin_receipt_once",
                violation_error_message=_("同一单位对同一通报只签收一次。"),
            ),
            models.CheckConstraint(
                condition=models.Q(read_by__isnull=True, read_at__isnull=True)
                | models.Q(read_by__isnull=False, read_at__isnull=False),
                name="bulletin_receipt_read_has_who_and_when",
                violation_error_message=_("阅知须记录阅知人和时间。"),
            ),
        ]

    def __str__(self):
        return f"{self.bulletin} → {self.department}"
