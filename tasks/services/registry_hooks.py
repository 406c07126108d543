"""What the department registry asks of tasks when the office stops or merges a department
(registered in tasks.apps, so the registry never imports tasks)."""

from ..choices import AssignmentRole, TaskKind, TaskStatus
from ..models import Assignment

CLOSED = (TaskStatus.COMPLETED, TaskStatus.CANCELLED)


def open_leads_problem(department) -> str:
    """Why the department cannot be stopped yet: open tasks it leads would have nobody."""
    leads = (
        Assignment.objects.filter(department=department, role=AssignmentRole.LEAD, task__kind=TaskKind.TASK)
        .exclude(task__status__in=CLOSED)
        .values("task")
        .distinct()
        .count()
    )
    if not leads:
        return ""
    return f"“{department.name}”还牵头{leads}项未办结的任务，请先调整分工，或把它合并到承接的部门。"


def assignments_fold(source, target) -> int:
    """The tasks both departments have: the target keeps one row, leading if either led. The
    target is made lead before the source's row goes, so no task is ever without a lead."""
    folded = 0
    for row in Assignment.objects.select_for_update().filter(department=source, task__assignments__department=target):
        theirs = Assignment.objects.select_for_update().get(task_id=row.task_id, department=target)
        if row.role == AssignmentRole.LEAD and theirs.role != AssignmentRole.LEAD:
            theirs.role = AssignmentRole.LEAD
            theirs.save(update_fields=["role"])
        row.delete()
        folded += 1
    return folded
