"""The daily sweep (催办): who is owed which reminder today, recorded once, sent once."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils import timezone

from departments.choices import Role
from departments.models import Membership

from .. import rules
from ..choices import ACTIVE_STATUSES, AssignmentRole, EventKind, NotificationKind, ReportStatus, TaskKind
from ..models import Assignment, Milestone, Notification, ProgressReport, Reminder, Task, TaskEvent
from ..querysets import report_cycle
from ..queueing import enqueue_on_commit
from ..reminders.rules import (
    COOPERATING,
    CYCLE_MONTHS,
    HEAD,
    LEAD,
    MONTHLY,
    OFFICE,
    Schedule,
    add_months,
    deadlines_due,
    due_today,
    report_reminders_due,
)
from .notifications import notifications_create


def schedule() -> Schedule:
    configured = settings.PORTAL.get("REMINDERS", {})
    return Schedule(**configured) if configured else Schedule()


@dataclass
class Owed:
    task: Task | None
    milestone: Milestone | None
    rule: str
    recipient_id: int
    deadline: date
    department_id: int | None = None
    # For a department's reports, what is owed ("2026年11月有3项牵头任务未报送进展").
    message: str = ""
    # A rectification demand (整改要求) of a supervision finding.
    demand_id: int | None = None

    @property
    def target(self) -> str:
        if self.demand_id:
            return f"demand:{self.demand_id}"
        if self.milestone:
            return f"milestone:{self.milestone.pk}"
        return f"task:{self.task.pk}" if self.task else f"department:{self.department_id}"


def _people() -> tuple[dict, dict, list[int]]:
    """Staff and heads by department, heads by department, and the office."""
    staff, heads, office = defaultdict(list), defaultdict(list), []
    for department_id, user_id, role in Membership.objects.filter(user__is_active=True).values_list(
        "department_id", "user_id", "role"
    ):
        if role in (Role.STAFF, Role.HEAD):
            staff[department_id].append(user_id)
        if role == Role.HEAD:
            heads[department_id].append(user_id)
        if role == Role.OFFICE:
            office.append(user_id)
    return staff, heads, office


def owed_today(today: date, plan: Schedule | None = None) -> list[Owed]:
    """Every reminder today's deadlines call for, to every person it is for."""
    plan = plan or schedule()
    dates = deadlines_due(today, plan)
    staff, heads, office = _people()
    owed: list[Owed] = []

    def audience(task: Task, who: tuple[str, ...], own_department=None) -> set[int]:
        users: set[int] = set()
        for assignment in task.assignments.all():
            if own_department is not None and assignment.department_id != own_department:
                continue
            if LEAD in who and assignment.role == AssignmentRole.LEAD:
                users.update(staff[assignment.department_id])
            if COOPERATING in who and assignment.role == AssignmentRole.COOPERATING:
                users.update(staff[assignment.department_id])
            if HEAD in who and assignment.role == AssignmentRole.LEAD:
                # A department without a head's account: the escalation reaches its staff.
                users.update(heads[assignment.department_id] or staff[assignment.department_id])
        if OFFICE in who:
            users.update(office)
        return users

    # Only what the rules read: a sweep may hold thousands of these.
    people = Prefetch("assignments", queryset=Assignment.objects.only("task_id", "department_id", "role"))
    tasks = (
        Task.objects.filter(kind=TaskKind.TASK, status__in=ACTIVE_STATUSES, deadline__in=dates)
        .only("pk", "deadline")
        .prefetch_related(people)
    )
    for task in tasks:
        for due in due_today(task.deadline, today, plan):
            owed += [Owed(task, None, due.rule, user, task.deadline) for user in sorted(audience(task, due.audience))]
    milestones = (
        Milestone.objects.filter(
            done_on__isnull=True, deadline__in=dates, task__status__in=ACTIVE_STATUSES, task__kind=TaskKind.TASK
        )
        .select_related("task")
        .only("pk", "deadline", "department_id", "task__id")
        .prefetch_related(Prefetch("task__assignments", queryset=people.queryset))
    )
    for milestone in milestones:
        for due in due_today(milestone.deadline, today, plan):
            if not due.rule.startswith(("before:", "overdue:")):
                continue  # escalation is the task's, not each step's
            users = audience(milestone.task, (LEAD,), own_department=milestone.department_id)
            owed += [Owed(milestone.task, milestone, due.rule, user, milestone.deadline) for user in sorted(users)]
    return owed + reports_owed(today, staff) + demands_owed(today, plan, dates, staff, heads, office)


def demands_owed(today: date, plan: Schedule, dates: list[date], staff, heads, office) -> list[Owed]:
    """Rectification demands (整改要求) are chased like deadlines: before and on the due
    date and when overdue to the responsible department, then its head, then the office.
    A demand the department has reported on waits for the office, not for a reminder."""
    from supervision.choices import DemandStatus
    from supervision.models import RectificationDemand

    owed = []
    demands = RectificationDemand.objects.filter(status=DemandStatus.OPEN, due_date__in=dates).select_related(
        "finding__task"
    )
    for demand in demands.only("pk", "due_date", "department_id", "finding__task__id", "finding__task__title"):
        for due in due_today(demand.due_date, today, plan):
            if due.rule == "escalate:head":
                users = heads[demand.department_id] or staff[demand.department_id]
            elif due.rule == "escalate:office":
                users = office
            else:
                users = staff[demand.department_id]
            owed += [
                Owed(demand.finding.task, None, due.rule, user, demand.due_date, demand_id=demand.pk)
                for user in sorted(set(users))
            ]
    return owed


def reports_owed(today: date, staff: dict) -> list[Owed]:
    """A lead department still owing reports for a period is reminded once for all its
    tasks (one message saying how many), the day after the due day and again later.
    Asked only on those days, one grouped query per cycle due."""
    owed = []
    for due in report_reminders_due(
        today, settings.PORTAL["REPORT_DUE_DAY"], settings.PORTAL["REPORT_REMIND_AGAIN_AFTER"]
    ):
        missing = (
            Task.objects.tracked()
            .filter(status__in=ACTIVE_STATUSES, created_at__date__lte=due.due)
            .annotate(cycle=report_cycle())
            .filter(cycle=due.cycle)
        )
        by_department = (
            Assignment.objects.filter(role=AssignmentRole.LEAD, task__in=missing)
            .exclude(
                Exists(
                    ProgressReport.objects.filter(
                        task=OuterRef("task"),
                        department=OuterRef("department"),
                        period__gte=due.period,
                        period__lt=add_months(due.period, CYCLE_MONTHS[due.cycle]),
                        status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED],
                    )
                )
            )
            .values("department_id")
            .annotate(tasks=Count("task_id", distinct=True))
            .order_by("department_id")
        )
        period = (
            f"{due.period.year}年{due.period.month}月"
            if due.cycle == MONTHLY
            else f"{due.period.year}年第{(due.period.month - 1) // 3 + 1}季度"
        )
        for row in by_department:
            message = f"{period}尚有{row['tasks']}项牵头任务未报送进展（截止{due.due}）"
            owed += [
                Owed(None, None, due.rule, user, due.due, department_id=row["department_id"], message=message)
                for user in sorted(staff[row["department_id"]])
            ]
    return owed


@transaction.atomic
def reminders_sweep(*, today: date | None = None, queue: bool = True) -> tuple[list[Reminder], list[int]]:
    """Record the reminders owed today that are not yet recorded, note escalations on the
    task, and (after commit) queue the sending of every reminder not yet sent, including
    any a lost message left behind. Returns (new reminders, ids to send)."""
    today = today or timezone.localdate()
    owed = owed_today(today)
    existing = set(
        Reminder.objects.filter(target__in={o.target for o in owed}).values_list(
            "target", "rule", "recipient_id", "deadline"
        )
    )
    new = [
        Reminder(
            task=o.task,
            milestone=o.milestone,
            department_id=o.department_id,
            target=o.target,
            rule=o.rule,
            recipient_id=o.recipient_id,
            deadline=o.deadline,
            due_on=today,
            message=o.message,
        )
        for o in owed
        if (o.target, o.rule, o.recipient_id, o.deadline) not in existing
    ]
    Reminder.objects.bulk_create(new, ignore_conflicts=True)
    escalated = {(r.task_id, r.rule) for r in new if r.rule.startswith("escalate:") and r.target.startswith("task:")}
    TaskEvent.objects.bulk_create(
        TaskEvent(
            task_id=task_id,
            kind=EventKind.REMINDER,
            summary="逾期升级至部门负责人" if rule == "escalate:head" else "逾期升级至政府办督办",
        )
        for task_id, rule in sorted(escalated)
    )
    unsent = list(Reminder.objects.filter(sent_at__isnull=True, due_on__lte=today).values_list("pk", flat=True))
    if queue and unsent:
        from ..tasks import send_reminders

        enqueue_on_commit(send_reminders, unsent)
    return new, unsent


_TITLES = {
    "before:0": "今天到期",
    "overdue": "已逾期",
    "escalate:head": "逾期升级：请部门负责人督促",
    "escalate:office": "逾期升级：请政府办督办",
}


def _title(reminder: Reminder) -> str:
    rule = reminder.rule
    if rule.startswith("report"):
        again = "（再次提醒）" if rule.startswith("report-again") else ""
        return f"报送提醒{again}：{reminder.message}"
    if rule.startswith("manual:"):
        return f"政府办催办：“{reminder.task.title[:30]}”"
    if reminder.target.startswith("demand:"):
        subject = f"“{reminder.task.title[:24]}”的整改要求"
        if rule.startswith("before:") and rule != "before:0":
            return f"整改催办：{subject}还有{rule.split(':')[1]}天到期（{reminder.deadline}）"
        if rule.startswith("overdue:"):
            return f"整改催办：{subject}已逾期{rule.split(':')[1]}天（时限{reminder.deadline}）"
        return f"整改催办：{subject}{_TITLES.get(rule, '')}（时限{reminder.deadline}）"
    subject = f"进度节点“{reminder.milestone.text[:20]}”" if reminder.milestone else f"“{reminder.task.title[:30]}”"
    if rule.startswith("before:") and rule != "before:0":
        return f"催办：{subject}还有{rule.split(':')[1]}天到期（{reminder.deadline}）"
    if rule.startswith("overdue:"):
        return f"催办：{subject}已逾期{rule.split(':')[1]}天（时限{reminder.deadline}）"
    return f"催办：{subject}{_TITLES.get(rule, '')}（时限{reminder.deadline}）"


def _url(reminder: Reminder, task_list: str) -> str:
    if reminder.target.startswith("demand:"):
        return reverse("supervision:demand", args=[int(reminder.target.split(":")[1])])
    # The task page's address, without resolving a URL per reminder.
    return f"{task_list}{reminder.task_id}/" if reminder.task_id else f"{task_list}?report_late=true"


def _notification(reminder: Reminder, task_list: str) -> Notification:
    manual = reminder.rule.startswith("manual:")
    return Notification(
        recipient_id=reminder.recipient_id,
        kind=NotificationKind.URGE if manual else NotificationKind.REMINDER,
        title=_title(reminder)[:200],
        body=reminder.message if manual else "",
        url=_url(reminder, task_list),
        task_id=reminder.task_id,
    )


_SENT_FIELDS = ("pk", "task_id", "milestone_id", "target", "rule", "recipient_id", "deadline", "message")


@transaction.atomic
def reminders_send(ids: list[int]) -> int:
    """Deliver the given reminders not yet sent, each once. Locked rows are another
    worker's; a reminder sent already is skipped, so a redelivered message sends nothing."""
    pending = (
        Reminder.objects.filter(pk__in=ids, sent_at__isnull=True)
        .select_related("task", "milestone")
        .only(*_SENT_FIELDS, "task__title", "milestone__text")
    )
    if connection.features.has_select_for_update_skip_locked:
        pending = pending.select_for_update(skip_locked=True, of=("self",))
    pending = list(pending)
    task_list = reverse("tasks:list")
    notifications_create([_notification(r, task_list) for r in pending])
    Reminder.objects.filter(pk__in=[r.pk for r in pending]).update(sent_at=timezone.now())
    return len(pending)


@transaction.atomic
def task_urge(*, task: Task, by, message: str, cooperating: bool = False) -> list[Reminder]:
    """The office's own 催办 from a task page: its words go at once to the lead
    department's staff and head (and the co-operating departments' if asked), through
    their channels, and the task's history records who urged whom and what was said."""
    rules.require(rules.can_urge(by, task), "只有政府办可以对在办任务催办。")
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": "请填写催办内容。"})
    if len(message) > 1000:
        raise ValidationError({"message": "催办内容不能超过1000字。"})
    roles = [AssignmentRole.LEAD] + ([AssignmentRole.COOPERATING] if cooperating else [])
    departments = list(
        task.assignments.filter(role__in=roles)
        .select_related("department")
        .prefetch_related("department__aliases")
        .order_by("role", "order")
    )
    staff, _, _ = _people()
    recipients = sorted({user for a in departments for user in staff[a.department_id]})
    if not recipients:
        raise ValidationError("责任单位暂无可接收催办的人员。")
    now = timezone.now()
    rule = f"manual:{now:%Y%m%d%H%M%S%f}"
    reminders = Reminder.objects.bulk_create(
        Reminder(
            task=task,
            target=f"task:{task.pk}",
            rule=rule,
            recipient_id=user,
            deadline=task.deadline or timezone.localdate(),
            due_on=timezone.localdate(),
            message=message,
            sent_by=by,
        )
        for user in recipients
    )
    names = "、".join(dict.fromkeys(a.department.short_name for a in departments))
    TaskEvent.objects.create(
        task=task, actor=by, kind=EventKind.REMINDER, summary=f"政府办催办（{names}）：{message[:200]}"
    )
    ids = [r.pk for r in reminders]
    from ..tasks import send_reminders

    enqueue_on_commit(send_reminders, ids)
    return reminders
