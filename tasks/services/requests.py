"""A lead department's requests (延期, 办结, 增加参与部门) and the office's decisions."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from departments.models import Department
from departments.permissions import department_id_of
from notifications.choices import NotificationKind
from notifications.services import notify_departments, notify_office

from .. import rules
from ..choices import EventKind, RequestStatus, TaskStatus
from ..models import CompletionRequest, ExtensionRequest, ParticipationRequest, Task
from ..uploads import content_type_of
from .assignments import task_assign
from .history import record_event
from .workflow import task_transition


def _own_department(by) -> Department:
    return Department.objects.get(pk=department_id_of(by))


def _decide(request, *, by, approve: bool, reason: str) -> None:
    rules.require(rules.can_decide(by, request), "只有政府办（督查室）可以审批待审批的申请。")
    if not approve and not reason.strip():
        raise ValidationError({"reason": "不予批准须写明理由。"})
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_reason = reason.strip()
    request.full_clean()
    request.save()


def _tell_department(request, title: str) -> None:
    notify_departments(
        department_ids=[request.department_id],
        kind=NotificationKind.DECISION,
        title=title,
        body=request.decision_reason,
        task=request.task,
    )


@transaction.atomic
def extension_request(
    *, task: Task, by, reason: str, proposed_deadline: date, department: Department | None = None
) -> ExtensionRequest:
    rules.require(rules.can_request_extension(by, task), "只有牵头单位可以为推进中的任务申请延期。")
    errors = {}
    if not reason or not reason.strip():
        errors["reason"] = "请写明延期理由。"
    if proposed_deadline is None:
        errors["proposed_deadline"] = "请填写申请延至的日期。"
    elif proposed_deadline < timezone.localdate():
        errors["proposed_deadline"] = "申请延至的日期不能早于今天。"
    elif task.deadline and proposed_deadline <= task.deadline:
        # The current deadline, which an approved extension may already have moved.
        errors["proposed_deadline"] = f"申请的新时限须晚于现行时限（{task.deadline:%Y年%m月%d日}）。"
    if errors:
        raise ValidationError(errors)
    request = ExtensionRequest(
        task=task,
        department=department or _own_department(by),
        requested_by=by,
        reason=reason.strip(),
        previous_deadline=task.deadline,
        proposed_deadline=proposed_deadline,
    )
    request.full_clean()
    request.save()
    summary = f"{request.department.name}申请延期至{proposed_deadline}：{reason.strip()[:60]}"
    record_event(task=task, actor=by, kind=EventKind.EXTENSION, summary=summary)
    notify_office(kind=NotificationKind.REQUEST, title=f"延期申请：{task.title[:30]}", body=reason, task=task)
    return request


@transaction.atomic
def extension_decide(*, request: ExtensionRequest, by, approve: bool, reason: str = "") -> ExtensionRequest:
    """Approve (the deadline moves; the plan's date stays in `original_deadline`) or refuse."""
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
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
    _tell_department(request, f"延期申请{'已批准' if approve else '未批准'}：{task.title[:30]}")
    return request


@transaction.atomic
def completion_request(
    *, task: Task, by, summary: str, deliverable=None, department: Department | None = None
) -> CompletionRequest:
    rules.require(rules.can_request_completion(by, task), "只有牵头单位可以为已签收的任务申请办结。")
    if not summary or not summary.strip():
        raise ValidationError({"summary": "请写明完成情况。"})
    if task.completion_requests.filter(status=RequestStatus.PENDING).exists():
        raise ValidationError("这项任务已有待审批的办结申请。")
    request = CompletionRequest(
        task=task, department=department or _own_department(by), requested_by=by, summary=summary.strip()
    )
    if deliverable is not None:
        content_type_of(deliverable)
        request.deliverable = deliverable
    request.full_clean()
    request.save()
    task_transition(task=task, to=TaskStatus.COMPLETION_REQUESTED, by=by, reason="申请办结")
    notify_office(kind=NotificationKind.REQUEST, title=f"办结申请：{task.title[:30]}", body=summary, task=task)
    return request


@transaction.atomic
def completion_decide(*, request: CompletionRequest, by, approve: bool, reason: str = "") -> CompletionRequest:
    request = CompletionRequest.objects.select_for_update().get(pk=request.pk)
    _decide(request, by=by, approve=approve, reason=reason)
    target = TaskStatus.COMPLETED if approve else TaskStatus.IN_PROGRESS
    task_transition(task=request.task, to=target, by=by, reason=reason or ("同意办结" if approve else ""))
    record_event(
        task=request.task,
        actor=by,
        kind=EventKind.COMPLETION,
        summary="同意办结" if approve else f"不同意办结：{reason}",
    )
    _tell_department(request, f"办结申请{'已同意' if approve else '未同意'}：{request.task.title[:30]}")
    return request


@transaction.atomic
def participation_request(*, task: Task, by, department: Department, reason: str) -> ParticipationRequest:
    """The lead proposes adding a participating department (落实任务需要增加参与部门的,由牵头部门提出)."""
    rules.require(rules.can_plan_steps(by, task), "只有牵头单位可以提出增加参与部门。")
    if not reason or not reason.strip():
        raise ValidationError({"reason": "请写明理由。"})
    if task.assignments.filter(department=department).exists():
        raise ValidationError({"department": f"{department.name}已承担这项任务。"})
    request = ParticipationRequest(
        task=task,
        department=_own_department(by),
        requested_by=by,
        proposed_department=department,
        reason=reason.strip(),
    )
    request.full_clean()
    request.save()
    record_event(
        task=task, actor=by, kind=EventKind.ASSIGNED, summary=f"提出增加参与部门：{department.name}（{reason}）"
    )
    notify_office(kind=NotificationKind.REQUEST, title=f"增加参与部门：{task.title[:30]}", body=reason, task=task)
    return request


@transaction.atomic
def participation_decide(*, request: ParticipationRequest, by, approve: bool, reason: str = "") -> ParticipationRequest:
    request = ParticipationRequest.objects.select_for_update().get(pk=request.pk)
    _decide(request, by=by, approve=approve, reason=reason)
    task = request.task
    if approve:
        assignments = task.assignments.select_related("department")
        leads = [a.department for a in assignments.leads()]
        cooperating = [a.department for a in assignments.cooperating()] + [request.proposed_department]
        task_assign(
            task=task, leads=leads, cooperating=cooperating, by=by, reason=f"同意增加参与部门：{request.reason}"
        )
        notify_departments(
            department_ids=[request.proposed_department_id],
            kind=NotificationKind.ASSIGNED,
            title=f"新增配合任务：{task.title[:30]}",
            task=task,
        )
    _tell_department(
        request, f"增加{request.proposed_department.name}的申请{'已同意' if approve else '未同意'}：{task.title[:30]}"
    )
    return request
