from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..choices import ReportCycle, TaskSource
from ..querysets import PlanQuerySet


class Plan(models.Model):
    """A plan document (实施意见 / 工作方案 / 任务分工通知) and the tasks it sets."""

    slug = models.SlugField(_("标识"), max_length=80, unique=True, allow_unicode=True)
    title = models.CharField(_("标题"), max_length=300)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    issuing_body = models.CharField(_("发文机关"), max_length=100, blank=True)
    issue_date = models.DateField(_("成文日期"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(
        _("年度"), null=True, blank=True, help_text=_("无年份的时限短语（如“4月底前”）按此年度解析；年份不明时留空。")
    )
    source_name = models.CharField(_("来源文件"), max_length=200, blank=True)
    source_text = models.TextField(_("原文"), blank=True, help_text=_("导入时的原文，逐字保存。"))
    is_public = models.BooleanField(
        _("公开进展"), default=False, help_text=_("政务公开：开启后任何人可查看方案进度和已办结任务（不含内部意见）。")
    )
    report_cycle = models.CharField(
        _("报送周期"),
        max_length=10,
        choices=ReportCycle.choices,
        default=ReportCycle.MONTHLY,
        help_text=_("各牵头单位报送进展的周期；到期日见系统设置（默认每月25日）。单项任务可另行设置。"),
    )
    # The tasks of a plan share its source: a plan document (or a 政府工作报告 imported as
    # one), or the register of 批示件 / 会议议定事项 / 建议提案 of a year (matters/).
    source = models.CharField(
        _("来源"), max_length=12, choices=TaskSource.choices, default=TaskSource.PLAN, db_index=True
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("方案")
        verbose_name_plural = _("方案")
        ordering = ["-year", "title"]
        # The task list is in plan-title order: walked through this, a filtered list stops
        # at its page instead of sorting every matching task of a million.
        indexes = [models.Index(fields=["title", "id"], name="plan_title_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__isnull=True) | models.Q(year__gte=1949, year__lte=2100),
                name="plan_year_plausible",
                violation_error_message=_("年度应在1949至2100之间。"),
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=TaskSource.values),
                name="plan_source_valid",
                violation_error_message=_("来源无效。"),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("tasks:list") + f"?plan={self.pk}"

    def get_public_url(self):
        return reverse("dashboard:public_plan", args=[self.slug])


class ImportConfirmation(models.Model):
    """An import preview that was confirmed. Each preview carries a token of its own, and
    the unique token lets it be confirmed once: a second click, a second tab or a replayed
    form would otherwise import the plan twice."""

    token = models.CharField(_("预览标识"), max_length=64, unique=True)
    plan = models.ForeignKey(
        Plan, verbose_name=_("方案"), on_delete=models.PROTECT, related_name="import_confirmations", null=True
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("确认人"), on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("确认时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("导入确认")
        verbose_name_plural = _("导入确认")
        ordering = ["-confirmed_at"]

    def __str__(self):
        return self.token
