"""The first draft of a bulletin's words, from the inspection's findings: figures in
基本情况, what went well, what did not, what is required next. Supervisors edit it."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Max, Q, Sum

from departments.models import Department
from documents.dates import chinese_date
from tasks.choices import AssignmentRole
from tasks.models import Assignment

from ..choices import Rating
from ..judging import GOOD, DepartmentRecord
from ..models import Finding, Inspection, RectificationDemand
from .document import in_script


@dataclass(frozen=True)
class Figures:
    total: int
    by_rating: dict
    departments: int
    max_overdue: int
    milestones_missed: int
    indicators_behind: int
    demands: int
    reported: int = 0  # tasks with an accepted report in the last REPORT_FRESH_DAYS of the inspection

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
        reported=Count(
            "pk", filter=Q(last_report_period__gte=inspection.period_end - timedelta(days=REPORT_FRESH_DAYS))
        ),
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
        reported=sums["reported"],
    )


def department_records(inspection: Inspection) -> list[DepartmentRecord]:
    """Each lead department's inspected tasks: their ratings and days overdue. Only the units the
    office supervises: a bulletin never commends or criticises a higher body or its own parent."""
    records: dict[int, DepartmentRecord] = {}
    rows = (
        Assignment.objects.filter(
            task__findings__inspection=inspection,
            role=AssignmentRole.LEAD,
            department__in=Department.objects.supervised(),
        )
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
            overdue[department_id].append((in_script(title), days))
    for department_id, items in overdue.items():
        records[department_id].overdue = items
    return list(records.values())


# Shares a sentence rests on: "总体有序" needs four in five tasks on time or on track, "多数" more than half.
MOSTLY = 0.8
MAJORITY = 0.5
# A task "reports monthly" when its last accepted report is this recent at the inspection's end.
REPORT_FRESH_DAYS = 62


def share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "0%"


def _overall(n: Figures) -> str:
    """The first achievement, chosen by the share of tasks on time or on track."""
    good, total = n.good, n.total
    if total == 0:
        return "本次督查范围内没有任务。"
    if good == 0:
        return f"本次督查的{total}项任务均未按期完成或进展顺利。"
    said = f"{good}项任务按期完成或进展顺利，占督查任务的{share(good, total)}"
    if good == total:
        return f"（一）任务推进总体有序。督查的{total}项任务全部按期完成或进展顺利。"
    if good >= MOSTLY * total:
        return f"（一）任务推进总体有序。{said}。"
    if good > MAJORITY * total:
        return f"（一）多数任务推进正常。{said}，另有{total - good}项任务未达进度要求。"
    return f"（一）部分任务取得进展。{said}，不足半数。"


def _reporting(n: Figures) -> tuple[str, str]:
    """(achievement, problem): a sentence on reporting goes where the figures put it."""
    if n.total == 0:
        return "", ""
    late = n.total - n.reported
    said = f"{n.reported}项任务在督查截止前两个月内有审核通过的进展报告，占{share(n.reported, n.total)}"
    if n.reported >= MOSTLY * n.total:
        tail = "。" if late == 0 else f"，{late}项任务未及时报送。"
        return f"各牵头单位基本按月报送进展，{said}{tail}", ""
    problem = f"进展报送不及时。{late}项任务在督查截止前两个月内没有审核通过的进展报告，占{share(late, n.total)}。"
    return "", problem


def draft_sections(inspection: Inspection, numbers: Figures) -> dict[str, str]:
    """The four sections' first words, each sentence picked by the figures it states, so that
    no sentence says "总体有序" of a bulletin whose annex is mostly overdue."""
    r = numbers.by_rating
    period = f"{chinese_date(inspection.period_start)}至{chinese_date(inspection.period_end)}"
    counted = [
        (label, r[rating])
        for label, rating in (
            ("按期完成", Rating.ON_TIME),
            ("进展顺利", Rating.ON_TRACK),
            ("进度滞后", Rating.BEHIND),
            ("未启动", Rating.NOT_STARTED),
            ("已逾期", Rating.OVERDUE),
        )
        if r[rating]
    ]
    basic = (
        f"{period}，按照工作安排，对{numbers.departments}个牵头单位承担的{numbers.total}项改革任务开展了"
        f"{inspection.get_kind_display()}（{in_script(inspection.title)}）。"
    )
    if counted:
        basic += "经督查，" + "，".join(f"{label}{count}项" for label, count in counted)
        basic += f"；按期完成和进展顺利的占{numbers.good_share}。"
    if numbers.demands:
        basic += f"共提出整改要求{numbers.demands}条。"
    achieved, reporting_problem = _reporting(numbers)
    achievements = [_overall(numbers)]
    if achieved:
        achievements.append(f"（二）工作机制不断健全。{achieved}")
    problems = []
    lagging = r[Rating.BEHIND] + r[Rating.NOT_STARTED]
    if lagging:
        which = "多数任务" if lagging > MAJORITY * numbers.total else "部分任务"
        parts = [f"{r[Rating.BEHIND]}项任务进度滞后"] if r[Rating.BEHIND] else []
        parts += [f"{r[Rating.NOT_STARTED]}项任务尚未实质启动"] if r[Rating.NOT_STARTED] else []
        problems.append(f"{which}进度滞后。" + "，".join(parts) + "。")
    if r[Rating.OVERDUE]:
        which = "逾期问题突出" if r[Rating.OVERDUE] > MAJORITY * numbers.total else "逾期问题依然存在"
        problems.append(
            f"{which}。{r[Rating.OVERDUE]}项任务已超过完成时限，占{share(r[Rating.OVERDUE], numbers.total)}，"
            f"最长逾期{numbers.max_overdue}天。"
        )
    if numbers.milestones_missed or numbers.indicators_behind:
        parts = [f"{numbers.milestones_missed}个进度节点逾期未完成"] if numbers.milestones_missed else []
        parts += [f"{numbers.indicators_behind}项指标未达到目标值"] if numbers.indicators_behind else []
        problems.append("节点和指标落实不到位。" + "，".join(parts) + "。")
    if reporting_problem:
        problems.append(reporting_problem)
    problems = [f"（{_cn(i)}）{text}" for i, text in enumerate(problems)]
    if not problems:
        problems.append("本次督查未发现进度滞后、逾期或报送不及时的任务。")
    requirements = []
    if numbers.total - numbers.good:
        requirements.append("加快推进滞后任务。各牵头单位要对照附件所列情况，逐项制定措施，明确责任人和完成时限。")
    else:
        requirements.append("巩固工作成效。各牵头单位要保持工作力度，按期完成后续进度节点。")
    if numbers.demands:
        requirements.append("按时报告整改情况。收到整改要求的单位须在整改时限前报告整改情况，由政府办审核销号。")
    if reporting_problem:
        requirements.append("按时报送进展。各牵头单位须按报送周期报送进展情况和佐证材料。")
    requirements.append("强化督查问效。督查室将持续跟踪督办，对整改不力、工作滞后的单位予以通报。")
    return {
        "basic": basic,
        "achievements": "\n".join(achievements),
        "problems": "\n".join(problems),
        "requirements": "\n".join(f"（{_cn(i)}）{text}" for i, text in enumerate(requirements)),
    }


def _cn(index: int) -> str:
    return "一二三四五六七八九十"[index]


def unconfirmed_count(inspection: Inspection) -> int:
    return Finding.objects.filter(inspection=inspection).filter(Q(rating="")).count()
