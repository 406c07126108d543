"""督办单: one per department with inspected tasks or demands, sent to its inbox."""

from django.db import transaction

from departments.models import Department
from notifications.choices import NotificationKind
from tasks.choices import AssignmentRole
from tasks.models import Assignment

from .. import rules
from ..models import Inspection, Notice, RectificationDemand
from .notify import tell


@transaction.atomic
def notices_send(*, inspection: Inspection, by) -> list[Notice]:
    """A notice to every lead department of an inspected task and every department with a
    demand, among the units the office supervises; a department already sent one is not sent
    another."""
    rules.require(rules.can_supervise(by), "只有督查员和政府办可以发送督办单。")
    leads = Assignment.objects.filter(task__findings__inspection=inspection, role=AssignmentRole.LEAD).values_list(
        "department_id", flat=True
    )
    demanded = RectificationDemand.objects.filter(finding__inspection=inspection).values_list(
        "department_id", flat=True
    )
    already = set(Notice.objects.filter(inspection=inspection).values_list("department_id", flat=True))
    supervised = set(Department.objects.supervised().values_list("pk", flat=True))
    new = sorted(((set(leads) | set(demanded)) & supervised) - already)
    notices = Notice.objects.bulk_create(
        Notice(inspection=inspection, department_id=department_id, sent_by=by) for department_id in new
    )
    for notice in Notice.objects.filter(inspection=inspection, department_id__in=new):
        tell(
            department_ids=[notice.department_id],
            kind=NotificationKind.REQUEST,
            title=f"督办单：{inspection.title}",
            body="请查看本单位任务的督查评价和整改要求。",
            url=notice.get_absolute_url(),
        )
    return notices
