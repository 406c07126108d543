"""The first draft of a bulletin's words, from the inspection's findings: figures in
基本情况, what went well, what did not, what is required next. Supervisors edit it."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Q, Sum

from tasks.choices import AssignmentRole
from tasks.models import Assignment

from ..choices import Rating
from ..judging import GOOD, DepartmentRecord
from ..models import Finding, Inspection, RectificationDemand
from .document import chinese_date


@dataclass(frozen=True)
class Figures:
    total: int
    by_rating: dict
    departments: int
    max_overdue: int
    milestones_missed: int
    indicators_behind: int
    demands: int

    @property
    def good(self) -> int:
        return sum(self.by_rating[r] for r in GOOD)

    @property
    def good_share(self) -> str:
        return f"{100 * self.good / self.total:.1f}%" if self.total else "0%"


def figures(inspection: Inspection) -> Figures:
    findings = Finding.objects.filter(inspection=inspection)
    by_rating = dict.fromkeys(Rating.values, 0)
    for row in findings.order_by().values("rating", "suggested_rating").annotate(n=Count("pk")):
        by_rating[row["rating"] or row["suggested_rating"]] += row["n"]
    sums = findings.aggregate(
        total=Count("pk"),
        max_overdue=Max("overdue_days"),
        milestones=Sum("milestones_missed"),
        indicators=Sum("indicators_behind"),
    )
    departments = (
        Assignment.objects.filter(task__findings__inspection=inspection, role=AssignmentRole.LEAD)
        .values("department_id")
        .distinct()
        .count()
    )
    return Figures(
        total=sums["total"],
        by_rating=by_rating,
        departments=departments,
        max_overdue=sums["max_overdue"] or 0,
        milestones_missed=sums["milestones"] or 0,
        indicators_behind=sums["indicators"] or 0,
        demands=RectificationDemand.objects.filter(finding__inspection=inspection).count(),
    )


def department_records(inspection: Inspection) -> list[DepartmentRecord]:
    """Each lead department's inspected tasks: their ratings and days overdue."""
    records: dict[int, DepartmentRecord] = {}
    rows = (
        Assignment.objects.filter(task__findings__inspection=inspection, role=AssignmentRole.LEAD)
        .order_by()
        .values_list(
            "department_id",
            "department__name",
            "task__title",
            "task__findings__rating",
            "task__findings__suggested_rating",
            "task__findings__overdue_days",
        )
    )
    overdue = defaultdict(list)
    for department_id, name, title, rating, suggested, days in rows.iterator():
        record = records.setdefault(department_id, DepartmentRecord(department_id, name))
        record.ratings.append(rating or suggested)
        if days:
            overdue[department_id].append((title, days))
    for department_id, items in overdue.items():
        records[department_id].overdue = items
    return list(records.values())


def draft_sections(inspection: Inspection, numbers: Figures) -> dict[str, str]:
    r = numbers.by_rating
    period = f"{chinese_date(inspection.period_start)}至{chinese_date(inspection.period_end)}"
    basic = (
        f"{period}，按照工作安排，对{numbers.departments}个牵头单位承担的{numbers.total}项改革任务开展了"
        f"{inspection.get_kind_display()}（{inspection.title}）。经督查，按期完成{r[Rating.ON_TIME]}项，"
        f"进展顺利{r[Rating.ON_TRACK]}项，进度滞后{r[Rating.BEHIND]}项，未启动{r[Rating.NOT_STARTED]}项，"
        f"已逾期{r[Rating.OVERDUE]}项；按期完成和进展顺利的占{numbers.good_share}。"
        f"共提出整改要求{numbers.demands}条。"
    )
    achievements = [
        f"（一）任务推进总体有序。{numbers.good}项任务按期完成或进展顺利，占督查任务的{numbers.good_share}。",
        "（二）工作机制不断健全。各牵头单位按月报送进展，进度节点和佐证材料逐步规范。",
    ]
    problems = []
    if r[Rating.BEHIND] or r[Rating.NOT_STARTED]:
        problems.append(
            f"（{_cn(len(problems))}）部分任务进度滞后。{r[Rating.BEHIND]}项任务进度滞后，"
            f"{r[Rating.NOT_STARTED]}项任务尚未实质启动。"
        )
    if r[Rating.OVERDUE]:
        problems.append(
            f"（{_cn(len(problems))}）逾期问题依然存在。{r[Rating.OVERDUE]}项任务已超过完成时限，"
            f"最长逾期{numbers.max_overdue}天。"
        )
    if numbers.milestones_missed or numbers.indicators_behind:
        problems.append(
            f"（{_cn(len(problems))}）节点和指标落实不到位。{numbers.milestones_missed}个进度节点逾期未完成，"
            f"{numbers.indicators_behind}项指标未达到目标值。"
        )
    if not problems:
        problems.append("本次督查未发现进度滞后或逾期的任务。")
    requirements = [
        "（一）加快推进滞后任务。各牵头单位要对照附件所列情况，逐项制定措施，明确责任人和完成时限。",
        "（二）按时报告整改情况。收到整改要求的单位须在整改时限前报告整改情况，由政府办审核销号。",
        "（三）强化督查问效。督查室将持续跟踪督办，对整改不力、工作滞后的单位予以通报。",
    ]
    return {
        "basic": basic,
        "achievements": "\n".join(achievements),
        "problems": "\n".join(problems),
        "requirements": "\n".join(requirements),
    }


def _cn(index: int) -> str:
    return "一二三四五六七八九十"[index]


def unconfirmed_count(inspection: Inspection) -> int:
    return Finding.objects.filter(inspection=inspection).filter(Q(rating="")).count()
