from django.core.exceptions import ValidationError
from django.db import transaction

from departments.models import Department

from .. import rules
from ..choices import AssignmentRole, EventKind, TaskKind, TaskStatus
from ..models import Assignment, Task
from .giving_out import notify_assigned
from .history import record_event


def _names(departments) -> str:
    return "、".join(d.short_name for d in departments) or "—"


@transaction.atomic
def task_assign(
    *,
    task: Task,
    leads: list[Department],
    cooperating: list[Department] = (),
    by,
    reason: str = "",
) -> Task:
    """Set a task's lead and co-operating departments, recording the change and why."""
    rules.require(rules.can_assign(by, task), "只有政府办（督查室）可以调整分工。")
    if task.kind != TaskKind.TASK:
        raise ValidationError("章节标题不能交办。")
    lead_ids = [d.pk for d in leads]
    coop_ids = [d.pk for d in cooperating]
    if len(set(lead_ids)) != len(lead_ids) or len(set(coop_ids)) != len(coop_ids):
        raise ValidationError("同一部门重复列出。")
    both = set(lead_ids) & set(coop_ids)
    if both:
        raise ValidationError("同一部门不能既牵头又配合。")
    if not leads and task.status != TaskStatus.DRAFT:
        raise ValidationError("已交办的任务必须有牵头单位。")
    current = list(task.assignments.select_related("department").order_by("role", "order"))
    before_leads = [a.department for a in current if a.is_lead]
    before_coop = [a.department for a in current if a.is_cooperating]
    if [d.pk for d in before_leads] == lead_ids and [d.pk for d in before_coop] == coop_ids:
        return task
    # Leads are written before the old rows go, so a task that has left draft
    # never stands without a lead, even for a moment inside this transaction.
    wanted = [(d, AssignmentRole.LEAD, i) for i, d in enumerate(leads)]
    wanted += [(d, AssignmentRole.COOPERATING, i) for i, d in enumerate(cooperating)]
    for department, role, order in wanted:
        Assignment.objects.update_or_create(task=task, department=department, defaults={"role": role, "order": order})
    task.assignments.exclude(department_id__in=lead_ids + coop_ids).delete()
    changes = {
        field: [_names(before), _names(after)]
        for field, before, after in (("牵头单位", before_leads, leads), ("配合单位", before_coop, cooperating))
        if [d.pk for d in before] != [d.pk for d in after]
    }
    summary = f"牵头：{_names(leads)}；配合：{_names(cooperating)}"
    if reason:
        summary += f"（理由：{reason}）"
    record_event(task=task, actor=by, kind=EventKind.ASSIGNED, summary=summary, changes=changes)
    added = {d.pk for d in [*leads, *cooperating]} - {d.pk for d in [*before_leads, *before_coop]}
    if added and task.status != TaskStatus.DRAFT:
        notify_assigned(tasks=[task], department_ids={task.pk: sorted(added)})
    return task
