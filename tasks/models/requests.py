from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from departments.models import Department

from ..choices import RequestStatus


class DecisionFields(models.Model):
    """A department's request and the office's decision on it."""

    department = models.ForeignKey(Department, verbose_name=_("申请部门"), on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_reason = models.TextField(_("审批意见"), blank=True)

    class Meta:
        abstract = True


class ExtensionRequest(DecisionFields):
    """A request to move a task's deadline (延期申请); the old date stays on record here."""

    task = models.ForeignKey(
        "tasks.Task", verbose_name=_("任务"), on_delete=models.PROTECT, related_name="extension_requests"
    )
    reason = models.TextField(_("延期理由"))
    previous_deadline = models.DateField(_("原时限"), null=True, blank=True)
    proposed_deadline = models.DateField(_("申请延至"))

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=models.Q(status=RequestStatus.PENDING),
                name="extension_one_pending_per_task",
                violation_error_message=_("这项任务已有待审批的延期申请。"),
            ),
            models.CheckConstraint(
                condition=models.Q(previous_deadline__isnull=True)
                | models.Q(proposed_deadline__gt=models.F("previous_deadline")),
                name="extension_moves_deadline_later",
                violation_error_message=_("申请的新时限须晚于原时限。"),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=RequestStatus.values),
                name="extension_status_valid",
                violation_error_message=_("申请状态无效。"),
            ),
        ]

    def __str__(self):
        return f"{self.task} → {self.proposed_deadline}"


class CompletionRequest(DecisionFields):
    """A lead's request to close a task (办结申请) with its deliverable."""

    task = models.ForeignKey(
        "tasks.Task", verbose_name=_("任务"), on_delete=models.PROTECT, related_name="completion_requests"
    )
    summary = models.TextField(_("完成情况"))
    deliverable = models.FileField(_("成果材料"), upload_to="deliverables/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("办结申请")
        verbose_name_plural = _("办结申请")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=models.Q(status=RequestStatus.PENDING),
                name="completion_one_pending_per_task",
                violation_error_message=_("这项任务已有待审批的办结申请。"),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=RequestStatus.values),
                name="completion_status_valid",
                violation_error_message=_("申请状态无效。"),
            ),
        ]

    def __str__(self):
        return f"{self.task} · {self.get_status_display()}"

    @property
    def deliverable_name(self) -> str:
        return self.deliverable.name.rsplit("/", 1)[-1] if self.deliverable else ""


class ParticipationRequest(DecisionFields):
    """A lead's proposal to add a participating department (seed 000, 四(二)); the office decides."""

    task = models.ForeignKey(
        "tasks.Task", verbose_name=_("任务"), on_delete=models.PROTECT, related_name="participation_requests"
    )
    proposed_department = models.ForeignKey(
        Department, verbose_name=_("建议增加的部门"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("理由"))

    class Meta:
        verbose_name = _("增加参与部门申请")
        verbose_name_plural = _("增加参与部门申请")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "proposed_department"],
                condition=models.Q(status=RequestStatus.PENDING),
                name="participation_one_pending_per_department",
                violation_error_message=_("已有待审批的同一部门增加申请。"),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=RequestStatus.values),
                name="participation_status_valid",
                violation_error_message=_("申请状态无效。"),
            ),
        ]

    def __str__(self):
        return f"{self.task} + {self.proposed_department}"
