"""The rules of a scheme as queries.

Each rule is a queryset of `values()` rows with `charged` (the department) and `points`, plus the
fields its explanation needs. The ranking sums every rule's `points` per department in
the database (one GROUP BY a rule); a statement lists the same rows for one department.
The two read the same expressions, so a department's total is the sum of its lines.

Points are rounded to hundredths per line in SQL. Divisions are written as products by
exact decimal factors (0.2, 0.01): SQLite divides integers as integers."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least, Round
from django.utils import timezone

from supervision.choices import BulletinStatus, Rating, Verdict
from supervision.models import BulletinDepartment, Finding
from tasks.choices import AssignmentRole, ReportStatus, RequestStatus, TaskKind, TaskStatus
from tasks.models import Assignment, CompletionRequest, Milestone, ProgressReport

from ..choices import ExtensionMode, Rule, Source
from .expressions import DaysBetween, LocalDate

HUNDREDTH = Decimal("0.01")
DECIMAL = DecimalField(max_digits=14, decimal_places=4)
TOTAL = DecimalField(max_digits=14, decimal_places=2)
# Tasks that were never given out, or were withdrawn, are not anyone's work to score.
UNSCORED_STATUSES = (TaskStatus.DRAFT, TaskStatus.CANCELLED)
SUBMITTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.RETURNED)


def text(rule: Rule) -> Value:
    return Value(rule.value, output_field=CharField())


def dec(value) -> Value:
    return Value(Decimal(value), output_field=DECIMAL)


def _points(expression) -> Round:
    return Round(ExpressionWrapper(expression, output_field=DECIMAL), 2, output_field=DECIMAL)


@dataclass(frozen=True)
class Period:
    """What a scheme scores, up to which day."""

    scheme: object
    as_of: date

    @property
    def start(self) -> date:
        return date(self.scheme.year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.scheme.year, 12, 31)

    @classmethod
    def of(cls, scheme, as_of: date | None = None) -> "Period":
        """Scores as of the year's last day, or today while the year runs."""
        end = date(scheme.year, 12, 31)
        return cls(scheme, as_of or min(end, timezone.localdate()))


def task_scope(period: Period, prefix: str = "") -> Q:
    """The tasks a scheme scores: its plan's, or every plan's of its year; tracked tasks
    given out and not withdrawn."""
    scheme = period.scheme
    q = Q(**{f"{prefix}kind": TaskKind.TASK}) & ~Q(**{f"{prefix}status__in": UNSCORED_STATUSES})
    if scheme.plan_id:
        return q & Q(**{f"{prefix}plan_id": scheme.plan_id})
    return q & Q(**{f"{prefix}plan__year": scheme.year})


def _assignments(period: Period):
    """Every department's part in every scored task, with its 分值, share and deadline,
    and the points of its two rules: the task's marks and the late deduction."""
    scheme = period.scheme
    deadline = F("task__deadline")
    if scheme.extension_mode == ExtensionMode.ORIGINAL:
        deadline = Coalesce(F("task__original_deadline"), F("task__deadline"))
    done = Q(task__status=TaskStatus.COMPLETED, task__completed_on__lte=period.as_of)
    part = F("weight") * F("share")
    rate = Least(
        ExpressionWrapper(F("weeks") * dec(scheme.late_percent_per_week), output_field=DECIMAL),
        dec(scheme.late_cap_percent),
        output_field=DECIMAL,
    )
    return (
        Assignment.objects.filter(task_scope(period, "task__"))
        .annotate(
            weight=Coalesce(F("task__weight"), dec(scheme.default_weight), output_field=DECIMAL),
            share=Case(
                When(role=AssignmentRole.LEAD, then=dec(1)),
                default=dec(scheme.cooperating_share_percent * HUNDREDTH),
                output_field=DECIMAL,
            ),
            # A task without a date is due at the end of the year it is scored in.
            due=Coalesce(deadline, Value(period.end, output_field=DateField()), output_field=DateField()),
            done=Case(When(done, then=Value(1)), default=Value(0), output_field=IntegerField()),
            finished=Case(
                When(done, then=F("task__completed_on")),
                default=Value(period.as_of, output_field=DateField()),
                output_field=DateField(),
            ),
        )
        .annotate(days_late=DaysBetween(F("finished"), F("due")), charged=F("department_id"))
        # A part week late counts as a whole one.
        .annotate(weeks=ExpressionWrapper((F("days_late") + Value(6)) / Value(7), output_field=IntegerField()))
        .annotate(
            full=_points(part),
            # Full 分值 × share once completed (on time or late), × progress while not
            # yet due, nothing when overdue and open.
            task_points=Case(
                When(done=1, then=_points(part)),
                When(days_late__lte=0, then=_points(part * F("task__progress") * dec(HUNDREDTH))),
                default=dec(0),
                output_field=DECIMAL,
            ),
            late_points=Case(
                When(days_late__gt=0, then=-_points(part * rate * dec(HUNDREDTH))),
                default=dec(0),
                output_field=DECIMAL,
            ),
        )
    )


def task_lines(period: Period):
    """One line per department and task (按期完成, 逾期完成, 按进度, 逾期未完成)."""
    return (
        _assignments(period)
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
        )
    )


def late_lines(period: Period):
    """逾期扣分: each week late takes a percentage of the department's part of the task,
    up to the cap; completed tasks are late to their completion, open ones to the
    scoring day."""
    return (
        _assignments(period)
        .filter(late_points__lt=0)
        .annotate(rule=text(Rule.LATE_DEDUCTION), points=F("late_points"))
        .values("charged", "task_id", "rule", "points", "role", "weight", "share", "days_late", "weeks", "done")
    )


def _reports(period: Period):
    return ProgressReport.objects.filter(
        task_scope(period, "task__"),
        status__in=SUBMITTED,
        period__gte=period.start,
        period__lte=period.as_of,
        # A report counts against the department that sent it while it has a part in the task.
        department__assignments__task_id=F("task_id"),
    ).annotate(submitted_on=LocalDate("submitted_at"), charged=F("department_id"))


def late_report_lines(period: Period):
    """迟报: a report sent after the month's due day (PORTAL['REPORT_DUE_DAY'])."""
    due_day = settings.PORTAL["REPORT_DUE_DAY"]
    return (
        _reports(period)
        .annotate(days=DaysBetween(F("submitted_on"), F("period")))
        .filter(days__gte=due_day, submitted_on__lte=period.as_of)
        .annotate(rule=text(Rule.LATE_REPORT), points=-dec(period.scheme.late_report_points))
        .values("charged", "task_id", "rule", "points", "id", "period", "submitted_on")
    )


def returned_report_lines(period: Period):
    """退回: a report the reviewer sent back and that stands returned."""
    return (
        _reports(period)
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


RULES = (
    task_lines,
    late_lines,
    late_report_lines,
    returned_report_lines,
    milestone_lines,
    finding_lines,
    bulletin_lines,
)
# The two rules over assignments are summed together with the full marks, in one pass.
ASSIGNMENT_RULES = (task_lines, late_lines)


def sums(period: Period) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """满分 (Σ 分值 × share) and Σ points per department: one GROUP BY over the
    assignments for the task and late rules, one for each other rule."""
    full: dict[int, Decimal] = {}
    result: dict[int, Decimal] = {}
    rows = (
        _assignments(period)
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
    for rule in RULES:
        if rule in ASSIGNMENT_RULES:
            continue
        for row in rule(period).values("charged").annotate(total=Sum("points", output_field=TOTAL)).order_by():
            department = row["charged"]
            result[department] = result.get(department, Decimal(0)) + Decimal(row["total"]).quantize(HUNDREDTH)
    return full, result


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


def source_of(rule: str) -> str:
    return {
        Rule.LATE_REPORT: Source.REPORT,
        Rule.RETURNED_REPORT: Source.REPORT,
        Rule.MISSED_MILESTONE: Source.MILESTONE,
        Rule.FINDING: Source.FINDING,
        Rule.COMMENDED: Source.BULLETIN,
        Rule.CRITICISED: Source.BULLETIN,
    }.get(rule, Source.TASK)
