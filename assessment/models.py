from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from departments.models import Department
from departments.permissions import has_role
from tasks.choices import TaskSource

from .choices import ExtensionMode, Rule, Source

# Bonuses and deductions are entered as positive numbers of points (分); the rule says
# which way they count. Percentages are of the task's 分值.
POINTS = {"max_digits": 6, "decimal_places": 2}


def _points(label, default: str, help_text=""):
    return models.DecimalField(label, default=Decimal(default), help_text=help_text, **POINTS)


class SchemeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every member sees the list of schemes; what each opens to is assessment/rules.py's."""
        return self if has_role(user) else self.none()


class Scheme(models.Model):
    """考核方案: how one year's (or one plan's) tasks are scored, and the period it scores."""

    year = models.PositiveSmallIntegerField(_("考核年度"))
    plan = models.ForeignKey(
        "tasks.Plan",
        verbose_name=_("方案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessment_schemes",
        help_text=_("留空则考核该年度全部方案的任务。"),
    )
    title = models.CharField(_("名称"), max_length=200)
    default_weight = _points(_("默认分值"), "10", _("任务未标分值时按此计分。"))
    late_percent_per_week = _points(_("逾期每周扣分(%)"), "10", _("逾期每满一周（不足一周按一周）扣任务分值的百分比。"))
    late_cap_percent = _points(_("逾期扣分上限(%)"), "50", _("逾期扣分最多扣到任务分值的这个百分比。"))
    late_report_points = _points(_("迟报每次扣分"), "0.5", _("进展报告晚于每月报送日报送，每份扣分。"))
    returned_report_points = _points(_("退回每次扣分"), "0.5", _("进展报告被退回，每份扣分。"))
    milestone_points = _points(_("节点逾期每个扣分"), "1", _("进度节点到期未完成或逾期完成，每个扣牵头单位的分。"))
    finding_on_time_bonus = _points(_("督查评价“按期完成”加分"), "1")
    finding_on_track_bonus = _points(_("督查评价“进展顺利”加分"), "0")
    finding_behind_deduction = _points(_("督查评价“进度滞后”扣分"), "1")
    finding_not_started_deduction = _points(_("督查评价“未启动”扣分"), "2")
    finding_overdue_deduction = _points(_("督查评价“已逾期”扣分"), "2")
    commend_bonus = _points(_("督查通报表扬加分"), "2")
    criticise_deduction = _points(_("督查通报批评扣分"), "3")
    cooperating_share_percent = _points(
        _("配合单位计分比例(%)"), "20", _("配合单位按任务得分的这个百分比计分；牵头单位计全部。")
    )
    # 来源权重: a source (tasks.TaskSource) → a multiplier of its tasks' 分值, as a string
    # ("1.5"); a source not named counts 1, so a scheme without weights scores as before.
    source_weights = models.JSONField(
        _("来源权重"), default=dict, blank=True, help_text=_("按任务来源加权：该来源任务的分值乘以权重。")
    )
    extension_mode = models.CharField(
        _("延期的计算"), max_length=10, choices=ExtensionMode.choices, default=ExtensionMode.EXTENDED
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修改人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核方案")
        verbose_name_plural = _("考核方案")
        ordering = ["-year", "plan_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(plan__isnull=True),
                name="scheme_one_per_year",
                violation_error_message=_("该年度已有考核方案。"),
            ),
            models.UniqueConstraint(
                fields=["plan"], name="scheme_one_per_plan", violation_error_message=_("该方案已有考核方案。")
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1949, year__lte=2100),
                name="scheme_year_plausible",
                violation_error_message=_("考核年度应在1949至2100之间。"),
            ),
            models.CheckConstraint(
                condition=Q(
                    default_weight__gte=0,
                    late_percent_per_week__gte=0,
                    late_report_points__gte=0,
                    returned_report_points__gte=0,
                    milestone_points__gte=0,
                    finding_on_time_bonus__gte=0,
                    finding_on_track_bonus__gte=0,
                    finding_behind_deduction__gte=0,
                    finding_not_started_deduction__gte=0,
                    finding_overdue_deduction__gte=0,
                    commend_bonus__gte=0,
                    criticise_deduction__gte=0,
                ),
                name="scheme_points_not_negative",
                violation_error_message=_("分值、加分和扣分都不能为负数（扣分填正数）。"),
            ),
            models.CheckConstraint(
                condition=Q(late_cap_percent__gte=0, late_cap_percent__lte=100),
                name="scheme_late_cap_0_100",
                violation_error_message=_("逾期扣分上限须在0%%到100%%之间。"),
            ),
            models.CheckConstraint(
                condition=Q(cooperating_share_percent__gte=0, cooperating_share_percent__lte=100),
                name="scheme_cooperating_share_0_100",
                violation_error_message=_("配合单位计分比例须在0%%到100%%之间。"),
            ),
            models.CheckConstraint(
                condition=Q(extension_mode__in=ExtensionMode.values),
                name="scheme_extension_mode_valid",
                violation_error_message=_("延期的计算方式无效。"),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("assessment:ranking", args=[self.pk])

    def source_weight(self, source: str) -> Decimal:
        return Decimal(str((self.source_weights or {}).get(source, "1")))

    def clean(self):
        super().clean()
        if not isinstance(self.source_weights, dict):
            raise ValidationError({"source_weights": "来源权重格式不正确。"})
        for source, weight in self.source_weights.items():
            if source not in TaskSource.values:
                raise ValidationError({"source_weights": f"没有“{source}”这种任务来源。"})
            try:
                value = Decimal(str(weight))
            except InvalidOperation:
                raise ValidationError({"source_weights": f"{TaskSource(source).label}的权重不是数字。"}) from None
            if not (0 <= value <= 10):
                raise ValidationError({"source_weights": f"{TaskSource(source).label}的权重应在0到10之间。"})

    @property
    def open_snapshot(self):
        """The snapshot that holds the scores while the period is closed, else None."""
        if self.pk is None:
            return None
        return next((s for s in self.snapshots.all() if s.reopened_at is None), None)


class DepartmentClass(models.Model):
    """A class of departments ranked among themselves (分类考核: 政府线, 党群线…)."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="classes")
    name = models.CharField(_("类别名称"), max_length=50)
    order = models.PositiveSmallIntegerField(_("序位"), default=0)
    departments = models.ManyToManyField(Department, verbose_name=_("部门"), related_name="+")

    class Meta:
        verbose_name = _("考核类别")
        verbose_name_plural = _("考核类别")
        ordering = ["scheme", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "name"], name="class_name_once", violation_error_message=_("类别名称重复。")
            ),
        ]

    def __str__(self):
        return self.name


class Snapshot(models.Model):
    """A closed period's frozen scores. Reopening keeps the row, with who, when and why."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.PROTECT, related_name="snapshots")
    as_of = models.DateField(_("计分截止日"))
    # The scheme's values when it was closed: the rules the frozen scores were made by.
    rules = models.JSONField(_("计分规则"), default=dict)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("关账人"), on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("关账时间"), auto_now_add=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("重新开启人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reopened_at = models.DateTimeField(_("重新开启时间"), null=True, blank=True)
    reopen_reason = models.TextField(_("重新开启原因"), blank=True)

    class Meta:
        verbose_name = _("考核结果存档")
        verbose_name_plural = _("考核结果存档")
        ordering = ["-closed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme"],
                condition=Q(reopened_at__isnull=True),
                name="snapshot_one_closed_per_scheme",
                violation_error_message=_("本期考核已关账。"),
            ),
            models.CheckConstraint(
                condition=Q(reopened_at__isnull=True) | (Q(reopened_by__isnull=False) & ~Q(reopen_reason="")),
                name="snapshot_reopen_has_reason",
                violation_error_message=_("重新开启须记录操作人和原因。"),
            ),
        ]

    def __str__(self):
        return f"{self.scheme} · {self.closed_at:%Y-%m-%d}"


class SnapshotResult(models.Model):
    """One department's frozen score: its total is the sum of its lines."""

    snapshot = models.ForeignKey(Snapshot, verbose_name=_("存档"), on_delete=models.CASCADE, related_name="results")
    department = models.ForeignKey(Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+")
    department_name = models.CharField(_("部门名称"), max_length=100)
    class_name = models.CharField(_("类别"), max_length=50)
    total = models.DecimalField(_("得分合计"), max_digits=12, decimal_places=2)
    full_marks = models.DecimalField(_("满分"), max_digits=12, decimal_places=2)
    score = models.DecimalField(_("百分制得分"), max_digits=8, decimal_places=2)
    rank = models.PositiveIntegerField(_("总排名"))
    class_rank = models.PositiveIntegerField(_("类别内排名"))

    class Meta:
        verbose_name = _("部门考核结果")
        verbose_name_plural = _("部门考核结果")
        ordering = ["snapshot", "rank", "department_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "department"], name="snapshot_result_once", violation_error_message=_("部门重复。")
            ),
        ]

    def __str__(self):
        return f"{self.department_name} {self.score}"


class SnapshotLine(models.Model):
    """A frozen line item, with the task's number and title as they were at closing."""

    result = models.ForeignKey(
        SnapshotResult, verbose_name=_("部门结果"), on_delete=models.CASCADE, related_name="lines"
    )
    task = models.ForeignKey(
        "tasks.Task", verbose_name=_("任务"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    task_label = models.CharField(_("任务"), max_length=600, blank=True)
    rule = models.CharField(_("规则"), max_length=20, choices=Rule.choices)
    source = models.CharField(_("依据"), max_length=12, choices=Source.choices)
    source_id = models.PositiveBigIntegerField(_("依据编号"), null=True, blank=True)
    points = models.DecimalField(_("分数"), max_digits=10, decimal_places=2)
    explanation = models.CharField(_("说明"), max_length=500)

    class Meta:
        verbose_name = _("考核明细")
        verbose_name_plural = _("考核明细")
        ordering = ["result", "id"]

    def __str__(self):
        return f"{self.get_rule_display()} {self.points}"


# --- the kept ranking: a scheme's scores worked out once, read with what changed since -----


class KeptRanking(models.Model):
    """A scheme's live scores worked out for one day (`as_of`), kept so that the ranking of a
    million tasks adds up some thousands of rows instead of scoring every task again.

    The lines are kept per task and department. Database triggers (migration 0003) mark a
    task whenever anything its lines are made from changes: the task, its plan, its
    assignments, reports, milestones and findings. A reading takes the kept sums, and for
    the tasks marked after the lines were made, takes their kept lines out and scores them
    afresh (scoring/kept.py). It is valid only for its day and for the scheme's values and
    scoring rules as they were (`rules`); otherwise the ranking is scored in full."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("考核方案"), on_delete=models.CASCADE, related_name="kept")
    as_of = models.DateField(_("计分截止日"))
    # A digest of the scheme's values, the report due day and the scoring code.
    rules = models.CharField(_("计分规则摘要"), max_length=64)
    # Which marks the lines already hold. SQLite's writers take turns: every mark up to the
    # last one's id. PostgreSQL: every mark of a transaction its snapshot (pg_current_snapshot(),
    # taken before the lines were scored) sees as committed; of the keeper's own transaction
    # (`keeper`), only those up to `last_mark`.
    snapshot = models.TextField(_("快照"), blank=True)
    keeper = models.BigIntegerField(_("事务号"), default=0)
    last_mark = models.BigIntegerField(_("最后标记"), default=0)
    built_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    seconds = models.FloatField(_("用时(秒)"), default=0)

    class Meta:
        verbose_name = _("考核得分缓存")
        verbose_name_plural = _("考核得分缓存")
        ordering = ["scheme", "-id"]
        default_permissions = ()

    def __str__(self):
        return f"{self.scheme} · {self.as_of}"


class KeptAmounts(models.Model):
    """A department's kept amounts: its scored assignments (`parts`), which alone carry full
    marks, and the points of its lines."""

    # No foreign keys: a department (or a task) may go while a kept ranking is still read;
    # the marks say so.
    department_id = models.BigIntegerField()
    parts = models.IntegerField(default=0)
    full_marks = models.DecimalField(max_digits=14, decimal_places=2)
    points = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        abstract = True
        default_permissions = ()

    def __str__(self):
        return f"{self.department_id}: {self.points} / {self.full_marks}"


class KeptLine(KeptAmounts):
    """The sum of one department's lines on one task."""

    kept = models.ForeignKey(KeptRanking, on_delete=models.CASCADE, related_name="+")
    task_id = models.BigIntegerField()

    class Meta(KeptAmounts.Meta):
        indexes = [models.Index(fields=["kept", "task_id"], name="keptline_task_idx")]


class KeptSum(KeptAmounts):
    """One department's kept lines summed."""

    kept = models.ForeignKey(KeptRanking, on_delete=models.CASCADE, related_name="sums")

    class Meta(KeptAmounts.Meta):
        constraints = [models.UniqueConstraint(fields=["kept", "department_id"], name="keptsum_once")]


class ScoreMark(models.Model):
    """A task whose scores may have changed, written by the triggers of migration 0003 (on
    PostgreSQL with the id of the transaction that wrote it, in a column Django does not
    see). Marks every kept ranking holds are removed when rankings are kept again."""

    id = models.BigAutoField(primary_key=True)
    task_id = models.BigIntegerField()

    class Meta:
        default_permissions = ()

    def __str__(self):
        return str(self.task_id)
