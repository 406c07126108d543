"""Rectification demands (整改要求): raised on a finding, reported on by the department,
closed (销号) or sent back by the office. Each step tells the side that acts next."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from departments.models import Department
from notifications.choices import NotificationKind
from tasks.services.history import record_change
from tasks.uploads import content_type_of

from .. import rules
from ..choices import DEMAND_REPORTED, DemandStatus
from ..models import DemandAttachment, Finding, RectificationDemand
from .notify import tell


def _locked(demand: RectificationDemand) -> RectificationDemand:
    return RectificationDemand.objects.select_for_update().select_related("finding__task").get(pk=demand.pk)


@transaction.atomic
def demand_raise(
    *, finding: Finding, department: Department | None, requirement: str, due_date: date | None, by, today=None
) -> RectificationDemand:
    rules.require(rules.can_supervise(by), "只有督查员和政府办可以提出整改要求。")
    today = today or timezone.localdate()
    errors = {}
    if not (requirement or "").strip():
        errors["requirement"] = "请填写整改要求。"
    if department is None:
        errors["department"] = "请选择责任单位。"
    if due_date is None:
        errors["due_date"] = "请填写整改时限。"
    elif due_date < today:
        errors["due_date"] = "整改时限不能早于今天。"
    if errors:
        raise ValidationError(errors)
    demand = RectificationDemand(
        finding=finding, department=department, requirement=requirement.strip(), due_date=due_date, created_by=by
    )
    demand.full_clean()
    demand.save()
    record_change(
        obj=demand,
        actor=by,
        action="提出整改要求",
        changes={"整改要求": ["", demand.requirement], "整改时限": ["", demand.due_date.isoformat()]},
    )
    tell(
        department_ids=[department.pk],
        kind=NotificationKind.REQUEST,
        title=f"整改要求：{finding.task.title}",
        body=f"{demand.requirement}\n整改时限：{due_date:%Y-%m-%d}",
        url=demand.get_absolute_url(),
    )
    return demand


# Photographs and documents of one round of 整改情况: more is a mistake, not evidence.
DEMAND_MAX_FILES = 10


def _judged(files) -> list[str]:
    """Each file's real type, every one judged before any is kept (tasks/uploads.py, as
    progress-report evidence is), or the refusal under the form's `files` field."""
    if len(files) > DEMAND_MAX_FILES:
        raise ValidationError({"files": f"每次报告最多附{DEMAND_MAX_FILES}个文件（选了{len(files)}个）。"})
    try:
        return [content_type_of(upload) for upload in files]
    except ValidationError as error:
        raise ValidationError({"files": error.messages}) from error


@transaction.atomic
def demand_report(*, demand: RectificationDemand, text: str, files=(), by) -> RectificationDemand:
    """The department says what it has put right, with the files that show it; the office
    then closes or returns it. The files belong to this round: a returned round keeps its
    own, and the next report brings new ones."""
    demand = _locked(demand)
    rules.require(rules.can_report_demand(by, demand), "只有责任单位可以报告整改情况，且须在整改中。")
    files = list(files)
    if not (text or "").strip():
        raise ValidationError({"text": "请填写整改情况。"})
    types = _judged(files)
    before = demand.report_text
    demand.status, demand.report_text = DemandStatus.REPORTED, text.strip()
    demand.reported_by, demand.reported_at = by, timezone.now()
    demand.full_clean()
    demand.save()
    changes = {
        "整改情况": [before, demand.report_text],
        "状态": [DemandStatus.OPEN.label, DemandStatus.REPORTED.label],
    }
    if files:
        changes["整改佐证"] = ["", "、".join(upload.name[:255] for upload in files)]
    # The text is overwritten each round; the record keeps every round in full, and the
    # round's files hang from it.
    record = record_change(obj=demand, actor=by, action=DEMAND_REPORTED, changes=changes)
    for upload, content_type in zip(files, types, strict=True):
        DemandAttachment.objects.create(
            demand=demand,
            record=record,
            file=upload,
            original_name=upload.name[:255],
            content_type=content_type,
            size=upload.size,
            uploaded_by=by,
        )
    tell(
        office=True,
        kind=NotificationKind.REQUEST,
        title=f"整改情况待销号：{demand.finding.task.title}",
        body=demand.report_text + (f"\n附整改佐证{len(files)}个。" if files else ""),
        url=demand.get_absolute_url(),
    )
    return demand


@transaction.atomic
def demand_close(*, demand: RectificationDemand, comment: str = "", by) -> RectificationDemand:
    """销号: put right, as the department reported."""
    return _office_decides(demand, by=by, close=True, comment=comment)


@transaction.atomic
def demand_return(*, demand: RectificationDemand, comment: str, by) -> RectificationDemand:
    """Not put right yet: back to the department with the reason."""
    return _office_decides(demand, by=by, close=False, comment=comment)


def _office_decides(demand: RectificationDemand, *, by, close: bool, comment: str) -> RectificationDemand:
    demand = _locked(demand)
    rules.require(rules.can_close_demand(by, demand), "只有政府办可以为已报告整改的要求销号或退回。")
    comment = (comment or "").strip()
    if not close and not comment:
        raise ValidationError({"comment": "退回须说明理由。"})
    before = demand.office_comment
    demand.office_comment = comment
    if close:
        demand.status, demand.closed_by, demand.closed_at = DemandStatus.CLOSED, by, timezone.now()
    else:
        demand.status = DemandStatus.OPEN
    demand.full_clean()
    demand.save()
    record_change(
        obj=demand,
        actor=by,
        action="销号" if close else "退回整改",
        changes={
            "审核意见": [before, comment],
            "状态": [DemandStatus.REPORTED.label, DemandStatus(demand.status).label],
        },
    )
    tell(
        department_ids=[demand.department_id],
        kind=NotificationKind.DECISION,
        title=f"{'整改已销号' if close else '整改情况被退回'}：{demand.finding.task.title}",
        body=demand.office_comment,
        url=demand.get_absolute_url(),
    )
    return demand
