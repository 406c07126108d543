"""Who may do what to a task, a report or a request: the one rule that views decide by
and services enforce. (Who may *see* a task is Task.objects.visible_to.)"""

from datetime import date

from departments.permissions import (
    OFFICE_ONLY,
    acts_for,
    department_id_of,
    is_department_member,
    is_head,
    is_office,
    sees_everything,
)
from departments.permissions import require as require

from .choices import ACTIVE_STATUSES, AssignmentRole, ReportStatus, RequestStatus, TaskStatus

# A department reports on this month and the two before: the page offers these, the API
# accepts these, so an old or far-off period (0001-01-01, 9999-12-31) is refused by both.
REPORT_PERIOD_MONTHS = 3


def report_periods(today: date) -> list[date]:
    """The months a report may be for, newest first, each as its first day."""
    months, year, month = [], today.year, today.month
    for _ in range(REPORT_PERIOD_MONTHS):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def _role_in_task(user, task) -> str | None:
    """The user's department's part in the task (lead / cooperating), if they act for it."""
    if not is_department_member(user):
        return None
    department_id = department_id_of(user)
    for assignment in task.assignments.all():  # prefetched by the pages
        if assignment.department_id == department_id:
            return assignment.role
    return None


def is_lead_member(user, task) -> bool:
    return _role_in_task(user, task) == AssignmentRole.LEAD


def is_member_for(user, department_id: int) -> bool:
    return acts_for(user, department_id)


def can_see_dashboards(user) -> bool:
    """The dashboards and the office's landing page: the office, supervisors, leadership."""
    return sees_everything(user)


def can_upload_progress(user) -> bool:
    """Send a ledger back with 进展情况 filled in: a department's staff or head."""
    return is_department_member(user)


def needs_signoff(user, report) -> bool:
    """The department asks its head to sign its reports off (签发) before they leave it."""
    return report.department.requires_head_signoff and not is_head(user)


def can_edit_plans(user) -> bool:
    """Create plans and their tasks, edit a task's text and deadline, import a document,
    switch a plan's public page: the office's own work."""
    return is_office(user)


def can_transition(user, task, to: str) -> bool:
    """Move a task's status: the office any way the workflow allows; the lead department
    signs for it and asks to close it; a department's first report sets it going."""
    if is_office(user):
        return True
    if to in (TaskStatus.ACKNOWLEDGED, TaskStatus.COMPLETION_REQUESTED):
        return is_lead_member(user, task)
    if to == TaskStatus.IN_PROGRESS:
        return _role_in_task(user, task) is not None
    return False


def can_add_milestone(user, task) -> bool:
    """The office sets a task's milestones; the lead department adds its own steps."""
    return can_edit_plans(user) or can_plan_steps(user, task)


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


def can_give_out(user, task) -> bool:
    """交办: the office gives out a draft task that has its lead."""
    return is_office(user) and task.status == TaskStatus.DRAFT


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
    return report.status == ReportStatus.SIGNOFF and is_head(user) and department_id_of(user) == report.department_id


def reviews_as(report) -> str:
    """Who reviews a report: a co-operating department's goes to the lead, the lead's to the office."""
    lead_ids = {a.department_id for a in report.task.lead_assignments()}
    return "office" if report.department_id in lead_ids else "lead"


def reviews(user, report) -> bool:
    """Whether the user is the report's reviewer, whatever its status."""
    if reviews_as(report) == "office":
        return is_office(user)
    return is_office(user) or is_lead_member(user, report.task)


def can_review_report(user, report) -> bool:
    return report.status == ReportStatus.SUBMITTED and reviews(user, report)


def decides_requests(user) -> bool:
    """Extension, completion and participation requests go to the office."""
    return is_office(user)


def can_decide(user, request) -> bool:
    return request.status == RequestStatus.PENDING and decides_requests(user)


__all__ = ["OFFICE_ONLY", "require"]
