"""The daily sweep (催办): who is owed which reminder today, recorded once, sent once."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from departments.choices import Role
from departments.models import Membership

from ..choices import ACTIVE_STATUSES, AssignmentRole, EventKind, NotificationKind, TaskKind
from ..models import Milestone, Notification, Reminder, Task, TaskEvent
from ..reminders.rules import COOPERATING, HEAD, LEAD, OFFICE, Schedule, deadlines_due, due_today


def schedule() -> Schedule:
    configured = settings.PORTAL.get("REMINDERS", {})
    return Schedule(**configured) if configured else Schedule()


@dataclass
class Owed:
    task: Task
    milestone: Milestone | None
    rule: str
    recipient_id: int
    deadline: date

    @property
    def target(self) -> str:
        return f"milestone:{self.milestone.pk}" if self.milestone else f"task:{self.task.pk}"


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
                users.update(heads[assignment.department_id])
        if OFFICE in who:
            users.update(office)
        return users

    tasks = Task.objects.filter(kind=TaskKind.TASK, status__in=ACTIVE_STATUSES, deadline__in=dates).prefetch_related(
        "assignments"
    )
    for task in tasks:
        for due in due_today(task.deadline, today, plan):
            owed += [Owed(task, None, due.rule, user, task.deadline) for user in sorted(audience(task, due.audience))]
    milestones = (
        Milestone.objects.filter(
            done_on__isnull=True, deadline__in=dates, task__status__in=ACTIVE_STATUSES, task__kind=TaskKind.TASK
        )
        .select_related("task")
        .prefetch_related("task__assignments")
    )
    for milestone in milestones:
        for due in due_today(milestone.deadline, today, plan):
            if not due.rule.startswith(("before:", "overdue:")):
                continue  # escalation is the task's, not each step's
            users = audience(milestone.task, (LEAD,), own_department=milestone.department_id)
            owed += [Owed(milestone.task, milestone, due.rule, user, milestone.deadline) for user in sorted(users)]
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
            target=o.target,
            rule=o.rule,
            recipient_id=o.recipient_id,
            deadline=o.deadline,
            due_on=today,
        )
        for o in owed
        if (o.target, o.rule, o.recipient_id, o.deadline) not in existing
    ]
    Reminder.objects.bulk_create(new, ignore_conflicts=True)
    escalated = {(r.task_id, r.rule) for r in new if r.rule.startswith("escalate:")}
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

        transaction.on_commit(lambda: send_reminders.delay(unsent))
    return new, unsent


_TITLES = {
    "before:0": "今天到期",
    "overdue": "已逾期",
    "escalate:head": "逾期升级：请部门负责人督促",
    "escalate:office": "逾期升级：请政府办督办",
}


def _title(reminder: Reminder) -> str:
    subject = f"进度节点“{reminder.milestone.text[:20]}”" if reminder.milestone else f"“{reminder.task.title[:30]}”"
    rule = reminder.rule
    if rule.startswith("before:") and rule != "before:0":
        return f"催办：{subject}还有{rule.split(':')[1]}天到期（{reminder.deadline}）"
    if rule.startswith("overdue:"):
        return f"催办：{subject}已逾期{rule.split(':')[1]}天（时限{reminder.deadline}）"
    return f"催办：{subject}{_TITLES.get(rule, '')}（时限{reminder.deadline}）"


@transaction.atomic
def reminders_send(ids: list[int]) -> int:
    """Deliver the given reminders not yet sent, each once. Locked rows are another
    worker's; a reminder sent already is skipped, so a redelivered message sends nothing."""
    pending = Reminder.objects.filter(pk__in=ids, sent_at__isnull=True).select_related("task", "milestone")
    if connection.features.has_select_for_update_skip_locked:
        pending = pending.select_for_update(skip_locked=True, of=("self",))
    pending = list(pending)
    Notification.objects.bulk_create(
        Notification(
            recipient_id=r.recipient_id,
            kind=NotificationKind.REMINDER,
            title=_title(r)[:200],
            url=r.task.get_absolute_url(),
            task=r.task,
        )
        for r in pending
    )
    Reminder.objects.filter(pk__in=[r.pk for r in pending]).update(sent_at=timezone.now())
    return len(pending)
