from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from notifications.choices import NotificationKind
from notifications.services import notify_departments

from .. import rules
from ..choices import AssignmentRole, EventKind, TaskStatus
from ..models import Task
from ..workflow import can_move
from .giving_out import tasks_give_out
from .history import record_event


@transaction.atomic
def task_transition(
    *, task: Task, to: str, by, reason: str = "", on: date | None = None, acknowledge_days: int | None = None
) -> Task:
    """Move a task to another status along the allowed paths, on record. Giving a draft
    out (交办) is tasks_give_out's, with its 签收时限 and notifications."""
    rules.require(rules.can_transition(by, task, to), "无权变更这项任务的状态。")
    before = task.status
    if before == TaskStatus.DRAFT and to == TaskStatus.ASSIGNED:
        tasks_give_out(tasks=[task], by=by, acknowledge_days=acknowledge_days, reason=reason or "交办")
        return task
    if not can_move(before, to):
        raise ValidationError(f"任务不能从“{TaskStatus(before).label}”变为“{TaskStatus(to).label}”。")
    if before == TaskStatus.DRAFT and not task.assignments.filter(role=AssignmentRole.LEAD).exists():
        raise ValidationError("任务没有牵头单位，不能交办。")
    task.status = to
    if to == TaskStatus.COMPLETED:
        task.completed_on = on or timezone.localdate()
        task.progress = 100
    elif before == TaskStatus.COMPLETED:
        task.completed_on = None
    task.full_clean()
    task.save(update_fields=["status", "completed_on", "progress", "updated_at"])
    summary = f"{TaskStatus(before).label} → {TaskStatus(to).label}"
    if reason:
        summary += f"（{reason}）"
    record_event(
        task=task,
        actor=by,
        kind=EventKind.STATUS,
        summary=summary,
        changes={"状态": [TaskStatus(before).label, TaskStatus(to).label]},
    )
    if to == TaskStatus.ASSIGNED:
        notify_departments(
            department_ids=task.assignments.values_list("department_id", flat=True),
            kind=NotificationKind.ASSIGNED,
            title=f"新交办任务：{task.title[:40]}",
            task=task,
        )
    return task


@transaction.atomic
def task_acknowledge(*, task: Task, by) -> Task:
    """The lead department signs for a newly assigned task (签收)."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    rules.require(rules.can_acknowledge(by, task), "只有牵头单位可以签收已交办的任务。")
    return task_transition(task=task, to=TaskStatus.ACKNOWLEDGED, by=by, reason="签收")
