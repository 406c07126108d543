from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from tasks.choices import ReportCycle

from .choices import RULE_KINDS
from .schedule import Kind, Rule

# What a reminder is about: the most specific of these that is set. A milestone's and a
# demand's reminders also carry their task (the notification links it, the title names it).
NO_SUBJECT = Q(subject_type__isnull=True, subject_id__isnull=True)
SUBJECT = Q(subject_type__isnull=False, subject_id__isnull=False, milestone__isnull=True, department__isnull=True)
MILESTONE = NO_SUBJECT & Q(milestone__isnull=False, task__isnull=False, department__isnull=True)
DEPARTMENT = NO_SUBJECT & Q(milestone__isnull=True, task__isnull=True, department__isnull=False)
TASK = NO_SUBJECT & Q(milestone__isnull=True, department__isnull=True, task__isnull=False)
# The kinds that count days (before and overdue), as the plain values a migration records.
COUNTING_DAYS = [Kind.BEFORE.value, Kind.OVERDUE.value]


def _once(name: str, *target: str, condition: Q) -> models.UniqueConstraint:
    # The same rule about the same deadline reaches a person once: a second sweep, or a
    # redelivered message, finds the row already there (the sweep inserts ignoring
    # conflicts). One partial index per kind of target, since a NULL column would make every
    # row distinct; for the same reason days without a number count as -1. The office's own
    # 催办 may be repeated at will.
    return models.UniqueConstraint(
        *target,
        "kind",
        Coalesce("days", -1, output_field=models.IntegerField()),
        "cycle",
        "recipient",
        "deadline",
        name=name,
        condition=condition & ~Q(kind=Kind.MANUAL.value),
        violation_error_message=_("同一规则对同一时限的催办只发给同一人一次。"),
    )


class Reminder(models.Model):
    """One reminder (催办) owed to one person about one deadline. The database, not the
    broker, knows what is owed and what was sent: a reminder is never sent twice for the
    same deadline, and one not yet sent is sent by the next sweep."""

    task = models.ForeignKey(
        "tasks.Task",
        verbose_name=_("任务"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    milestone = models.ForeignKey(
        "tasks.Milestone",
        verbose_name=_("进度节点"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    # A department's reports due for a period are one reminder, not one per task.
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # What another app registers as a source of the sweep (supervision's rectification
    # demands): a generic relation, since reminders/ sits below those apps and may not
    # import their models, nor hold a foreign key to each.
    subject_type = models.ForeignKey(
        ContentType,
        verbose_name=_("催办对象类型"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_id = models.PositiveBigIntegerField(_("催办对象编号"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    # The rule (schedule.Rule) as its three values.
    kind = models.CharField(_("规则"), max_length=20, choices=RULE_KINDS)
    days = models.PositiveSmallIntegerField(_("天数"), null=True, blank=True)
    cycle = models.CharField(_("报送周期"), max_length=10, choices=ReportCycle.choices, blank=True, default="")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="reminders"
    )
    deadline = models.DateField(_("所催时限"))
    due_on = models.DateField(_("催办日期"))
    # The office's own words, for a manual 催办; the rest say what the rule says.
    message = models.TextField(_("催办内容"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("催办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        db_table = "tasks_reminder"  # the table keeps the name it had in tasks/
        verbose_name = _("催办记录")
        verbose_name_plural = _("催办记录")
        ordering = ["-due_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=SUBJECT | MILESTONE | DEPARTMENT | TASK,
                name="reminder_one_target",
                violation_error_message=_("催办记录只能针对一个对象：任务、进度节点、部门或登记的催办对象之一。"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=COUNTING_DAYS, days__isnull=False)
                | (~Q(kind__in=COUNTING_DAYS) & Q(days__isnull=True)),
                name="reminder_days_of_its_rule",
                violation_error_message=_("只有到期前和逾期提醒带天数。"),
            ),
            _once("reminder_once_task", "task", condition=TASK),
            _once("reminder_once_milestone", "milestone", condition=MILESTONE),
            _once("reminder_once_department", "department", condition=DEPARTMENT),
            _once("reminder_once_subject", "subject_type", "subject_id", condition=SUBJECT),
        ]
        indexes = [models.Index(fields=["sent_at", "due_on"], name="reminder_unsent_idx")]

    def __str__(self):
        return f"{self.target_label} {self.rule} → {self.recipient_id}"

    @property
    def rule(self) -> Rule:
        return Rule(self.kind, self.days, self.cycle)

    @rule.setter
    def rule(self, rule: Rule) -> None:
        self.kind, self.days, self.cycle = rule.kind, rule.days, rule.cycle

    @property
    def target(self):
        """What the reminder is about: its registered subject, step, department or task."""
        return self.subject or self.milestone or self.department or self.task

    @property
    def target_is_task(self) -> bool:
        return not (self.subject_type_id or self.milestone_id or self.department_id)

    @property
    def target_label(self) -> str:
        """What the reminder is about, for the admin and the sweep's command ("任务12")."""
        if self.subject_type_id:
            return f"{ContentType.objects.get_for_id(self.subject_type_id).name}{self.subject_id}"
        if self.milestone_id:
            return f"进度节点{self.milestone_id}"
        if self.department_id:
            return f"部门{self.department_id}"
        return f"任务{self.task_id}"
