"""督办单: one per department with inspected tasks or demands, previewed, then sent with a
督办编号 and a 反馈时限; the unit returns its 回执 (what it has done, with files) by then."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext

from departments.models import Department, display_name
from departments.permissions import acts_for, membership_of
from notifications.choices import NotificationKind
from tasks.choices import AssignmentRole
from tasks.models import Assignment
from tasks.selectors.calendar import add_working_days
from tasks.uploads import content_type_of

from .. import rules
from ..choices import SequenceKind
from ..models import Inspection, Notice, NoticeAttachment, RectificationDemand
from .notify import tell
from .numbering import next_number

# 办理要求 printed on every 督办单 unless the office writes its own on the preview.
DEFAULT_REQUIREMENTS = (
    "请对照督查评价和整改要求，逐项研究落实，明确责任人和完成时限；"
    "于反馈时限前通过平台填报回执，说明办理情况，并附相关佐证材料。逾期未回执的，将予以催办。"
)
REQUIREMENTS_LIMIT = 2000
RESPONSE_LIMIT = 5000
# The office may give a unit longer than the default, not a year.
MAX_FEEDBACK_DAYS = 180
# Scans and photographs of one 回执: more is a mistake, not evidence (as a demand's report).
NOTICE_MAX_FILES = 10


@dataclass(frozen=True)
class Recipient:
    """A unit that would receive a 督办单, with what it would be about."""

    department: Department
    tasks: int
    demands: int


@dataclass(frozen=True)
class NoticePreview:
    """What sending would do, shown before the office confirms."""

    recipients: list[Recipient]
    feedback_due: date
    contact_name: str
    contact_phone: str
    requirements: str

    @property
    def contact(self) -> str:
        return "，".join(part for part in (self.contact_name, self.contact_phone) if part)


def default_feedback_due(today: date) -> date:
    """反馈时限: the configured number of working days after sending (official calendar)."""
    return add_working_days(today, settings.PORTAL["NOTICE"]["FEEDBACK_WORKING_DAYS"])


def _contact(by) -> tuple[str, str]:
    """联系人与电话: the sender's 姓名 and mobile as the registry holds them."""
    membership = membership_of(by)
    return display_name(by)[:50], (membership.mobile if membership is not None else "")


def _recipients(inspection: Inspection) -> list[Recipient]:
    """The supervised units leading an inspected task or holding a demand, not yet sent one."""
    tasks = dict(
        Assignment.objects.filter(task__findings__inspection=inspection, role=AssignmentRole.LEAD)
        .values_list("department_id")
        .annotate(n=Count("task_id", distinct=True))
        .order_by()
    )
    demands = dict(
        RectificationDemand.objects.filter(finding__inspection=inspection)
        .values_list("department_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    already = Notice.objects.filter(inspection=inspection).values_list("department_id", flat=True)
    units = Department.objects.supervised().filter(pk__in=set(tasks) | set(demands)).exclude(pk__in=already)
    return [
        Recipient(department, tasks.get(department.pk, 0), demands.get(department.pk, 0))
        for department in units.order_by("name")
    ]


def notices_preview(*, inspection: Inspection, by, today: date | None = None) -> NoticePreview:
    """The units a 督办单 would go to, the default 反馈时限 and the contact: nothing is sent."""
    rules.require(rules.can_supervise(by), "只有督查员和政府办可以发送督办单。")
    name, phone = _contact(by)
    return NoticePreview(
        recipients=_recipients(inspection),
        feedback_due=default_feedback_due(today or timezone.localdate()),
        contact_name=name,
        contact_phone=phone,
        requirements=DEFAULT_REQUIREMENTS,
    )


def _checked(feedback_due, requirements, today: date) -> tuple[date, str]:
    errors = {}
    if feedback_due is None:
        feedback_due = default_feedback_due(today)
    elif not isinstance(feedback_due, date):
        errors["feedback_due"] = "反馈时限须是日期。"
    elif feedback_due <= today:
        errors["feedback_due"] = "反馈时限须晚于今天。"
    elif (feedback_due - today).days > MAX_FEEDBACK_DAYS:
        errors["feedback_due"] = f"反馈时限不能超过{MAX_FEEDBACK_DAYS}天。"
    requirements = DEFAULT_REQUIREMENTS if requirements is None else str(requirements).strip()
    if not requirements:
        errors["requirements"] = "请填写办理要求。"
    elif len(requirements) > REQUIREMENTS_LIMIT:
        errors["requirements"] = f"办理要求不能超过{REQUIREMENTS_LIMIT}字（现有{len(requirements)}字）。"
    if errors:
        raise ValidationError(errors)
    return feedback_due, requirements


@transaction.atomic
def notices_send(
    *,
    inspection: Inspection,
    by,
    feedback_due: date | None = None,
    requirements: str | None = None,
    today: date | None = None,
) -> list[Notice]:
    """A numbered 督办单 to every supervised unit leading an inspected task or holding a
    demand; a unit already sent one is not sent another. The inspection's row is locked
    first, so two confirmations at once send once."""
    rules.require(rules.can_supervise(by), "只有督查员和政府办可以发送督办单。")
    today = today or timezone.localdate()
    feedback_due, requirements = _checked(feedback_due, requirements, today)
    Inspection.objects.select_for_update().filter(pk=inspection.pk).first()
    name, phone = _contact(by)
    notices = []
    for recipient in _recipients(inspection):
        notice = Notice(
            inspection=inspection,
            department=recipient.department,
            year=today.year,
            sequence=next_number(today.year, SequenceKind.NOTICE),
            requirements=requirements,
            feedback_due=feedback_due,
            contact_name=name,
            contact_phone=phone,
            sent_by=by,
        )
        notice.full_clean(exclude=["inspection", "department", "sent_by"], validate_constraints=False)
        notice.save()
        notices.append(notice)
        tell(
            department_ids=[notice.department_id],
            kind=NotificationKind.REQUEST,
            title=f"督办单{notice.number}：{inspection.title}",
            body=f"请查看本单位任务的督查评价和整改要求，并于{feedback_due:%Y年%m月%d日}前填报回执。",
            url=notice.get_absolute_url(),
        )
    return notices


def _judged(files) -> list[str]:
    """Each file's real type, every one judged before any is kept (tasks/uploads.py)."""
    if len(files) > NOTICE_MAX_FILES:
        raise ValidationError({"files": f"回执最多附{NOTICE_MAX_FILES}个文件（选了{len(files)}个）。"})
    try:
        return [content_type_of(upload) for upload in files]
    except ValidationError as error:
        raise ValidationError({"files": error.messages}) from error


@transaction.atomic
def notice_respond(*, notice: Notice, text: str, files=(), by) -> Notice:
    """回执: the unit says what it has done, with the files that show it; the office is told.
    One 回执 per notice: a second is refused, and nothing is kept of a refused one."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if not acts_for(by, notice.department_id):
        raise PermissionDenied(gettext("只有承办单位可以填报回执。"))
    if notice.responded_at is not None:
        raise ValidationError("本单位已填报回执，不能重复填报。")
    files = list(files)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写办理情况。"})
    if len(text) > RESPONSE_LIMIT:
        raise ValidationError({"text": f"办理情况不能超过{RESPONSE_LIMIT}字（现有{len(text)}字）。"})
    types = _judged(files)
    notice.response_text, notice.responded_by, notice.responded_at = text, by, timezone.now()
    notice.save(update_fields=["response_text", "responded_by", "responded_at"])
    for upload, content_type in zip(files, types, strict=True):
        NoticeAttachment.objects.create(
            notice=notice,
            file=upload,
            original_name=upload.name[:255],
            content_type=content_type,
            size=upload.size,
            uploaded_by=by,
        )
    tell(
        office=True,
        kind=NotificationKind.REQUEST,
        title=f"督办单回执：{notice.number} {notice.department.name}",
        body=text[:500] + (f"\n附{len(files)}个文件。" if files else ""),
        url=notice.get_absolute_url(),
    )
    return notice
