"""What the sweep chases. A source is a function `(today, schedule, dates, people)` giving the
reminders (`Owed`) its deadlines call for today; apps register theirs (supervision its
rectification demands, in its AppConfig.ready) and the sweep asks each in turn. The sources of
tasks/ (tasks, their steps, reports by cycle) are registered here, since tasks/ sits below
reminders/ and knows nothing of it."""

import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, Exists, Model, OuterRef

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
    # Ids, not instances: a sweep over a province's deadlines owes tens of thousands.
    task_id: int | None
    milestone_id: int | None
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
            task_id=self.task_id,
            milestone_id=self.milestone_id,
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


def _audience(parts: list[tuple[int, str]], who: tuple[str, ...], known: People, own_department=None) -> set[int]:
    """The people `who` names among a task's parts, (department id, role) pairs."""
    users: set[int] = set()
    for department_id, role in parts:
        if own_department is not None and department_id != own_department:
            continue
        if LEAD in who and role == AssignmentRole.LEAD:
            users.update(known.staff[department_id])
        if COOPERATING in who and role == AssignmentRole.COOPERATING:
            users.update(known.staff[department_id])
        if HEAD in who and role == AssignmentRole.LEAD:
            # A department without a head's account: the escalation reaches its staff.
            users.update(known.heads[department_id] or known.staff[department_id])
    if OFFICE in who:
        users.update(known.office)
    return users


def _parts_of(tasks) -> dict[int, list[tuple[int, str]]]:
    """Each of `tasks`' (a queryset of ids) departments and roles, as plain rows: at a million
    tasks a sweep reads some 200 000 of them, and model instances cost seconds. Asked only
    when there are tasks, as a prefetch would be."""
    parts = defaultdict(list)
    for task_id, department_id, role in Assignment.objects.filter(task__in=tasks).values_list(
        "task_id", "department_id", "role"
    ):
        parts[task_id].append((department_id, role))
    return parts


def _by_deadline(today: date, plan: Schedule):
    """due_today, worked out once per deadline: tens of thousands of tasks share the few
    dozen deadlines the sweep asks for, and each answer counts working days."""
    return functools.cache(lambda deadline: due_today(deadline, today, plan))


def task_deadlines(today: date, plan: Schedule, dates: list[date], known: People) -> list[Owed]:
    owed = []
    tasks = Task.objects.filter(kind=TaskKind.TASK, status__in=ACTIVE_STATUSES, deadline__in=dates)
    rows = list(tasks.values_list("pk", "deadline"))
    parts = _parts_of(tasks.values("pk")) if rows else {}
    due_on = _by_deadline(today, plan)
    for task_id, deadline in rows:
        for due in due_on(deadline):
            users = _audience(parts[task_id], due.audience, known)
            owed += [Owed(task_id, None, due.rule, user, deadline) for user in sorted(users)]
    return owed


def milestone_deadlines(today: date, plan: Schedule, dates: list[date], known: People) -> list[Owed]:
    owed = []
    milestones = Milestone.objects.filter(
        done_on__isnull=True, deadline__in=dates, task__status__in=ACTIVE_STATUSES, task__kind=TaskKind.TASK
    )
    rows = list(milestones.values_list("pk", "task_id", "department_id", "deadline"))
    parts = _parts_of(milestones.values("task_id")) if rows else {}
    due_on = _by_deadline(today, plan)
    for milestone_id, task_id, department_id, deadline in rows:
        for due in due_on(deadline):
            if due.rule.kind not in (Kind.BEFORE, Kind.OVERDUE):
                continue  # escalation is the task's, not each step's
            users = _audience(parts[task_id], (LEAD,), known, own_department=department_id)
            owed += [Owed(task_id, milestone_id, due.rule, user, deadline) for user in sorted(users)]
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
    tasks = Task.objects.filter(kind=TaskKind.TASK, status=TaskStatus.ASSIGNED, acknowledge_by__in=list(due))
    rows = list(tasks.values_list("pk", "acknowledge_by"))
    parts = _parts_of(tasks.values("pk")) if rows else {}
    owed = []
    for task_id, acknowledge_by in rows:
        for rule in due[acknowledge_by]:
            users = sorted(_audience(parts[task_id], rule.audience, known))
            owed += [Owed(task_id, None, rule.rule, user, acknowledge_by) for user in users]
    return owed


def register_builtin() -> None:
    for source in (task_deadlines, milestone_deadlines, reports_owed, acknowledgements_owed):
        register(source)
