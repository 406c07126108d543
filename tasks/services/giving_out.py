"""交办: the office gives draft tasks out to their departments. Every way a task leaves
draft (the batch page, the import, 调整分工, the API, the seed loader, the admin) comes
here, so every assignment is dated, has its 签收时限 and tells the people concerned."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

import workdays
from departments.choices import Role
from departments.models import Department
from departments.permissions import person
from notifications.choices import NotificationKind
from notifications.models import Notification
from notifications.services import notifications_create, notify_office

from .. import rules
from ..choices import AssignmentRole, EventKind, TaskKind, TaskStatus
from ..models import Assignment, Task, TaskEvent

# A 签收时限 longer than this is a typing slip, not a decision.
MAX_ACKNOWLEDGE_DAYS = 30


def acknowledge_deadline(given_on: date, days: int | None = None) -> date:
    """The 签收时限 of a task given out on `given_on`: `days` working days later."""
    if days is None:
        days = settings.PORTAL["ACKNOWLEDGE_WORKING_DAYS"]
    return workdays.add_working_days(given_on, days)


def _check_days(days) -> int:
    if days is None:
        return settings.PORTAL["ACKNOWLEDGE_WORKING_DAYS"]
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_ACKNOWLEDGE_DAYS:
        raise ValidationError({"acknowledge_days": f"签收时限须为1到{MAX_ACKNOWLEDGE_DAYS}个工作日。"})
    return days


def _label(task: Task) -> str:
    return f"{task.number}{task.title}"[:30]


@transaction.atomic
def tasks_give_out(
    *, tasks: Iterable[Task], by, acknowledge_days: int | None = None, reason: str = "交办"
) -> list[Task]:
    """Give out draft tasks (草稿 → 已交办): each is dated, gets its 签收时限, goes on record,
    and its lead and co-operating departments are told in their inbox and channels. A task
    that cannot be given out refuses the whole batch, saying which and why."""
    rules.require(rules.can_edit_plans(by), "只有政府办（督查室）可以交办任务。")
    days = _check_days(acknowledge_days)
    tasks = list(tasks)
    ids = sorted({t.pk for t in tasks})
    if not ids:
        raise ValidationError("请选择要交办的任务。")
    locked = list(Task.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(locked) != len(ids):
        raise ValidationError("所选任务中有不存在的任务。")
    assignments = defaultdict(list)
    for assignment in Assignment.objects.filter(task_id__in=ids).order_by("order", "pk"):
        assignments[assignment.task_id].append(assignment)
    for rows in assignments.values():
        rows.sort(key=lambda a: a.role != AssignmentRole.LEAD)  # leads first, as documents name them
    problems = []
    for task in locked:
        if task.kind != TaskKind.TASK:
            problems.append(f"“{_label(task)}”是章节，不能交办")
        elif task.status != TaskStatus.DRAFT:
            problems.append(f"“{_label(task)}”已是“{TaskStatus(task.status).label}”，不是草稿")
        elif not any(a.role == AssignmentRole.LEAD for a in assignments[task.pk]):
            problems.append(f"“{_label(task)}”没有牵头单位")
    if problems:
        raise ValidationError(f"以下任务不能交办：{'；'.join(problems)}。")
    today = timezone.localdate()
    due = acknowledge_deadline(today, days)
    Task.objects.filter(pk__in=ids).update(
        status=TaskStatus.ASSIGNED, assigned_on=today, acknowledge_by=due, updated_at=timezone.now()
    )
    summary = f"草稿 → 已交办（{reason}，{days}个工作日内签收，签收时限{due.isoformat()}）"
    TaskEvent.objects.bulk_create(
        TaskEvent(
            task=task,
            actor=person(by),
            kind=EventKind.STATUS,
            summary=summary[:500],
            changes={"状态": ["草稿", "已交办"], "签收时限": ["—", due.isoformat()]},
        )
        for task in locked
    )
    for task in [*locked, *tasks]:  # the caller's objects too, so they do not go stale
        task.status, task.assigned_on, task.acknowledge_by = TaskStatus.ASSIGNED, today, due
    notify_assigned(tasks=locked, department_ids={t.pk: [a.department_id for a in assignments[t.pk]] for t in locked})
    return locked


def reachable_departments(department_ids) -> set[int]:
    """Those of the departments that have someone active to act for them."""
    return set(_people_by_department(department_ids))


def _people_by_department(department_ids) -> dict[int, list[int]]:
    people = defaultdict(list)
    rows = get_user_model().objects.filter(
        is_active=True, membership__department_id__in=department_ids, membership__role__in=(Role.STAFF, Role.HEAD)
    )
    for user_id, department_id in rows.values_list("pk", "membership__department_id"):
        people[department_id].append(user_id)
    return people


def notify_assigned(*, tasks: list[Task], department_ids: dict[int, list[int]]) -> int:
    """Tell each department its new tasks (one inbox row per person and task, sent on their
    channels), and flag to the office at once every task given to a department nobody can
    act for: its 签收 and reports would otherwise wait forever."""
    wanted = {d for ids in department_ids.values() for d in ids}
    people = _people_by_department(wanted)
    rows, unreachable = [], []
    for task in tasks:
        url = task.get_absolute_url()
        due = f"请于{task.acknowledge_by.isoformat()}前签收。" if task.acknowledge_by else ""
        recipients = {u for d in department_ids.get(task.pk, []) for u in people[d]}
        rows += [
            Notification(
                recipient_id=user,
                kind=NotificationKind.ASSIGNED,
                title=f"新交办任务：{task.title[:40]}",
                body=due,
                url=url,
                task=task,
            )
            for user in sorted(recipients)
        ]
        nobody = [d for d in department_ids.get(task.pk, []) if not people[d]]
        if nobody:
            unreachable.append((task, nobody))
    created = notifications_create(rows)
    if unreachable:
        names = {
            d.pk: d.short_name
            for d in Department.objects.filter(pk__in={d for _, ds in unreachable for d in ds}).prefetch_related(
                "aliases"
            )
        }
        for task, nobody in unreachable:
            notify_office(
                kind=NotificationKind.UNREACHABLE,
                title=f"无人签收：“{task.title[:30]}”交办给了没有在用账号的单位",
                body=f"{'、'.join(names[d] for d in nobody)}没有在用的经办人或负责人账号，请为其开通账号或调整分工。",
                task=task,
            )
    return len(created)
