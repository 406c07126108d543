"""What the dashboards count, each figure one database aggregate over the filtered tasks.

Every figure comes with the task-list filter that lists exactly the tasks it
counts, so that a number on a dashboard always opens to its tasks."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from departments.models import Department
from tasks.choices import ACTIVE_STATUSES, AssignmentRole, Light, ReportStatus, TaskKind, TaskStatus
from tasks.figures import percent_text, rounded, share_percent
from tasks.filtersets import on_time_q, overdue_on, pending_decision
from tasks.models import Assignment, DepartmentTally, Plan, ProgressReport, Task
from tasks.querysets import ALL, department_seen_by, report_cycle, report_late_q, tally_report_late_q


@dataclass
class Tile:
    key: str
    label: str
    value: int | str
    query: str  # task-list parameters that list exactly the tasks counted
    note: str = ""
    tone: str = ""


def of_every_task(user, filterset) -> bool:
    """The dashboard shows every tracked task: its user sees them all and no filter is set.
    Its figures can then be summed from the tally (tasks.selectors.tally)."""
    return department_seen_by(user) is ALL and not any(filterset.data.get(name) for name in filterset.filters)


def _rate(part: int, whole: int) -> str:
    return percent_text(share_percent(part, whole))


def counted(tasks, *, today: date, weeks: int = 12, months: int = 6, tally=None) -> dict:
    """Every figure of the overview, its trend and its deadline calendar, in one pass: one
    grouped query (by light and report lateness, so each row's light is worked out once)
    whose rows are summed here. `tasks` is the filtered, light-annotated queryset of
    tracked tasks the user may see.

    `tally` (tasks.selectors.tally), when `tasks` are all tracked tasks: the same figures
    summed over the kept shapes instead of the tasks. A shape does not keep a completed
    task's deadline, so the trend's "overdue at that Sunday" reads the completed tasks
    themselves, the few completed after the first Sunday (an index on completed_on)."""
    warning = settings.PORTAL["WARNING_DAYS"]
    active = Q(status__in=ACTIVE_STATUSES)
    if tally is None:
        rows, on_time, acknowledge_late = tasks, on_time_q(), Task.objects.acknowledge_late_q(today)

        def number(condition=None):
            return Count("pk", filter=condition)
    else:
        rows, on_time, acknowledge_late = (
            tally,
            Q(on_time=True),
            Q(status=TaskStatus.ASSIGNED, acknowledge_by__lt=today),
        )

        def number(condition=None):
            return Coalesce(Sum("n", filter=condition), 0)

    aggregates = {
        "total": number(),
        "completed": number(Q(status=TaskStatus.COMPLETED)),
        "on_time": number(on_time),
        "due7": number(active & Q(deadline__gte=today, deadline__lte=today + timedelta(days=7))),
        "due30": number(active & Q(deadline__gte=today, deadline__lte=today + timedelta(days=30))),
        "acknowledge_late": number(acknowledge_late),
        "pending": number(pending_decision()),
        **{f"status_{s}": number(Q(status=s)) for s in TaskStatus.values},
    }
    mondays = _mondays(today, weeks)
    sundays = [monday + timedelta(days=6) for monday in mondays]
    overdue_at_sundays = {f"late{n}": number(overdue_on(sunday)) for n, sunday in enumerate(sundays)}
    for n, (monday, sunday) in enumerate(zip(mondays, sundays, strict=True)):
        aggregates[f"done{n}"] = number(Q(completed_on__gte=monday, completed_on__lte=sunday))
    aggregates |= overdue_at_sundays
    bounds = _months(today, months)
    for n, (start, end) in enumerate(bounds):
        aggregates[f"m{n}"] = number(active & Q(deadline__gte=start, deadline__lte=end))
    counts = dict.fromkeys(aggregates, 0) | {f"light_{light}": 0 for light in Light.values} | {"report_late": 0}
    for row in rows.order_by().values("light", "report_late").annotate(**aggregates):
        for name in aggregates:
            counts[name] += row[name]
        counts[f"light_{row['light']}"] += row["total"]
        counts["report_late"] += row["total"] if row["report_late"] else 0
    if tally is not None:
        late_finished = Task.objects.tracked().filter(status=TaskStatus.COMPLETED, completed_on__gt=sundays[0])
        finished = {
            name: Count("pk", filter=overdue_on(sunday))
            for name, sunday in zip(overdue_at_sundays, sundays, strict=True)
        }
        for name, value in late_finished.aggregate(**finished).items():
            counts[name] += value
    counts.update(today=today, warning=warning, mondays=mondays, months=bounds)
    return counts


def overview(tasks, *, today: date, counts: dict | None = None) -> dict:
    """The overview's tiles and the figures its charts draw, from `counted` (computed here
    when not given). `tasks` is the filtered, light-annotated queryset of tracked tasks."""
    counts = counts or counted(tasks, today=today)
    warning = counts["warning"]
    counts["overdue"] = counts[f"light_{Light.RED}"]
    tiles = [
        Tile("total", gettext("任务总数"), counts["total"], ""),
        Tile(
            "completed",
            gettext("已办结"),
            counts["completed"],
            "status=completed",
            note=gettext("完成率 %(rate)s") % {"rate": _rate(counts["completed"], counts["total"])},
        ),
        Tile(
            "on_time",
            gettext("按期办结"),
            counts["on_time"],
            "on_time=yes",
            note=gettext("按期率 %(rate)s") % {"rate": _rate(counts["on_time"], counts["completed"])},
        ),
        Tile("overdue", gettext("逾期（红灯）"), counts["overdue"], "light=red", tone="red"),
        Tile("due7", gettext("7天内到期"), counts["due7"], "due_within=7", tone="yellow"),
        Tile("due30", gettext("30天内到期"), counts["due30"], "due_within=30"),
        Tile(
            "report_late",
            gettext("本月报告未报"),
            counts["report_late"],
            "report_late=true",
            tone="yellow",
            note=gettext("每月%(day)s日前报送") % {"day": settings.PORTAL["REPORT_DUE_DAY"]},
        ),
        Tile("pending", gettext("待审事项"), counts["pending"], "pending=true"),
        Tile(
            "acknowledge_late",
            gettext("超时未签收"),
            counts["acknowledge_late"],
            "acknowledge_late=true",
            tone="red",
            note=gettext("已过签收时限仍未签收"),
        ),
    ]
    statuses = [
        Tile(f"status_{s}", TaskStatus(s).label, counts[f"status_{s}"], f"status={s}") for s in TaskStatus.values
    ]
    lights = [
        Tile(f"light_{light}", Light(light).label, counts[f"light_{light}"], f"light={light}", tone=light)
        for light in Light.values
    ]
    return {"tiles": tiles, "statuses": statuses, "lights": lights, "warning_days": warning}


@dataclass
class DepartmentRow:
    department: Department
    led: int
    cooperating: int
    on_time: int
    overdue: int
    reports_late: int
    average_delay: float | None


RANKING_COLUMNS = {
    "name": (gettext_lazy("部门"), lambda row: row.department.name),
    "led": (gettext_lazy("牵头任务"), lambda row: row.led),
    "cooperating": (gettext_lazy("配合任务"), lambda row: row.cooperating),
    "on_time": (gettext_lazy("按期办结"), lambda row: row.on_time),
    "overdue": (gettext_lazy("逾期"), lambda row: row.overdue),
    "reports_late": (gettext_lazy("报告迟报"), lambda row: row.reports_late),
    "average_delay": (
        gettext_lazy("平均延误（天）"),
        lambda row: row.average_delay if row.average_delay is not None else -1,
    ),
}


def ranking_order_note(sort: str, descending: bool) -> str:
    """What the order of 部门排名 means, in words: it is the order of a column, not a score."""
    label = RANKING_COLUMNS.get(sort, RANKING_COLUMNS["overdue"])[0]
    if sort == "name":
        return gettext("按部门名称排列。")
    if descending:
        text = gettext(
            "按“%(column)s”从多到少排列，序号只是当前的排列顺序，不是考核名次（考核名次见“考核”）。"
            "点击列名可换一种排列。"
        )
    else:
        text = gettext(
            "按“%(column)s”从少到多排列，序号只是当前的排列顺序，不是考核名次（考核名次见“考核”）。"
            "点击列名可换一种排列。"
        )
    return text % {"column": label}


def department_ranking(
    tasks, *, sort: str = "overdue", descending: bool = True, every_task: bool = False
) -> list[DepartmentRow]:
    """Per department: tasks led and co-operated, led tasks completed on time, overdue,
    with the month's report late, and the average delay of led tasks completed late.
    `every_task`: `tasks` are all tracked tasks (of_every_task), so the figures are summed
    from the department tally instead of 2.5 million assignments at a million tasks."""
    today = timezone.localdate()
    due_day = settings.PORTAL["REPORT_DUE_DAY"]
    figures = _ranked_from_tally(today, due_day) if every_task else _ranked_from_tasks(tasks, today, due_day)
    departments = Department.objects.in_bulk(list(figures))
    result = [
        DepartmentRow(
            department=departments[pk],
            led=row["led"] or 0,
            cooperating=row["cooperating"] or 0,
            on_time=row["on_time"] or 0,
            overdue=row["overdue"] or 0,
            reports_late=row["reports_late"] or 0,
            average_delay=row["delay"],
        )
        for pk, row in sorted(figures.items())
    ]
    # Ties keep the departments' order (sorted is stable, reversed too), whichever way
    # the figures were counted.
    key = RANKING_COLUMNS.get(sort, RANKING_COLUMNS["overdue"])[1]
    return sorted(result, key=key, reverse=descending)


def _ranked_from_tasks(tasks, today: date, due_day: int) -> dict[int, dict]:
    """The ranking's figures of `tasks`, counted over their assignments in one pass."""
    lead = Q(role=AssignmentRole.LEAD)
    completed_late = lead & Q(task__status=TaskStatus.COMPLETED, task__completed_on__gt=F("task__deadline"))
    delay = ExpressionWrapper(F("task__completed_on") - F("task__deadline"), output_field=DurationField())
    assignments = Assignment.objects.filter(task__in=tasks)
    # The month's late reports in the same pass: a second query over the late tasks took
    # two seconds more after the due day at a million tasks.
    late = report_late_q(today, due_day, prefix="task__")
    if late is not None:
        assignments = assignments.annotate(cycle=report_cycle("task__"))
    rows = assignments.values("department").annotate(
        reports_late=Count("pk", filter=lead & late) if late is not None else Value(0),
        led=Count("pk", filter=lead),
        cooperating=Count("pk", filter=Q(role=AssignmentRole.COOPERATING)),
        on_time=Count("pk", filter=lead & on_time_q("task__")),
        overdue=Count("pk", filter=lead & Q(task__status__in=ACTIVE_STATUSES, task__deadline__lt=today)),
        delay=Avg(delay, filter=completed_late),
    )
    return {row["department"]: {**row, "delay": _days(row["delay"])} for row in rows}


def _ranked_from_tally(today: date, due_day: int) -> dict[int, dict]:
    """The ranking's figures of every tracked task, summed from the department tally. A
    shape keeps an active task's deadline by its month: the months before this one are
    summed, and this month's tasks due before today are counted live (one month of
    deadlines, through the index on status and deadline)."""
    lead = Q(role=AssignmentRole.LEAD)
    month = today.replace(day=1)
    late = tally_report_late_q(today, due_day)
    completed = lead & Q(status=TaskStatus.COMPLETED)
    rows = DepartmentTally.objects.values("department_id").annotate(
        reports_late=Sum("n", filter=lead & late) if late is not None else Value(0),
        led=Sum("n", filter=lead),
        cooperating=Sum("n", filter=Q(role=AssignmentRole.COOPERATING)),
        completed_on_time=Sum("n", filter=completed & Q(on_time=True)),
        overdue=Sum("n", filter=lead & Q(status__in=ACTIVE_STATUSES, deadline_month__lt=month)),
        completed_late=Sum("n", filter=completed & Q(on_time=False)),
        days_late=Sum("delay"),
    )
    this_month = dict(
        Assignment.objects.filter(
            lead,
            task__kind=TaskKind.TASK,
            task__status__in=ACTIVE_STATUSES,
            task__deadline__gte=month,
            task__deadline__lt=today,
        )
        .values("department")
        .annotate(n=Count("pk"))
        .values_list("department", "n")
    )
    return {
        row["department_id"]: {
            **row,
            "on_time": row["completed_on_time"],
            "overdue": (row["overdue"] or 0) + this_month.get(row["department_id"], 0),
            "delay": round(row["days_late"] / row["completed_late"], 1) if row["completed_late"] else None,
        }
        for row in rows
    }


def _days(value) -> float | None:
    """An average duration as days (PostgreSQL gives a timedelta, SQLite microseconds)."""
    if value is None:
        return None
    if isinstance(value, timedelta):
        return round(value.total_seconds() / 86400, 1)
    return round(float(value) / 86_400_000_000, 1)


WEIGHT = Coalesce("weight", Value(Decimal(1)))


@dataclass
class Rollup:
    label: str
    weighted: Decimal
    weights: Decimal
    tasks: int
    completed: int
    query: str
    plan: Plan | None = None
    plan: Plan | None = None

    @property
    def progress(self) -> Decimal:
        """Weighted percent, rounded by the portal's one rule, so it equals its formula's result."""
        return rounded(self.weighted / self.weights) if self.weights else rounded(0)

    @property
    def formula(self) -> str:
        """The roll-up as people can redo it: Σ(分值×进度) ÷ Σ分值."""
        weighted, weights = f"{self.weighted.normalize():f}", f"{self.weights.normalize():f}"
        return gettext("Σ(分值×进度) ÷ Σ分值 = %(weighted)s ÷ %(weights)s = %(progress)s") % {
            "weighted": weighted,
            "weights": weights,
            "progress": percent_text(self.progress),
        }


def accepted_progress():
    """A task's progress as the office accepted it, for the public: 100 once completed,
    else the percent of the lead's latest accepted report, else 0. A report submitted but
    not yet accepted, or returned, does not count (task.progress moves at submission)."""
    leads = Assignment.objects.filter(task=OuterRef(OuterRef("pk")), role=AssignmentRole.LEAD).values("department")
    latest = (
        ProgressReport.objects.filter(task=OuterRef("pk"), status=ReportStatus.ACCEPTED, department__in=leads)
        .order_by("-period", "-reviewed_at", "-pk")
        .values("percent")[:1]
    )
    return Case(
        When(status=TaskStatus.COMPLETED, then=Value(100)),
        default=Coalesce(Subquery(latest), Value(0)),
        output_field=IntegerField(),
    )


def plans_with_tasks(tasks):
    """The ids of the plans that have any of `tasks`, in the order plan_progress lists
    them: newest year first, then by title."""
    return (
        Plan.objects.filter(pk__in=tasks.order_by().values("plan"))
        .order_by(F("year").desc(nulls_last=True), "title", "pk")
        .values_list("pk", flat=True)
    )


def plan_progress(tasks, *, progress=None) -> list[tuple[Rollup, list[Rollup]]]:
    """Each plan's weighted progress, and each of its top-level chapters'. A task without a
    weight counts 1; progress is the task's percent (100 once completed), or the
    `progress` expression given (accepted_progress() for the public)."""
    number = DecimalField(max_digits=20, decimal_places=2)
    weighted = Sum(ExpressionWrapper(WEIGHT * (progress or F("progress")), output_field=number))
    measures = {
        "weighted": Coalesce(weighted, Value(Decimal(0)), output_field=number),
        "weights": Coalesce(Sum(WEIGHT), Value(Decimal(0)), output_field=number),
        "tasks": Count("pk"),
        "completed": Count("pk", filter=Q(status=TaskStatus.COMPLETED)),
    }
    per_plan = {row["plan"]: row for row in tasks.values("plan").annotate(**measures)}
    per_chapter = (
        tasks.annotate(chapter=Substr("sort_key", 1, 4))
        .values("plan", "chapter")
        .annotate(**measures)
        .order_by("plan", "chapter")
    )
    chapters_by_plan: dict[int, list] = {}
    for row in per_chapter:
        chapters_by_plan.setdefault(row["plan"], []).append(row)
    plans = Plan.objects.in_bulk(list(per_plan))
    chapter_titles = {
        (t.plan_id, t.sort_key): f"{t.number}{t.title}"
        for t in Task.objects.filter(plan__in=plans.values(), parent__isnull=True).only(
            "plan", "sort_key", "number", "title"
        )
    }
    chapter_ids = {
        (t.plan_id, t.sort_key): t.pk
        for t in Task.objects.filter(plan__in=plans.values(), parent__isnull=True).only("pk", "plan", "sort_key")
    }
    result = []
    for plan_id, row in sorted(per_plan.items(), key=lambda item: (-(plans[item[0]].year or 0), plans[item[0]].title)):
        plan = plans[plan_id]
        rollup = Rollup(
            plan.title,
            Decimal(row["weighted"]),
            Decimal(row["weights"]),
            row["tasks"],
            row["completed"],
            f"plan={plan_id}",
            plan=plan,
        )
        chapters = [
            Rollup(
                chapter_titles.get((plan_id, c["chapter"]), c["chapter"]),
                Decimal(c["weighted"]),
                Decimal(c["weights"]),
                c["tasks"],
                c["completed"],
                f"plan={plan_id}&chapter={chapter_ids.get((plan_id, c['chapter']), '')}",
            )
            for c in chapters_by_plan.get(plan_id, [])
        ]
        result.append((rollup, chapters))
    return result


def _mondays(today: date, weeks: int) -> list[date]:
    this_monday = today - timedelta(days=today.weekday())
    return [this_monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def _months(today: date, months: int) -> list[tuple[date, date]]:
    first, bounds = today.replace(day=1), []
    for _ in range(months):
        following = (first + timedelta(days=32)).replace(day=1)
        bounds.append((first, following - timedelta(days=1)))
        first = following
    return bounds


def trend(tasks, *, today: date, counts: dict | None = None) -> list[dict]:
    """Week by week (Monday to Sunday) for the last twelve weeks: tasks completed that week,
    and tasks overdue at its end (past their deadline and not completed by then)."""
    counts = counts or counted(tasks, today=today)
    return [
        {
            "week": monday,
            "completed": counts[f"done{n}"],
            "overdue": counts[f"late{n}"],
            "completed_query": f"completed_after={monday}&completed_before={monday + timedelta(days=6)}",
            "overdue_query": f"overdue_on={monday + timedelta(days=6)}",
        }
        for n, monday in enumerate(counts["mondays"])
    ]


def deadline_calendar(tasks, *, today: date, counts: dict | None = None) -> list[dict]:
    """Open tasks falling due in each of the coming six months."""
    counts = counts or counted(tasks, today=today)
    return [
        {
            "month": start,
            "count": counts[f"m{n}"],
            "query": f"active=true&deadline_after={start}&deadline_before={end}",
        }
        for n, (start, end) in enumerate(counts["months"])
    ]
