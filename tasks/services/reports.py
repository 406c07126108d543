from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from departments.models import Department
from departments.permissions import require_member_of, require_office

from ..choices import ACTIVE_STATUSES, AssignmentRole, EventKind, ReportStatus, TaskStatus
from ..models import ProgressReport, Task
from .history import record_event
from .workflow import task_transition


def _role_in(task: Task, department: Department) -> str | None:
    assignment = task.assignments.filter(department=department).first()
    return assignment.role if assignment else None


@transaction.atomic
def report_create(*, task: Task, department: Department, period: date, text: str, percent: int, by) -> ProgressReport:
    """A department drafts its report on a task for a period (the first of the month)."""
    require_member_of(by, department.pk)
    if _role_in(task, department) is None:
        raise ValidationError("该部门不承担这项任务，不能报送进展。")
    if task.status not in ACTIVE_STATUSES:
        raise ValidationError(f"任务“{task.get_status_display()}”，不能报送进展。")
    if not text.strip():
        raise ValidationError("进展情况不能为空。")
    report = ProgressReport(
        task=task, department=department, period=period.replace(day=1), text=text, percent=percent, created_by=by
    )
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def report_submit(*, report: ProgressReport, by) -> ProgressReport:
    """Send a draft (or returned) report on: a co-operating department's to the
    lead, the lead's to the office. A lead's report moves the task's progress."""
    require_member_of(by, report.department_id)
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise ValidationError("这份报告已报送。")
    task = report.task
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.full_clean()
    report.save()
    if task.status == TaskStatus.ACKNOWLEDGED:
        task_transition(task=task, to=TaskStatus.IN_PROGRESS, by=by)
    if _role_in(task, report.department) == AssignmentRole.LEAD:
        task.progress = report.percent
        task.save(update_fields=["progress", "updated_at"])
    record_event(
        task=task,
        actor=by,
        kind=EventKind.REPORT,
        summary=f"{report.department.short_name}报送{report.period:%Y年%m月}进展（{report.percent}%）",
    )
    return report


@transaction.atomic
def report_review(*, report: ProgressReport, by, accept: bool, comment: str = "") -> ProgressReport:
    """The office accepts a submitted report or returns it with a comment."""
    require_office(by)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError("只能审核已报送的报告。")
    if not accept and not comment.strip():
        raise ValidationError("退回报告须写明意见。")
    report.status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
    report.reviewed_by = by
    report.reviewed_at = timezone.now()
    report.review_comment = comment
    report.full_clean()
    report.save()
    verdict = "采纳" if accept else "退回"
    summary = f"{verdict}{report.department.short_name}{report.period:%Y年%m月}进展报告"
    if comment:
        summary += f"：{comment}"
    record_event(task=report.task, actor=by, kind=EventKind.REPORT, summary=summary)
    return report
