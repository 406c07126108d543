"""Inspections and their findings: the scope resolved by the task filters, a finding
drafted for every task in it, then confirmed by the inspector."""

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from tasks.choices import Comparison, ReportStatus
from tasks.models import IndicatorValue, ProgressReport
from tasks.obligations import first_report_due
from tasks.querysets import report_cycle
from tasks.services.history import changed, record_change
from tasks.uploads import content_type_of

from .. import rules
from ..choices import InspectionKind, Rating
from ..judging import TaskFacts, overdue_days, suggest_rating
from ..models import Finding, FindingEvidence, Inspection
from ..selectors import SCOPE_IGNORED, scope_filterset, scope_tasks


def _clean_scope(scope: str, today: date) -> str:
    filterset = scope_filterset(scope, today=today)
    if not filterset.is_valid():
        problems = "；".join(
            f"{filterset.filters[name].label or name}：{'、'.join(errors)}" for name, errors in filterset.errors.items()
        )
        raise ValidationError({"scope": f"督查范围的筛选条件有误：{problems}"})
    kept = filterset.data.copy()
    for name in SCOPE_IGNORED:
        kept.pop(name, None)
    for name in list(kept):
        if name not in filterset.filters or not any(kept.getlist(name)):
            kept.pop(name)
    return kept.urlencode()


@transaction.atomic
def inspection_create(
    *,
    title: str,
    kind: str,
    period_start: date,
    period_end: date,
    scope: str,
    by,
    inspectors=(),
    notes: str = "",
    today: date | None = None,
) -> Inspection:
    """Create the inspection and draft a finding for every task in its scope."""
    rules.require(rules.can_supervise(by), "只有督查员和政府办可以开展督查。")
    today = today or timezone.localdate()
    errors = {}
    if not (title or "").strip():
        errors["title"] = "请填写督查名称。"
    if kind not in InspectionKind.values:
        errors["kind"] = "请选择督查类型。"
    if period_start and period_end and period_start > period_end:
        errors["period_end"] = "结束日期不能早于开始日期。"
    try:
        scope = _clean_scope(scope or "", today)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    inspection = Inspection(
        title=title.strip(),
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        scope=scope,
        notes=(notes or "").strip(),
        created_by=by,
    )
    inspection.full_clean()
    inspection.save()
    inspection.inspectors.set(inspectors)
    if findings_draft(inspection=inspection, today=today) == 0:
        raise ValidationError({"scope": "督查范围内没有正在推进或已办结的任务，请放宽筛选条件。"})
    return inspection


def findings_draft(*, inspection: Inspection, today: date) -> int:
    """A finding for every task in scope not yet found, its facts and suggested rating
    computed from the data in a fixed number of queries, inserted in bulk."""
    accepted = ProgressReport.objects.filter(task=OuterRef("pk"), status=ReportStatus.ACCEPTED).order_by(
        "-period", "-id"
    )
    tasks = (
        scope_tasks(inspection.scope, today=today)
        .exclude(pk__in=Finding.objects.filter(inspection=inspection).values("task_id"))
        .annotate(
            missed=Count("milestones", filter=Q(milestones__deadline__lt=today, milestones__done_on__isnull=True)),
            has_accepted=Exists(accepted),
            last_text=Subquery(accepted.values("text")[:1]),
            last_period=Subquery(accepted.values("period")[:1]),
            cycle=report_cycle(),
        )
        .order_by()
        .values(
            "pk",
            "assigned_on",
            "cycle",
            "status",
            "progress",
            "deadline",
            "start_date",
            "completed_on",
            "missed",
            "has_accepted",
            "last_text",
            "last_period",
        )
    )
    rows = list(tasks)
    due_day = settings.PORTAL["REPORT_DUE_DAY"]
    behind = _indicators_behind([row["pk"] for row in rows])
    findings = []
    for row in rows:
        facts = TaskFacts(
            status=row["status"],
            progress=row["progress"],
            deadline=row["deadline"],
            start=row["start_date"],
            completed_on=row["completed_on"],
            milestones_missed=row["missed"],
            indicators_behind=behind.get(row["pk"], 0),
            has_accepted_report=row["has_accepted"],
            first_report_due=first_report_due(row["cycle"], row["assigned_on"], due_day),
        )
        findings.append(
            Finding(
                inspection=inspection,
                task_id=row["pk"],
                task_status=facts.status,
                progress=facts.progress,
                overdue_days=overdue_days(facts, today),
                milestones_missed=facts.milestones_missed,
                indicators_behind=facts.indicators_behind,
                last_report_text=row["last_text"] or "",
                last_report_period=row["last_period"],
                suggested_rating=suggest_rating(facts, today),
            )
        )
    Finding.objects.bulk_create(findings, batch_size=1000)
    return len(findings)


def _indicators_behind(task_ids: list[int]) -> dict[int, int]:
    """Per task, how many indicators' latest values miss their targets."""
    latest: dict[int, tuple] = {}
    values = (
        IndicatorValue.objects.filter(indicator__task_id__in=task_ids)
        .order_by("indicator_id", "-recorded_on", "-id")
        .values_list("indicator_id", "indicator__task_id", "indicator__target", "indicator__comparison", "value")
    )
    for indicator_id, task_id, target, comparison, value in values.iterator():
        latest.setdefault(indicator_id, (task_id, target, comparison, value))
    behind: dict[int, int] = defaultdict(int)
    for task_id, target, comparison, value in latest.values():
        missed = value < target if comparison == Comparison.GTE else value > target
        behind[task_id] += int(missed)
    return behind


def _check_rating(rating: str) -> None:
    if rating not in Rating.values:
        raise ValidationError({"rating": "请选择督查评价：按期完成、进展顺利、进度滞后、未启动或已逾期。"})


@transaction.atomic
def finding_confirm(*, finding: Finding, rating: str, comment: str = "", by) -> Finding:
    """The inspector's rating (the suggestion kept or changed) and comment."""
    rules.require(rules.can_supervise(by), "只有督查员和政府办可以确认督查评价。")
    _check_rating(rating)
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    before = {"rating": finding.get_rating_display(), "comment": finding.comment}
    finding.rating, finding.comment = rating, (comment or "").strip()
    finding.confirmed_by, finding.confirmed_at = by, timezone.now()
    finding.full_clean(validate_unique=False)
    finding.save(update_fields=["rating", "comment", "confirmed_by", "confirmed_at"])
    after = {"rating": finding.get_rating_display(), "comment": finding.comment}
    changes = changed(before, after, {"rating": "督查评价", "comment": "督查意见"})
    if changes:
        record_change(obj=finding, actor=by, action="确认督查评价", changes=changes)
    return finding


@transaction.atomic
def findings_confirm_all(*, inspection: Inspection, by) -> int:
    """Confirm every finding still unconfirmed with its suggested rating."""
    rules.require(rules.can_supervise(by), "只有督查员和政府办可以确认督查评价。")
    return Finding.objects.filter(inspection=inspection, rating="").update(
        rating=F("suggested_rating"), confirmed_by=by, confirmed_at=timezone.now()
    )


@transaction.atomic
def finding_evidence_add(*, finding: Finding, files, by) -> list[FindingEvidence]:
    rules.require(rules.can_supervise(by), "只有督查员和政府办可以上传督查佐证。")
    if not files:
        raise ValidationError({"files": "请选择要上传的文件。"})
    types = [content_type_of(upload) for upload in files]  # all judged before any is kept
    return [
        FindingEvidence.objects.create(
            finding=finding,
            file=upload,
            original_name=upload.name[:255],
            content_type=content_type,
            size=upload.size,
            uploaded_by=by,
        )
        for upload, content_type in zip(files, types, strict=True)
    ]
