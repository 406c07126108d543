"""Every score rule as one object: the query that finds its lines, the kind of record a
line rests on, and the Chinese sentence that explains it. The ranking sums the queries
(`sums`); a statement explains each row by the rule it came from (`rule_of`). A new rule
is one function for its query, one for its sentence and one entry in REGISTRY.

Each query is a queryset of `values()` rows with `charged` (the department) and `points`,
plus the fields its sentence needs."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Sum, When

from supervision.choices import BulletinStatus, Rating, Verdict
from supervision.models import BulletinDepartment, Finding
from tasks.choices import AssignmentRole, ReportStatus, RequestStatus, TaskSource
from tasks.models import Assignment, CompletionRequest, Milestone
from tasks.querysets import owes_report

from ..choices import Rule, Source
from .engine import DECIMAL, HUNDREDTH, TOTAL, Period, dec, scored_assignments, scored_reports, task_scope, text
from .explain import cn_date, num, share_text
from .expressions import DaysBetween


@dataclass(frozen=True)
class Context:
    """What a sentence may need beyond its row: the scheme, the bulletins its rows name."""

    scheme: object
    bulletins: dict
    report_due_day: int


@dataclass(frozen=True)
class ScoreRule:
    rules: tuple[str, ...]  # the Rule values its lines carry
    query: Callable[[Period], QuerySet]
    source: str  # the Source its lines rest on (task rules: see line_source)
    sentence: Callable[[dict, Decimal, Context], str]
    source_id: Callable[[dict, Context], int | None] = lambda row, context: None
    # Summed with the full marks in sums()' one pass over the assignments.
    over_assignments: bool = False
    # Its lines are each about one task, and change only when that task's rows do (kept.py).
    per_task: bool = True


# --- 任务: the task's marks and the late deduction, over the assignments -----------------


def task_lines(period: Period):
    """One line per department and task (按期完成, 逾期完成, 按进度, 逾期未完成)."""
    return (
        scored_assignments(period)
        .annotate(
            rule=Case(
                When(Q(done=1, days_late__lte=0), then=text(Rule.ON_TIME)),
                When(done=1, then=text(Rule.COMPLETED_LATE)),
                When(days_late__lte=0, then=text(Rule.IN_PROGRESS)),
                default=text(Rule.OVERDUE),
                output_field=CharField(),
            ),
            points=F("task_points"),
        )
        .values(
            "charged",
            "task_id",
            "rule",
            "points",
            "role",
            "weight",
            "share",
            "due",
            "done",
            "task__completed_on",
            "task__progress",
            "source_weight",
            "task__plan__source",
        )
    )


def late_lines(period: Period):
    """逾期扣分: each week late takes a percentage of the department's part of the task,
    up to the cap; completed tasks are late to their completion, open ones to the
    scoring day."""
    return (
        scored_assignments(period)
        .filter(late_points__lt=0)
        .annotate(rule=text(Rule.LATE_DEDUCTION), points=F("late_points"))
        .values("charged", "task_id", "rule", "points", "role", "weight", "share", "days_late", "weeks", "done")
    )


# --- reports, milestones, findings, bulletins ---------------------------------------------


def late_report_lines(period: Period):
    """迟报: a report sent after the month's due day (PORTAL['REPORT_DUE_DAY']), for a period
    the task owed (tasks.obligations: none before the first full period after 交办)."""
    due_day = settings.PORTAL["REPORT_DUE_DAY"]
    return (
        scored_reports(period)
        .filter(owes_report(F("period"), "task__"))
        .annotate(days=DaysBetween(F("submitted_on"), F("period")))
        .filter(days__gte=due_day, submitted_on__lte=period.as_of)
        .annotate(rule=text(Rule.LATE_REPORT), points=-dec(period.scheme.late_report_points))
        .values("charged", "task_id", "rule", "points", "id", "period", "submitted_on")
    )


def returned_report_lines(period: Period):
    """退回: a report the reviewer sent back and that stands returned."""
    return (
        scored_reports(period)
        .filter(status=ReportStatus.RETURNED)
        .annotate(rule=text(Rule.RETURNED_REPORT), points=-dec(period.scheme.returned_report_points))
        .values("charged", "task_id", "rule", "points", "id", "period")
    )


def milestone_lines(period: Period):
    """节点逾期: a milestone due in the period not done by its date, charged to each lead."""
    missed = Q(done_on__isnull=True, deadline__lt=period.as_of) | Q(done_on__gt=F("deadline"))
    return (
        Milestone.objects.filter(
            task_scope(period, "task__"),
            missed,
            deadline__gte=period.start,
            deadline__lte=period.as_of,
            task__assignments__role=AssignmentRole.LEAD,
        )
        .annotate(
            charged=F("task__assignments__department_id"),
            rule=text(Rule.MISSED_MILESTONE),
            points=-dec(period.scheme.milestone_points),
        )
        .values("charged", "task_id", "rule", "points", "id", "text", "deadline", "done_on")
    )


def finding_points(scheme) -> dict[str, Decimal]:
    return {
        Rating.ON_TIME: scheme.finding_on_time_bonus,
        Rating.ON_TRACK: scheme.finding_on_track_bonus,
        Rating.BEHIND: -scheme.finding_behind_deduction,
        Rating.NOT_STARTED: -scheme.finding_not_started_deduction,
        Rating.OVERDUE: -scheme.finding_overdue_deduction,
    }


def finding_lines(period: Period):
    """督查评价: a confirmed rating in the period, charged or credited to each lead."""
    points = {rating: value for rating, value in finding_points(period.scheme).items() if value}
    return (
        Finding.objects.filter(
            task_scope(period, "task__"),
            rating__in=list(points),
            confirmed_at__date__gte=period.start,
            confirmed_at__date__lte=period.as_of,
            task__assignments__role=AssignmentRole.LEAD,
        )
        .annotate(
            charged=F("task__assignments__department_id"),
            rule=text(Rule.FINDING),
            points=Case(
                *(When(rating=rating, then=dec(value)) for rating, value in points.items()),
                default=dec(0),
                output_field=DECIMAL,
            ),
        )
        .values("charged", "task_id", "rule", "points", "id", "rating", "inspection__title")
    )


def bulletin_lines(period: Period):
    """表扬 / 通报批评 in a bulletin issued in the period (the current version only),
    for departments with scored tasks; a plan's scheme counts bulletins on its tasks."""
    scheme = period.scheme
    scored = Assignment.objects.filter(task_scope(period, "task__"), department_id=OuterRef("department_id"))
    rows = BulletinDepartment.objects.filter(
        Exists(scored),
        bulletin__status=BulletinStatus.ISSUED,
        bulletin__issue_date__gte=period.start,
        bulletin__issue_date__lte=period.as_of,
    )
    if scheme.plan_id:
        on_plan = Finding.objects.filter(
            inspection_id=OuterRef("bulletin__inspection_id"), task__plan_id=scheme.plan_id
        )
        rows = rows.filter(Exists(on_plan))
    return rows.annotate(
        charged=F("department_id"),
        rule=Case(
            When(verdict=Verdict.COMMEND, then=text(Rule.COMMENDED)),
            default=text(Rule.CRITICISED),
            output_field=CharField(),
        ),
        points=Case(
            When(verdict=Verdict.COMMEND, then=dec(scheme.commend_bonus)),
            default=-dec(scheme.criticise_deduction),
            output_field=DECIMAL,
        ),
    ).values("charged", "rule", "points", "bulletin_id", "reason")


def task_sentence(row: dict, points: Decimal, context: Context) -> str:
    rule = row["rule"]
    head = f"分值{num(row['weight'])}分，{share_text(row['role'] == AssignmentRole.LEAD, row['share'])}"
    weight = Decimal(str(row.get("source_weight", 1)))  # lines frozen before 来源权重 have none
    if weight != 1:
        head += f"，{TaskSource(row['task__plan__source']).label}任务权重{num(weight)}"
    deadline, completed_on = cn_date(row["due"]), cn_date(row["task__completed_on"])
    if rule == Rule.ON_TIME:
        return f"{head}；{completed_on}办结，时限{deadline}，按期完成得{num(points)}分"
    if rule == Rule.COMPLETED_LATE:
        return f"{head}；{completed_on}办结，晚于时限{deadline}，完成得{num(points)}分（逾期另扣）"
    if rule == Rule.IN_PROGRESS:
        return f"{head}；时限{deadline}未到，按进度{row['task__progress']}%得{num(points)}分"
    return f"{head}；时限{deadline}已过仍未办结，不得分"


def late_sentence(row: dict, points: Decimal, context: Context) -> str:
    per_week, cap = context.scheme.late_percent_per_week, context.scheme.late_cap_percent
    rate = min(Decimal(row["weeks"]) * Decimal(per_week), Decimal(cap))
    capped = "（已达上限）" if Decimal(row["weeks"]) * Decimal(per_week) > Decimal(cap) else ""
    share = share_text(row["role"] == AssignmentRole.LEAD, row["share"])
    return (
        f"逾期{row['days_late']}天，计{row['weeks']}周，每周扣分值的{num(per_week)}%，上限{num(cap)}%：扣{num(rate)}%{capped}；"
        f"分值{num(row['weight'])}分，{share}，扣{num(-Decimal(points))}分"
    )


def late_report_sentence(row: dict, points: Decimal, context: Context) -> str:
    period: date = row["period"]
    return (
        f"{period.year}年{period.month}月进展报告{cn_date(row['submitted_on'])}报送，"
        f"晚于当月{context.report_due_day}日，扣{num(-Decimal(points))}分"
    )


def returned_report_sentence(row: dict, points: Decimal, context: Context) -> str:
    return f"{row['period'].year}年{row['period'].month}月进展报告被退回，扣{num(-Decimal(points))}分"


def milestone_sentence(row: dict, points: Decimal, context: Context) -> str:
    done = f"{cn_date(row['done_on'])}才完成" if row["done_on"] else "未完成"
    clipped = row["text"] if len(row["text"]) <= 30 else row["text"][:29] + "…"
    return f"节点“{clipped}”时限{cn_date(row['deadline'])}，{done}，扣{num(-Decimal(points))}分"


def finding_sentence(row: dict, points: Decimal, context: Context) -> str:
    sign = "加" if Decimal(points) >= 0 else "扣"
    rating = Rating(row["rating"]).label
    return f"“{row['inspection__title']}”督查评价为“{rating}”，{sign}{num(abs(Decimal(points)))}分"


def bulletin_sentence(row: dict, points: Decimal, context: Context) -> str:
    bulletin = context.bulletins[row["bulletin_id"]]
    verdict = Verdict.COMMEND if row["rule"] == Rule.COMMENDED else Verdict.CRITICISE
    sign = "加" if Decimal(points) >= 0 else "扣"
    why = f"（{row['reason']}）" if row["reason"] else ""
    return f"{bulletin.number or bulletin.title}予以{verdict.label}{why}，{sign}{num(abs(Decimal(points)))}分"


def _own_id(row: dict, context: Context) -> int:
    return row["id"]


REGISTRY = (
    ScoreRule(
        (Rule.ON_TIME, Rule.COMPLETED_LATE, Rule.IN_PROGRESS, Rule.OVERDUE),
        task_lines,
        Source.TASK,
        task_sentence,
        over_assignments=True,
    ),
    ScoreRule((Rule.LATE_DEDUCTION,), late_lines, Source.TASK, late_sentence, over_assignments=True),
    ScoreRule((Rule.LATE_REPORT,), late_report_lines, Source.REPORT, late_report_sentence, _own_id),
    ScoreRule((Rule.RETURNED_REPORT,), returned_report_lines, Source.REPORT, returned_report_sentence, _own_id),
    ScoreRule((Rule.MISSED_MILESTONE,), milestone_lines, Source.MILESTONE, milestone_sentence, _own_id),
    ScoreRule((Rule.FINDING,), finding_lines, Source.FINDING, finding_sentence, _own_id),
    ScoreRule(
        (Rule.COMMENDED, Rule.CRITICISED),
        bulletin_lines,
        Source.BULLETIN,
        bulletin_sentence,
        lambda row, context: context.bulletins[row["bulletin_id"]].pk,
        per_task=False,
    ),
)
_BY_RULE = {value: rule for rule in REGISTRY for value in rule.rules}
assert set(_BY_RULE) == set(Rule.values), "every Rule has exactly one ScoreRule"


def rule_of(value: str) -> ScoreRule:
    return _BY_RULE[value]


def context_for(scheme, bulletins: dict) -> Context:
    return Context(scheme=scheme, bulletins=bulletins, report_due_day=settings.PORTAL["REPORT_DUE_DAY"])


# --- sums over the registry ---------------------------------------------------------------


def sums(period: Period) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """满分 (Σ 分值 × share) and Σ points per department: one GROUP BY over the
    assignments for the task and late rules, one for each other rule."""
    full: dict[int, Decimal] = {}
    result: dict[int, Decimal] = {}
    rows = (
        scored_assignments(period)
        .values("charged")
        .annotate(
            full_marks=Sum("full", output_field=TOTAL),
            task_total=Sum("task_points", output_field=TOTAL),
            late_total=Sum("late_points", output_field=TOTAL),
        )
        .order_by()
    )
    for row in rows:
        full[row["charged"]] = Decimal(row["full_marks"]).quantize(HUNDREDTH)
        result[row["charged"]] = (Decimal(row["task_total"]) + Decimal(row["late_total"])).quantize(HUNDREDTH)
    for department, total in rule_sums(period, [rule for rule in REGISTRY if not rule.over_assignments]).items():
        result[department] = result.get(department, Decimal(0)) + total
    return full, result


def rule_sums(period: Period, rules) -> dict[int, Decimal]:
    """Σ points per department of `rules`, one GROUP BY a rule."""
    result: dict[int, Decimal] = {}
    for rule in rules:
        for row in rule.query(period).values("charged").annotate(total=Sum("points", output_field=TOTAL)).order_by():
            department = row["charged"]
            result[department] = result.get(department, Decimal(0)) + Decimal(row["total"]).quantize(HUNDREDTH)
    return result


def full_marks(period: Period) -> dict[int, Decimal]:
    return sums(period)[0]


def totals(period: Period) -> dict[int, Decimal]:
    return sums(period)[1]


def decisions(task_ids) -> dict[int, int]:
    """The approved closure (办结审批) of each completed task, the event its marks rest on."""
    rows = CompletionRequest.objects.filter(task_id__in=task_ids, status=RequestStatus.APPROVED).values_list(
        "task_id", "pk"
    )
    return dict(rows)
