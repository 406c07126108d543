"""Progress reports (进展报送): draft, sign-off, submission along the chain, review."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from departments.choices import Role
from departments.models import Department
from departments.permissions import department_id_of
from notifications.choices import NotificationKind
from notifications.services import notify_departments, notify_office

from .. import rules
from ..choices import EventKind, ReportStatus, TaskStatus
from ..models import Evidence, IndicatorValue, Milestone, ProgressReport, Task
from ..models.tasks import INDICATOR_DIGITS
from ..uploads import content_type_of
from .history import record_event
from .workflow import task_transition


def last_accepted_percent(task: Task, department: Department) -> int | None:
    report = (
        ProgressReport.objects.filter(task=task, department=department, status=ReportStatus.ACCEPTED)
        .order_by("-period", "-id")
        .first()
    )
    return report.percent if report else None


# About thirty pages of a progress report: more is a mistake (or an attack), not a report.
REPORT_TEXT_LIMIT = 20000


def _check_content(task: Task, department: Department, *, text: str, percent, lower_reason: str) -> int:
    errors = {}
    if not text or not text.strip():
        errors["text"] = "请填写进展情况。"
    elif len(text) > REPORT_TEXT_LIMIT:
        errors["text"] = f"最多{REPORT_TEXT_LIMIT}字（现有{len(text)}字）。"
    try:
        percent = int(percent)
    except (TypeError, ValueError):
        errors["percent"] = "完成进度须是0到100之间的整数。"
        percent = None
    if percent is not None and not 0 <= percent <= 100:
        errors["percent"] = "完成进度须在0到100之间。"
    last = last_accepted_percent(task, department)
    if percent is not None and last is not None and percent < last and not (lower_reason or "").strip():
        errors["lower_reason"] = f"进度低于上次采纳的{last}%，请说明原因。"
    if errors:
        raise ValidationError(errors)
    return percent


def _indicator_values(task: Task, values: dict) -> dict:
    """{indicator id: Decimal} for the task's own indicators; blank entries are skipped."""
    known = {indicator.pk for indicator in task.indicators.all()}
    cleaned = {}
    for key, raw in (values or {}).items():
        if raw in (None, ""):
            continue
        if int(key) not in known:
            raise ValidationError("指标不属于这项任务。")
        cleaned[int(key)] = _indicator_number(raw)
    return cleaned


def _indicator_number(raw) -> Decimal:
    """A figure the column can hold, or a ValidationError: a value stored beyond the
    field's digits (1000000000000000000, 1e999999) breaks every later read of the task."""
    text = str(raw).strip().replace(",", "")
    shown = text if len(text) <= 30 else text[:30] + "…"
    try:
        value = Decimal(text) if len(text) <= 60 else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError({"indicators": f"指标值“{shown}”不是数字。"})
    digits, places = INDICATOR_DIGITS["max_digits"], INDICATOR_DIGITS["decimal_places"]
    if abs(value) >= Decimal(10) ** (digits - places) or value.as_tuple().exponent < -places:
        raise ValidationError(
            {"indicators": f"指标值“{shown}”超出范围：整数部分最多{digits - places}位，小数最多{places}位。"}
        )
    return value


@transaction.atomic
def report_save(
    *,
    task: Task,
    by,
    period: date,
    text: str,
    percent,
    lower_reason: str = "",
    milestones_done=(),
    indicator_values: dict | None = None,
    files=(),
    report: ProgressReport | None = None,
    version: int | None = None,
) -> ProgressReport:
    """Create or update the user's department's draft for the period.

    `version` is the draft's version the form was opened with: a draft saved by
    someone else since is not overwritten."""
    department_id = department_id_of(by)
    rules.require(rules.can_report(by, task), "不能为这项任务报送进展。")
    department = Department.objects.get(pk=department_id)
    percent = _check_content(task, department, text=text, percent=percent, lower_reason=lower_reason)
    values = _indicator_values(task, indicator_values)
    milestone_ids = set(int(pk) for pk in milestones_done)
    if milestone_ids - set(task.milestones.values_list("pk", flat=True)):
        raise ValidationError("进度节点不属于这项任务。")
    types = [content_type_of(upload) for upload in files]
    if report is None:
        report = ProgressReport(task=task, department=department, period=period.replace(day=1), created_by=by)
    else:
        report = ProgressReport.objects.select_for_update().get(pk=report.pk)
        rules.require(rules.can_edit_report(by, report), "这份报告不能再修改。")
        if version is not None and version != report.version:
            raise ValidationError("这份草稿已被他人修改，请刷新后再编辑，以免覆盖对方的内容。")
        report.version += 1
    returned = (report.text, report.percent, report.version - 1) if report.status == ReportStatus.RETURNED else None
    report.text, report.percent, report.lower_reason = text.strip(), percent, (lower_reason or "").strip()
    report.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:
        raise ValidationError("本部门这一期已有这项任务的报告，请在原报告上修改。") from error
    if returned:
        # The version the reviewer sent back stays readable in the task's history.
        old_text, old_percent, old_version = returned
        record_event(
            task=task,
            actor=by,
            kind=EventKind.REPORT,
            summary=f"修改退回的{report.period:%Y年%m月}进展报告（第{old_version}版退回，意见：{report.review_comment}）",
            changes={"进展情况": [old_text, report.text], "完成进度": [f"{old_percent}%", f"{report.percent}%"]},
        )
    report.milestones_done.set(milestone_ids)
    report.indicator_values.all().delete()
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator_id=pk, report=report, value=value, recorded_on=timezone.localdate())
        for pk, value in values.items()
    )
    _attach(report, files, types, by)
    return report


def _attach(report: ProgressReport, files, types: list[str], by) -> list[Evidence]:
    return [
        Evidence.objects.create(
            report=report,
            file=upload,
            original_name=upload.name[:255],
            content_type=content_type,
            size=upload.size,
            uploaded_by=by,
        )
        for upload, content_type in zip(files, types, strict=True)
    ]


@transaction.atomic
def evidence_add(*, report: ProgressReport, by, files) -> list[Evidence]:
    """Attach evidence files (佐证材料) to a draft or returned report of the user's department;
    every file is judged by its content before any is saved."""
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    rules.require(rules.can_edit_report(by, report), "只能为本部门未报送的报告上传佐证材料。")
    if not files:
        raise ValidationError({"files": "请选择要上传的文件。"})
    types = [content_type_of(upload) for upload in files]
    return _attach(report, files, types, by)


def _send_on(report: ProgressReport, by) -> None:
    """The report leaves the department: to the lead, or from the lead to the office."""
    task = report.task
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = timezone.now()
    report.full_clean(validate_unique=False, validate_constraints=False)
    report.save()
    if task.status == TaskStatus.ACKNOWLEDGED:
        task_transition(task=task, to=TaskStatus.IN_PROGRESS, by=by)
    today = timezone.localdate()
    Milestone.objects.filter(pk__in=report.milestones_done.values("pk"), done_on__isnull=True).update(done_on=today)
    title = f"{report.department.name}报送了“{task.title[:30]}”{report.period:%Y年%m月}进展"
    if rules.reviews_as(report) == "office":
        task.progress = report.percent
        task.save(update_fields=["progress", "updated_at"])
        notify_office(kind=NotificationKind.REQUEST, title=title, task=task)
    else:
        lead_ids = task.assignments.leads().values_list("department_id", flat=True)
        notify_departments(department_ids=lead_ids, kind=NotificationKind.REPORT, title=title, task=task)
    record_event(
        task=task,
        actor=by,
        kind=EventKind.REPORT,
        summary=f"{report.department.name}报送{report.period:%Y年%m月}进展（{report.percent}%）",
    )


@transaction.atomic
def report_submit(*, report: ProgressReport, by) -> ProgressReport:
    """Send the draft on; where the department requires it, to its head for sign-off first.
    A second click, or a second tab, finds it already sent and changes nothing."""
    report = ProgressReport.objects.select_for_update().select_related("task", "department").get(pk=report.pk)
    rules.require(rules.is_member_for(by, report.department_id), "只能报送本部门的报告。")
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise ValidationError("这份报告已报送，不能重复提交。")
    if rules.needs_signoff(by, report):
        report.status = ReportStatus.SIGNOFF
        report.save(update_fields=["status"])
        notify_departments(
            department_ids=[report.department_id],
            roles=[Role.HEAD],
            kind=NotificationKind.REQUEST,
            title=f"请签发“{report.task.title[:30]}”{report.period:%Y年%m月}进展报告",
            task=report.task,
        )
        return report
    if report.department.requires_head_signoff:
        report.signed_off_by, report.signed_off_at = by, timezone.now()
    _send_on(report, by)
    return report


@transaction.atomic
def report_sign_off(*, report: ProgressReport, by, approve: bool = True, comment: str = "") -> ProgressReport:
    """The head signs the report off (it leaves the department) or sends it back to the staff."""
    report = ProgressReport.objects.select_for_update().select_related("task", "department").get(pk=report.pk)
    rules.require(rules.can_sign_off(by, report), "只有本部门负责人可以签发待签发的报告。")
    if approve:
        report.signed_off_by, report.signed_off_at = by, timezone.now()
        _send_on(report, by)
        return report
    if not comment.strip():
        raise ValidationError({"comment": "退回修改须写明意见。"})
    # Back to a draft: the report never left the department, so it was not "returned" by a reviewer.
    report.status, report.review_comment = ReportStatus.DRAFT, comment.strip()
    report.save(update_fields=["status", "review_comment"])
    notify_departments(
        department_ids=[report.department_id],
        kind=NotificationKind.REPORT,
        title=f"负责人退回了“{report.task.title[:30]}”的报告：{comment.strip()[:40]}",
        task=report.task,
        exclude=by,
    )
    return report


@transaction.atomic
def report_review(*, report: ProgressReport, by, accept: bool, comment: str = "") -> ProgressReport:
    """Accept a submitted report or return it with a comment (the office for a lead's
    report, the lead for a co-operating department's)."""
    report = ProgressReport.objects.select_for_update().select_related("task", "department").get(pk=report.pk)
    rules.require(rules.reviews(by, report), "无权审核这份报告。")
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError("只能审核已报送的报告。")
    if not accept and not comment.strip():
        raise ValidationError({"comment": "退回报告须写明意见。"})
    report.status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
    report.reviewed_by = by
    report.reviewed_at = timezone.now()
    report.review_comment = comment.strip()
    report.full_clean(validate_unique=False, validate_constraints=False)
    report.save()
    verdict = "采纳" if accept else "退回"
    summary = f"{verdict}{report.department.name}{report.period:%Y年%m月}进展报告"
    if comment.strip():
        summary += f"：{comment.strip()}"
    record_event(task=report.task, actor=by, kind=EventKind.REPORT, summary=summary)
    notify_departments(
        department_ids=[report.department_id],
        kind=NotificationKind.DECISION if accept else NotificationKind.REPORT,
        title=f"“{report.task.title[:30]}”{report.period:%Y年%m月}进展报告已{verdict}",
        body=comment.strip(),
        task=report.task,
    )
    return report
