"""Who may do what to a task, a report or a request: the one rule that views decide by
and services enforce. (Who may *see* a task is Task.objects.visible_to.)"""

from django.core.exceptions import PermissionDenied

from departments.choices import Role
from departments.permissions import department_id_of, is_office, role_of

from .choices import ACTIVE_STATUSES, AssignmentRole, ReportStatus, RequestStatus, TaskStatus


def _role_in_task(user, task) -> str | None:
    """The user's department's part in the task (lead / cooperating), if they act for it."""
    if role_of(user) not in (Role.STAFF, Role.HEAD):
        return None
    department_id = department_id_of(user)
    for assignment in task.assignments.all():
        if assignment.department_id == department_id:
            return assignment.role
    return None


def is_lead_member(user, task) -> bool:
    return _role_in_task(user, task) == AssignmentRole.LEAD


def is_member_for(user, department_id: int) -> bool:
    return role_of(user) in (Role.STAFF, Role.HEAD) and department_id_of(user) == department_id


def can_acknowledge(user, task) -> bool:
    return task.status == TaskStatus.ASSIGNED and is_lead_member(user, task)


def can_report(user, task) -> bool:
    return task.status in ACTIVE_STATUSES and _role_in_task(user, task) is not None


def can_plan_steps(user, task) -> bool:
    """Break the task into the department's own steps (分解), or propose another department."""
    return task.status in ACTIVE_STATUSES and is_lead_member(user, task)


def can_request_extension(user, task) -> bool:
    return task.status in ACTIVE_STATUSES and is_lead_member(user, task)


def can_request_completion(user, task) -> bool:
    return task.status in (TaskStatus.ACKNOWLEDGED, TaskStatus.IN_PROGRESS) and is_lead_member(user, task)


def can_assign(user, task) -> bool:
    return is_office(user) and task.status not in (TaskStatus.COMPLETED, TaskStatus.CANCELLED)


def can_urge(user, task) -> bool:
    """The office's own 催办, on a task being worked on."""
    return is_office(user) and task.status in ACTIVE_STATUSES


def can_read_report(user, report) -> bool:
    """A draft (or one awaiting sign-off) is its department's own until it is sent."""
    if report.status in (ReportStatus.DRAFT, ReportStatus.SIGNOFF):
        return is_member_for(user, report.department_id)
    return True


def can_edit_report(user, report) -> bool:
    return report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED) and is_member_for(user, report.department_id)


def can_sign_off(user, report) -> bool:
    return (
        report.status == ReportStatus.SIGNOFF
        and role_of(user) == Role.HEAD
        and department_id_of(user) == report.department_id
    )


def reviews_as(report) -> str:
    """Who reviews a report: a co-operating department's goes to the lead, the lead's to the office."""
    lead_ids = {a.department_id for a in report.task.assignments.all() if a.role == AssignmentRole.LEAD}
    return "office" if report.department_id in lead_ids else "lead"


def reviews(user, report) -> bool:
    """Whether the user is the report's reviewer, whatever its status."""
    if reviews_as(report) == "office":
        return is_office(user)
    return is_office(user) or is_lead_member(user, report.task)


def can_review_report(user, report) -> bool:
    return report.status == ReportStatus.SUBMITTED and reviews(user, report)


def can_decide(user, request) -> bool:
    return request.status == RequestStatus.PENDING and is_office(user)


def require(allowed: bool, message: str = "无权执行此操作。") -> None:
    if not allowed:
        raise PermissionDenied(message)
