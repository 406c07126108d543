from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from departments.models import Department
from departments.permissions import require_member_of, require_office

from ..choices import ACTIVE_STATUSES, AssignmentRole, EventKind, RequestStatus, TaskStatus
from ..models import CompletionRequest, ExtensionRequest, Task
from .history import record_event
from .workflow import task_transition


def _require_lead(task: Task, department: Department) -> None:
    if not task.assignments.filter(department=department, role=AssignmentRole.LEAD).exists():
        raise ValidationError("只有牵头单位可以提出这项申请。")


def _decide(request, *, by, approve: bool, reason: str) -> None:
    require_office(by)
    if request.status != RequestStatus.PENDING:
        raise ValidationError("这项申请已审批。")
    if not approve and not reason.strip():
        raise ValidationError("不予批准须写明理由。")
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_reason = reason
    request.full_clean()
    request.save()


@transaction.atomic
def extension_request(
    *, task: Task, department: Department, by, reason: str, proposed_deadline: date
) -> ExtensionRequest:
    require_member_of(by, department.pk)
    _require_lead(task, department)
    if task.status not in ACTIVE_STATUSES:
        raise ValidationError(f"任务“{task.get_status_display()}”，不能申请延期。")
    if not reason.strip():
        raise ValidationError("请写明延期理由。")
    request = ExtensionRequest(
        task=task,
        department=department,
        requested_by=by,
        reason=reason,
        previous_deadline=task.deadline,
        proposed_deadline=proposed_deadline,
    )
    request.full_clean()
    request.save()
    record_event(
        task=task, actor=by, kind=EventKind.EXTENSION, summary=f"{department.short_name}申请延期至{proposed_deadline}"
    )
    return request


@transaction.atomic
def extension_decide(*, request: ExtensionRequest, by, approve: bool, reason: str = "") -> ExtensionRequest:
    """Approve (the deadline moves; the plan's date stays in `original_deadline`) or refuse."""
    _decide(request, by=by, approve=approve, reason=reason)
    task = request.task
    if approve:
        before = task.deadline
        if task.original_deadline is None:
            task.original_deadline = before
        task.deadline = request.proposed_deadline
        task.full_clean()
        task.save(update_fields=["deadline", "original_deadline", "updated_at"])
        summary = f"批准延期：{before or '—'} → {task.deadline}"
        changes = {"完成时限": [str(before or "—"), str(task.deadline)]}
    else:
        summary, changes = f"不予延期：{reason}", {}
    record_event(task=task, actor=by, kind=EventKind.EXTENSION, summary=summary, changes=changes)
    return request


@transaction.atomic
def completion_request(*, task: Task, department: Department, by, summary: str, deliverable=None) -> CompletionRequest:
    require_member_of(by, department.pk)
    _require_lead(task, department)
    if not summary.strip():
        raise ValidationError("请写明完成情况。")
    request = CompletionRequest(task=task, department=department, requested_by=by, summary=summary)
    if deliverable is not None:
        request.deliverable = deliverable
    request.full_clean()
    request.save()
    task_transition(task=task, to=TaskStatus.COMPLETION_REQUESTED, by=by, reason="申请办结")
    return request


@transaction.atomic
def completion_decide(*, request: CompletionRequest, by, approve: bool, reason: str = "") -> CompletionRequest:
    _decide(request, by=by, approve=approve, reason=reason)
    target = TaskStatus.COMPLETED if approve else TaskStatus.IN_PROGRESS
    task_transition(task=request.task, to=target, by=by, reason=reason or ("同意办结" if approve else ""))
    record_event(
        task=request.task,
        actor=by,
        kind=EventKind.COMPLETION,
        summary="同意办结" if approve else f"不同意办结：{reason}",
    )
    return request
