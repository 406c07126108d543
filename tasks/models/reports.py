from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from departments.models import Department
from documents.models import UploadedFile

from ..choices import ReportStatus


class ProgressReport(models.Model):
    """A department's progress report on a task for one reporting period (进展报送)."""

    task = models.ForeignKey("tasks.Task", verbose_name=_("任务"), on_delete=models.PROTECT, related_name="reports")
    department = models.ForeignKey(
        Department, verbose_name=_("报送部门"), on_delete=models.PROTECT, related_name="reports"
    )
    # The first day of the period reported on (monthly by default: 2026-11-01).
    period = models.DateField(_("报告期"))
    text = models.TextField(_("进展情况"))
    percent = models.PositiveSmallIntegerField(_("完成进度(%)"), default=0)
    status = models.CharField(_("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    # Kept by database triggers (migration 0022) from the assignments: the office reviews a
    # lead department's reports, a lead department its co-operating departments' reports.
    from_lead = models.BooleanField(
        _("牵头单位报告"),
        default=False,
        editable=False,
        help_text=_("报送单位是该任务的牵头单位，由数据库触发器维护。"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_off_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    lower_reason = models.CharField(
        _("进度回调说明"), max_length=500, blank=True, help_text=_("进度低于上次采纳的报告时须说明原因。")
    )
    milestones_done = models.ManyToManyField(
        "tasks.Milestone", verbose_name=_("本期完成的节点"), blank=True, related_name="reported_in"
    )
    # Bumped by every save: two people editing one draft cannot overwrite each other unseen.
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["-period", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "department", "period"],
                name="report_one_per_task_department_period",
                violation_error_message=_("该部门本期已有这项任务的进展报告。"),
            ),
            models.CheckConstraint(
                condition=models.Q(percent__gte=0, percent__lte=100),
                name="report_percent_0_100",
                violation_error_message=_("完成进度须在0到100之间。"),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=ReportStatus.values),
                name="report_status_valid",
                violation_error_message=_("报告状态无效。"),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[ReportStatus.DRAFT, ReportStatus.SIGNOFF])
                | models.Q(submitted_at__isnull=False),
                name="report_submitted_has_time",
                violation_error_message=_("已报送的报告须有报送时间。"),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "period"], name="report_status_period_idx"),
            # The review queue: the reports waiting for a decision, the lead departments' and
            # the co-operating ones' apart, oldest first; and how many of each wait.
            # A task's waiting reports, for the trigger keeping Task.waiting (migration 0020).
            # Without it, a bulk COPY not yet analysed made PostgreSQL search all waiting
            # reports for each task it refreshed.
            models.Index(
                fields=["task"], condition=models.Q(status=ReportStatus.SUBMITTED), name="report_waiting_task_idx"
            ),
            models.Index(
                fields=["from_lead", "submitted_at", "id"],
                condition=models.Q(status=ReportStatus.SUBMITTED),
                name="report_waiting_by_role_idx",
            ),
        ]

    def __str__(self):
        return f"{self.task} · {self.department} · {self.period:%Y-%m}"


class Evidence(UploadedFile):
    """A file attached to a report as evidence (佐证材料)."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("进展报告"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("文件"), upload_to="evidence/%Y/%m/")

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["report", "id"]
