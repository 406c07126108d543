from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from departments.models import Department

from ..choices import AssignmentRole, Comparison, DeadlinePrecision, LeadMode, ReportCycle, TaskKind, TaskStatus
from ..querysets import AssignmentQuerySet, TaskQuerySet


class Task(models.Model):
    """A node of a plan's task tree: a heading (section) or a tracked task."""

    plan = models.ForeignKey("tasks.Plan", verbose_name=_("方案"), on_delete=models.PROTECT, related_name="tasks")
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    order = models.PositiveIntegerField(_("序位"), default=0)
    # Document order across the whole tree ("0002.0001"): one ORDER BY lists a plan as printed.
    sort_key = models.CharField(_("排序键"), max_length=100, db_index=True, editable=False)
    number = models.CharField(_("编号"), max_length=20, blank=True, help_text=_("原文编号，如“(一)”“1.”。"))
    # 督办编号 of an item from the office's registers, e.g. 批〔2026〕15号 (matters/numbering).
    code = models.CharField(_("督办编号"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=10, choices=TaskKind.choices, default=TaskKind.TASK)
    title = models.CharField(_("标题"), max_length=500)
    text = models.TextField(_("任务内容"), blank=True)
    category = models.CharField(_("类别"), max_length=50, blank=True)
    weight = models.DecimalField(_("分值"), max_digits=6, decimal_places=2, null=True, blank=True)
    deliverable = models.CharField(_("成果形式"), max_length=300, blank=True)
    responsibility = models.CharField(_("责任表述"), max_length=500, blank=True, help_text=_("原文中的分工表述。"))
    lead_mode = models.CharField(_("牵头方式"), max_length=10, choices=LeadMode.choices, default=LeadMode.SOLE)
    related_departments = models.BooleanField(
        _("含“有关部门”"), default=False, help_text=_("原文写有“有关部门”等，牵头单位须另行明确具体配合单位。")
    )
    start_date = models.DateField(_("开始日期"), null=True, blank=True)
    deadline = models.DateField(_("完成时限"), null=True, blank=True, db_index=True)
    deadline_phrase = models.CharField(_("时限原文"), max_length=200, blank=True)
    deadline_precision = models.CharField(
        _("时限精度"), max_length=12, choices=DeadlinePrecision.choices, default=DeadlinePrecision.UNKNOWN
    )
    # The deadline the plan set, kept when an approved extension moves `deadline`.
    original_deadline = models.DateField(_("原定时限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=24, choices=TaskStatus.choices, default=TaskStatus.DRAFT)
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    completed_on = models.DateField(_("办结日期"), null=True, blank=True)
    # The day the office gave the task out (交办): reports are owed from the first full
    # reporting period after it (tasks.obligations). Empty on tasks given out before the
    # portal recorded it; those owe every period, as they always did.
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    # 签收时限: the lead department acknowledges by this day, or is reminded and escalated.
    acknowledge_by = models.DateField(_("签收时限"), null=True, blank=True, db_index=True)
    report_cycle = models.CharField(
        _("报送周期"),
        max_length=10,
        choices=ReportCycle.choices,
        blank=True,
        help_text=_("留空则按所属方案的报送周期。"),
    )
    # Kept by database triggers (migration 0014) from the reports and assignments: the
    # report lights read it instead of searching every task's reports.
    reported_through = models.DateField(
        _("最近已报送期"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("牵头单位已报送（或已采纳）报告的最近报告期，由数据库触发器维护。"),
    )
    # Kept by database triggers (migration 0020) from the reports and requests: 待审.
    waiting = models.BooleanField(
        _("待审"),
        default=False,
        editable=False,
        help_text=_("有报告已报送待审核，或有延期、办结、参与申请待审批，由数据库触发器维护。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    departments = models.ManyToManyField(
        Department, through="tasks.Assignment", related_name="tasks", verbose_name=_("责任单位")
    )

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        ordering = ["plan", "sort_key"]
        indexes = [
            models.Index(fields=["plan", "sort_key"], name="task_plan_sort_idx"),
            models.Index(fields=["status", "deadline"], name="task_status_deadline_idx"),
            # The overview's trend reads the tasks completed in its last twelve weeks.
            models.Index(
                fields=["completed_on"], condition=models.Q(status=TaskStatus.COMPLETED), name="task_completed_on_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100),
                name="task_progress_0_100",
                violation_error_message=_("进度须在0到100之间。"),
            ),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(deadline__isnull=True)
                | models.Q(start_date__lte=models.F("deadline")),
                name="task_start_not_after_deadline",
                violation_error_message=_("开始日期不能晚于完成时限。"),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=TaskStatus.values),
                name="task_status_valid",
                violation_error_message=_("任务状态无效。"),
            ),
            models.CheckConstraint(
                condition=models.Q(kind=TaskKind.TASK) | models.Q(status=TaskStatus.DRAFT),
                name="task_section_stays_draft",
                violation_error_message=_("章节标题不能交办。"),
            ),
            models.CheckConstraint(
                condition=~models.Q(status=TaskStatus.COMPLETED) | models.Q(completed_on__isnull=False),
                name="task_completed_has_date",
                violation_error_message=_("已办结的任务须有办结日期。"),
            ),
            models.CheckConstraint(
                condition=models.Q(weight__isnull=True) | models.Q(weight__gte=0),
                name="task_weight_not_negative",
                violation_error_message=_("分值不能为负数。"),
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=~models.Q(code=""),
                name="task_code_unique",
                violation_error_message=_("督办编号已被使用。"),
            ),
            models.UniqueConstraint(
                fields=["plan", "sort_key"],
                name="task_unique_position",
                violation_error_message=_("同一方案中任务位置重复。"),
            ),
        ]

    def __str__(self):
        return f"{self.number}{self.title}" if self.number else self.title

    # Facts the database triggers keep from other rows (migrations 0014 and 0020).
    KEPT_BY_TRIGGERS = frozenset({"reported_through", "waiting"})

    def save(self, *args, **kwargs):
        """An existing task is saved without the facts triggers keep: the values this object
        read may be stale by now (a report submitted meanwhile), and writing them back would
        undo the triggers' work."""
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.KEPT_BY_TRIGGERS
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("tasks:detail", args=[self.pk])

    @property
    def is_section(self) -> bool:
        return self.kind == TaskKind.SECTION

    # Read from the prefetched assignments when the list has them (no query per task);
    # in a query, Assignment.objects.leads() / .cooperating().
    def lead_assignments(self) -> list["Assignment"]:
        return [a for a in self.assignments.all() if a.is_lead]

    def cooperating_assignments(self) -> list["Assignment"]:
        return [a for a in self.assignments.all() if a.is_cooperating]

    def lead_departments(self) -> list[Department]:
        return [a.department for a in self.lead_assignments()]

    def cooperating_departments(self) -> list[Department]:
        return [a.department for a in self.cooperating_assignments()]


class Assignment(models.Model):
    """A department's part in a task: lead (牵头) or co-operating (配合)."""

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey(
        Department, verbose_name=_("部门"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("职责"), max_length=12, choices=AssignmentRole.choices)
    order = models.PositiveSmallIntegerField(_("序位"), default=0)
    assigned_at = models.DateTimeField(_("交办时间"), auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("任务分工")
        verbose_name_plural = _("任务分工")
        ordering = ["task", "role", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "department"],
                name="assignment_one_role_per_department",
                violation_error_message=_("同一部门在一项任务中只能有一个职责。"),
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=AssignmentRole.values),
                name="assignment_role_valid",
                violation_error_message=_("职责无效。"),
            ),
        ]
        indexes = [models.Index(fields=["department", "role"], name="assignment_dept_role_idx")]

    def __str__(self):
        return f"{self.department} · {self.get_role_display()}"

    @property
    def is_lead(self) -> bool:
        return self.role == AssignmentRole.LEAD

    @property
    def is_cooperating(self) -> bool:
        return self.role == AssignmentRole.COOPERATING


class Milestone(models.Model):
    """A dated step of a task (进度节点), from the plan or from the lead's own breakdown."""

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveSmallIntegerField(_("序位"), default=0)
    text = models.TextField(_("内容"))
    deadline = models.DateField(_("时限"), null=True, blank=True)
    deadline_phrase = models.CharField(_("时限原文"), max_length=200, blank=True)
    deadline_precision = models.CharField(
        _("时限精度"), max_length=12, choices=DeadlinePrecision.choices, default=DeadlinePrecision.UNKNOWN
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("责任部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="milestones",
    )
    responsible_person = models.CharField(_("责任人"), max_length=50, blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("进度节点")
        verbose_name_plural = _("进度节点")
        ordering = ["task", "order", "id"]
        indexes = [models.Index(fields=["deadline", "done_on"], name="milestone_deadline_idx")]

    def __str__(self):
        return self.text[:40]


# An indicator's figures: a government reports yuan amounts of ten digits and more, so
# sixteen digits before the point and four after (percentages, ratios).
INDICATOR_DIGITS = {"max_digits": 20, "decimal_places": 4}


class Indicator(models.Model):
    """A quantitative target of a task (指标), e.g. 进驻率 ≥ 85%."""

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("指标名称"), max_length=200)
    target = models.DecimalField(_("目标值"), **INDICATOR_DIGITS)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    comparison = models.CharField(_("比较"), max_length=3, choices=Comparison.choices, default=Comparison.GTE)

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["task", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(comparison__in=Comparison.values),
                name="indicator_comparison_valid",
                violation_error_message=_("比较方式无效。"),
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.get_comparison_display()} {self.target.normalize()}{self.unit}"


class IndicatorValue(models.Model):
    """A value of an indicator as reported at a date."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="values")
    report = models.ForeignKey(
        "tasks.ProgressReport",
        verbose_name=_("进展报告"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicator_values",
    )
    value = models.DecimalField(_("数值"), **INDICATOR_DIGITS)
    recorded_on = models.DateField(_("日期"))

    class Meta:
        verbose_name = _("指标值")
        verbose_name_plural = _("指标值")
        ordering = ["indicator", "-recorded_on", "-id"]

    def __str__(self):
        return f"{self.indicator.name}: {self.value.normalize()}"
