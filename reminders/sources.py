"""What the sweep chases. A source is a function `(today, schedule, dates, people)` giving the
reminders (`Owed`) its deadlines call for today; apps register theirs (supervision its
rectification demands, in its AppConfig.ready) and the sweep asks each in turn. The sources of
tasks/ (tasks, their steps, reports by cycle) are registered here, since tasks/ sits below
reminders/ and knows nothing of it."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, Exists, Model, OuterRef, Prefetch

from departments.choices import Role
from departments.models import Membership
from tasks.choices import ACTIVE_STATUSES, AssignmentRole, ReportStatus, TaskKind, TaskStatus
from tasks.cycles import CYCLE_MONTHS, MONTHLY, add_months
from tasks.models import Assignment, Milestone, ProgressReport, Task
from tasks.querysets import owes_report, report_cycle

from .models import Reminder
from .schedule import (
    COOPERATING,
    HEAD,
    LEAD,
    OFFICE,
    Kind,
    Rule,
    Schedule,
    acknowledgements_due,
    due_today,
    report_reminders_due,
)


@dataclass
class Owed:
    task: Task | None
    milestone: Milestone | None
    rule: Rule
    recipient_id: int
    deadline: date
    department_id: int | None = None
    # For a department's reports, what is owed ("2026年11月有3项牵头任务未报送进展").
    message: str = ""
    # What a registered source chases, e.g. a rectification demand (整改要求) of a finding.
    subject: Model | None = None

    def reminder(self, today: date) -> Reminder:
        return Reminder(
            task=self.task,
            milestone=self.milestone,
            department_id=self.department_id,
            subject=self.subject,
            rule=self.rule,
            recipient_id=self.recipient_id,
            deadline=self.deadline,
            due_on=today,
            message=self.message,
        )


@dataclass(frozen=True)
class People:
    """Active accounts by department: staff and heads, heads alone, and the office."""

    staff: dict = field(default_factory=lambda: defaultdict(list))
    heads: dict = field(default_factory=lambda: defaultdict(list))
    office: list = field(default_factory=list)


def people() -> People:
    known = People()
    for department_id, user_id, role in Membership.objects.filter(user__is_active=True).values_list(
        "department_id", "user_id", "role"
    ):
        if role in (Role.STAFF, Role.HEAD):
            known.staff[department_id].append(user_id)
        if role == Role.HEAD:
            known.heads[department_id].append(user_id)
        if role == Role.OFFICE:
            known.office.append(user_id)
    return known


Source = Callable[[date, Schedule, list[date], People], list[Owed]]
_SOURCES: list[Source] = []


def register(source: Source) -> Source:
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def sources() -> tuple[Source, ...]:
    return tuple(_SOURCES)


def _audience(task: Task, who: tuple[str, ...], known: People, own_department=None) -> set[int]:
    users: set[int] = set()
    for assignment in task.assignments.all():
        if own_department is not None and assignment.department_id != own_department:
            continue
        if LEAD in who and assignment.is_lead:
            users.update(known.staff[assignment.department_id])
        if COOPERATING in who and assignment.is_cooperating:
            users.update(known.staff[assignment.department_id])
        if HEAD in who and assignment.is_lead:
            # A department without a head's account: the escalation reaches its staff.
            users.update(known.heads[assignment.department_id] or known.staff[assignment.department_id])
    if OFFICE in who:
        users.update(known.office)
    return users


# Only what the rules read: a sweep may hold thousands of these.
def _people_of_tasks() -> Prefetch:
    return Prefetch("assignments", queryset=Assignment.objects.only("task_id", "department_id", "role"))


def task_deadlines(today: date, plan: Schedule, dates: list[date], known: People) -> list[Owed]:
    owed = []
    tasks = (
        Task.objects.filter(kind=TaskKind.TASK, status__in=ACTIVE_STATUSES, deadline__in=dates)
        .only("pk", "deadline")
        .prefetch_related(_people_of_tasks())
    )
    for task in tasks:
        for due in due_today(task.deadline, today, plan):
            users = _audience(task, due.audience, known)
            owed += [Owed(task, None, due.rule, user, task.deadline) for user in sorted(users)]
    return owed


def milestone_deadlines(today: date, plan: Schedule, dates: list[date], known: People) -> list[Owed]:
    owed = []
    milestones = (
        Milestone.objects.filter(
            done_on__isnull=True, deadline__in=dates, task__status__in=ACTIVE_STATUSES, task__kind=TaskKind.TASK
        )
        .select_related("task")
        .only("pk", "deadline", "department_id", "task__id")
        .prefetch_related(Prefetch("task__assignments", queryset=_people_of_tasks().queryset))
    )
    for milestone in milestones:
        for due in due_today(milestone.deadline, today, plan):
            if due.rule.kind not in (Kind.BEFORE, Kind.OVERDUE):
                continue  # escalation is the task's, not each step's
            users = _audience(milestone.task, (LEAD,), known, own_department=milestone.department_id)
            owed += [Owed(milestone.task, milestone, due.rule, user, milestone.deadline) for user in sorted(users)]
    return owed


def reports_owed(today: date, plan: Schedule, dates: list[date], known: People) -> list[Owed]:
    """A lead department still owing reports for a period is reminded once for all its
    tasks (one message saying how many), the day after the due day and again later.
    Asked only on those days, one grouped query per cycle due."""
    owed = []
    for due in report_reminders_due(
        today, settings.PORTAL["REPORT_DUE_DAY"], settings.PORTAL["REPORT_REMIND_AGAIN_AFTER"]
    ):
        missing = (
            Task.objects.tracked()
            .filter(owes_report(due.period), status__in=ACTIVE_STATUSES, created_at__date__lte=due.due)
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
                for user in sorted(known.staff[row["department_id"]])
            ]
    return owed


def acknowledgements_owed(today: date, plan: Schedule, dates: list[date], known: People) -> list[Owed]:
    """A task not acknowledged (签收) by its 签收时限: its lead's staff are reminded, then its
    head; it stays on the office's list of 超时未签收 (TaskQuerySet.acknowledge_late_q)."""
    due = acknowledgements_due(today, settings.PORTAL["ACKNOWLEDGE_ESCALATE_AFTER"], plan.overrides)
    if not due:
        return []
    tasks = (
        Task.objects.filter(kind=TaskKind.TASK, status=TaskStatus.ASSIGNED, acknowledge_by__in=list(due))
        .only("pk", "acknowledge_by")
        .prefetch_related(_people_of_tasks())
    )
    owed = []
    for task in tasks:
        for rule in due[task.acknowledge_by]:
            users = sorted(_audience(task, rule.audience, known))
            owed += [Owed(task, None, rule.rule, user, task.acknowledge_by) for user in users]
    return owed


def register_builtin() -> None:
    for source in (task_deadlines, milestone_deadlines, reports_owed, acknowledgements_owed):
        register(source)
