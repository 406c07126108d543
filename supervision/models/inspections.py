from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from departments.models import Department
from documents.models import UploadedFile

from ..choices import DemandStatus, InspectionKind, Rating
from ..querysets import DepartmentOwnedQuerySet, FindingQuerySet, InspectionQuerySet


class Inspection(models.Model):
    """A round of supervision (专项督查, 联合检查…) over the tasks a filter selects."""

    title = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("督查类型"), max_length=20, choices=InspectionKind.choices)
    period_start = models.DateField(_("开始日期"))
    period_end = models.DateField(_("结束日期"))
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("督查人员"), related_name="inspections", blank=True
    )
    # The task list's own query string ("plan=3&light=red"), resolved by TaskFilterSet, so a
    # scope means exactly what the same filters show on the task list.
    scope = models.CharField(_("督查范围"), max_length=2000, blank=True)
    notes = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("督查")
        verbose_name_plural = _("督查")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end")),
                name="inspection_period_ordered",
                violation_error_message=_("开始日期不能晚于结束日期。"),
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=InspectionKind.values),
                name="inspection_kind_valid",
                violation_error_message=_("督查类型无效。"),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("supervision:inspection", args=[self.pk])


class Finding(models.Model):
    """What an inspection found about one task: facts drafted from the data, a suggested
    rating, and the inspector's confirmed rating and comment."""

    inspection = models.ForeignKey(
        Inspection, verbose_name=_("督查"), on_delete=models.CASCADE, related_name="findings"
    )
    task = models.ForeignKey("tasks.Task", verbose_name=_("任务"), on_delete=models.PROTECT, related_name="findings")
    # Facts as they stood when drafted: the bulletin quotes them, later reports do not move them.
    task_status = models.CharField(_("任务状态"), max_length=24)
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    overdue_days = models.PositiveIntegerField(_("逾期天数"), default=0)
    milestones_missed = models.PositiveSmallIntegerField(_("逾期节点数"), default=0)
    indicators_behind = models.PositiveSmallIntegerField(_("未达标指标数"), default=0)
    last_report_text = models.TextField(_("最近采纳的进展"), blank=True)
    last_report_period = models.DateField(_("最近报告期"), null=True, blank=True)
    suggested_rating = models.CharField(_("建议评价"), max_length=12, choices=Rating.choices)
    rating = models.CharField(_("督查评价"), max_length=12, choices=Rating.choices, blank=True)
    comment = models.TextField(_("督查意见"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("督查发现")
        verbose_name_plural = _("督查发现")
        ordering = ["inspection", "task__plan_id", "task__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "task"],
                name="finding_one_per_task",
                violation_error_message=_("这项任务在本次督查中已有督查发现。"),
            ),
            models.CheckConstraint(
                condition=models.Q(suggested_rating__in=Rating.values)
                & (models.Q(rating="") | models.Q(rating__in=Rating.values)),
                name="finding_rating_valid",
                violation_error_message=_("督查评价无效。"),
            ),
            models.CheckConstraint(
                condition=models.Q(rating="") | models.Q(confirmed_at__isnull=False),
                name="finding_rating_confirmed",
                violation_error_message=_("确认评价须记录确认时间。"),
            ),
        ]
        indexes = [models.Index(fields=["inspection", "rating"], name="finding_inspection_rating_idx")]

    def __str__(self):
        return f"{self.inspection} · {self.task}"

    def get_absolute_url(self):
        return reverse("supervision:finding", args=[self.pk])

    @property
    def final_rating(self) -> str:
        """The confirmed rating, else the suggestion (for drafts shown before confirmation)."""
        return self.rating or self.suggested_rating

    def get_final_rating_display(self) -> str:
        return str(Rating(self.final_rating).label)


class FindingEvidence(UploadedFile):
    """A file an inspector attaches to a finding (photographs, minutes, documents)."""

    finding = models.ForeignKey(Finding, verbose_name=_("督查发现"), on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("文件"), upload_to="supervision/evidence/%Y/%m/")

    class Meta:
        verbose_name = _("督查佐证")
        verbose_name_plural = _("督查佐证")
        ordering = ["finding", "id"]


class RectificationDemand(models.Model):
    """整改要求: what a department must put right by a date; it reports, the office closes."""

    finding = models.ForeignKey(Finding, verbose_name=_("督查发现"), on_delete=models.PROTECT, related_name="demands")
    department = models.ForeignKey(
        Department, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="rectification_demands"
    )
    requirement = models.TextField(_("整改要求"))
    due_date = models.DateField(_("整改时限"), db_index=True)
    status = models.CharField(_("状态"), max_length=10, choices=DemandStatus.choices, default=DemandStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    report_text = models.TextField(_("整改情况"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报告人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)
    office_comment = models.TextField(_("审核意见"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("销号人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)

    objects = DepartmentOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改要求")
        verbose_name_plural = _("整改要求")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DemandStatus.values),
                name="demand_status_valid",
                violation_error_message=_("整改状态无效。"),
            ),
            models.CheckConstraint(
                condition=models.Q(status=DemandStatus.OPEN) | ~models.Q(report_text=""),
                name="demand_reported_has_text",
                violation_error_message=_("报告整改须填写整改情况。"),
            ),
            models.CheckConstraint(
                condition=~models.Q(status=DemandStatus.CLOSED) | models.Q(closed_at__isnull=False),
                name="demand_closed_has_time",
                violation_error_message=_("已销号的整改要求须有销号时间。"),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="demand_status_due_idx"),
            models.Index(fields=["department", "status"], name="demand_department_status_idx"),
        ]

    def __str__(self):
        return f"{self.department} · {self.requirement[:30]}"

    def get_absolute_url(self):
        return reverse("supervision:demand", args=[self.pk])


class DemandAttachment(UploadedFile):
    """A file the responsible department sends with one round of its 整改情况 (photographs,
    scans, minutes, spreadsheets). It belongs to the record of the round it came with, so a
    returned round keeps its files and the next round brings its own."""

    demand = models.ForeignKey(
        RectificationDemand, verbose_name=_("整改要求"), on_delete=models.PROTECT, related_name="attachments"
    )
    record = models.ForeignKey(
        "tasks.ChangeRecord", verbose_name=_("报告记录"), on_delete=models.PROTECT, related_name="demand_attachments"
    )
    file = models.FileField(_("文件"), upload_to="supervision/demands/%Y/%m/")

    class Meta:
        verbose_name = _("整改佐证")
        verbose_name_plural = _("整改佐证")
        ordering = ["record", "id"]

    def get_absolute_url(self):
        return reverse("supervision:demand_file", args=[self.pk])
