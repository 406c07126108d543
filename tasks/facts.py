"""Facts kept on each task so that pages need not derive them from other tables every
time, and the check that they agree with the rows they come from.

`Task.reported_through`: the latest report period for which the task's lead department
has sent a report (submitted or accepted). Database triggers keep it (migration 0014),
whatever writes the reports or the assignments.

`Task.waiting` (待审): a report of the task is submitted, or a request is pending. Database
triggers keep it (migration 0020), whatever writes the reports or the requests.

`ProgressReport.from_lead`: the report's department leads its task. Database triggers keep
it (migration 0022) from the assignments.

`TaskTally`: how many tracked tasks share each shape, for the office's overview. Database
triggers keep it (migration 0020), whatever writes the tasks or their plans.

`DepartmentTally`: the same per department and role, for the department ranking. Database
triggers keep it (migration 0024), whatever writes the assignments, the tasks or their plans."""

from collections import Counter
from datetime import date

from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q, Subquery

from .choices import ACTIVE_STATUSES, AssignmentRole, ReportStatus, RequestStatus, TaskStatus
from .cycles import add_months
from .models import (
    Assignment,
    CompletionRequest,
    DepartmentTally,
    ExtensionRequest,
    ParticipationRequest,
    Plan,
    ProgressReport,
    Task,
    TaskTally,
)


def latest_sent_period():
    """The source of `reported_through`, from the reports themselves."""
    return Subquery(
        ProgressReport.objects.filter(
            task=OuterRef("pk"),
            status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED],
            department__assignments__task=OuterRef("pk"),
            department__assignments__role=AssignmentRole.LEAD,
        )
        .values("task")
        .annotate(latest=Max("period"))
        .values("latest")
    )


def disagreeing(tasks=None) -> list[int]:
    """Ids of the tasks whose kept `reported_through` differs from their reports: none, as
    long as the triggers hold."""
    tasks = Task.objects.all() if tasks is None else tasks
    checked = tasks.annotate(source=latest_sent_period())
    differ = (
        Q(source__isnull=True, reported_through__isnull=False)
        | Q(source__isnull=False, reported_through__isnull=True)
        | Q(source__isnull=False, reported_through__isnull=False) & ~Q(reported_through=F("source"))
    )
    return list(checked.filter(differ).order_by("pk").values_list("pk", flat=True))


def waiting_source() -> Q:
    """The source of `Task.waiting` (待审), from the rows themselves: a submitted report or a
    pending request."""
    return (
        Q(pk__in=ProgressReport.objects.filter(status=ReportStatus.SUBMITTED).values("task_id"))
        | Q(pk__in=ExtensionRequest.objects.filter(status=RequestStatus.PENDING).values("task_id"))
        | Q(pk__in=CompletionRequest.objects.filter(status=RequestStatus.PENDING).values("task_id"))
        | Q(pk__in=ParticipationRequest.objects.filter(status=RequestStatus.PENDING).values("task_id"))
    )


def waiting_disagreeing(tasks=None) -> list[int]:
    """Ids of the tasks whose kept `waiting` differs from their reports and requests."""
    tasks = Task.objects.all() if tasks is None else tasks
    differ = (Q(waiting=True) & ~waiting_source()) | (Q(waiting=False) & waiting_source())
    return list(tasks.filter(differ).order_by("pk").values_list("pk", flat=True))


def from_lead_disagreeing() -> list[int]:
    """Ids of the reports whose kept `from_lead` differs from the assignments."""
    leads = Exists(Assignment.objects.leads().filter(task=OuterRef("task"), department=OuterRef("department")))
    reports = ProgressReport.objects.annotate(source=leads)
    differ = Q(from_lead=True, source=False) | Q(from_lead=False, source=True)
    return list(reports.filter(differ).order_by("pk").values_list("pk", flat=True))


# The task tally (models.TaskTally), kept by the triggers of migration 0020. The same rule in
# Python: the check below holds the triggers to it.


def _month_start_on_or_after(day: date) -> date:
    return day if day.day == 1 else add_months(day, 1)


def _owed_since(task: dict) -> date | None:
    """The first period start whose report an active task owes and has not sent."""
    starts = [
        _month_start_on_or_after(task["assigned_on"]) if task["assigned_on"] else None,
        add_months(task["reported_through"], 1) if task["reported_through"] else None,
    ]
    return max((start for start in starts if start), default=None)


def _on_time(task: dict) -> bool:
    return task["status"] == TaskStatus.COMPLETED and (
        task["deadline"] is None or task["completed_on"] <= task["deadline"]
    )


def shape_of(task: dict, plan_source: str, plan_cycle: str) -> tuple:
    """The tally columns of one tracked task (a dict of its fields), in TALLY_COLUMNS order."""
    status = task["status"]
    active = status in ACTIVE_STATUSES
    completed = status == TaskStatus.COMPLETED
    owed_since = _owed_since(task) if active else None
    return (
        plan_source,
        status,
        task["waiting"],
        None if completed else task["deadline"],
        task["completed_on"],
        _on_time(task),
        task["acknowledge_by"] if status == TaskStatus.ASSIGNED else None,
        (task["report_cycle"] or plan_cycle) if active else "",
        owed_since,
    )


TALLY_COLUMNS = (
    "source",
    "status",
    "waiting",
    "deadline",
    "completed_on",
    "on_time",
    "acknowledge_by",
    "cycle",
    "owed_since",
)
_TASK_FIELDS = (
    "plan_id",
    "status",
    "waiting",
    "deadline",
    "completed_on",
    "acknowledge_by",
    "report_cycle",
    "assigned_on",
    "reported_through",
)


def shape_text(columns: tuple) -> str:
    """`TaskTally.shape`, as the triggers write it: the values joined by "|"."""

    def text(value) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "1" if value else "0"
        return value.isoformat() if isinstance(value, date) else str(value)

    return "|".join(text(value) for value in columns)


def tally_from_tasks() -> Counter:
    """The tally as the tasks themselves give it: {columns: number of tasks}."""
    plans = {pk: (source, cycle) for pk, source, cycle in Plan.objects.values_list("pk", "source", "report_cycle")}
    counted: Counter = Counter()
    rows = Task.objects.tracked().order_by().values(*_TASK_FIELDS)
    for task in rows.iterator(chunk_size=10_000):
        counted[shape_of(task, *plans[task["plan_id"]])] += 1
    return counted


def tally_disagreeing() -> dict[tuple, tuple[int, int]]:
    """{columns: (kept, from the tasks)} for every shape whose kept count differs from the
    tasks: empty, as long as the triggers hold."""
    kept: Counter = Counter()
    for row in TaskTally.objects.exclude(n=0).values(*TALLY_COLUMNS, "shape", "n"):
        columns = tuple(row[name] for name in TALLY_COLUMNS)
        # A row whose shape text is not its columns' would be found by the wrong upserts.
        kept[columns if row["shape"] == shape_text(columns) else ("shape", row["shape"])] += row["n"]
    counted = tally_from_tasks()
    return {key: (kept[key], counted[key]) for key in kept.keys() | counted.keys() if kept[key] != counted[key]}


@transaction.atomic
def tally_rebuild() -> int:
    """Write the tally afresh from the tasks; the number of shapes written."""
    TaskTally.objects.all().delete()
    rows = [
        TaskTally(shape=shape_text(columns), n=n, **dict(zip(TALLY_COLUMNS, columns, strict=True)))
        for columns, n in tally_from_tasks().items()
    ]
    TaskTally.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# The department tally (models.DepartmentTally), kept by the triggers of migration 0024.

DEPARTMENT_TALLY_COLUMNS = ("department_id", "role", "status", "on_time", "deadline_month", "cycle", "owed_since")


def department_shape_of(department_id: int, role: str, task: dict, plan_cycle: str) -> tuple[tuple, int]:
    """The department tally columns of one assignment of a tracked task (in
    DEPARTMENT_TALLY_COLUMNS order), and the days its task was late (a lead's, completed)."""
    if role != AssignmentRole.LEAD:
        return (department_id, role, "", False, None, "", None), 0
    status = task["status"]
    active = status in ACTIVE_STATUSES
    on_time = _on_time(task)
    late = status == TaskStatus.COMPLETED and not on_time
    columns = (
        department_id,
        role,
        status,
        on_time,
        task["deadline"].replace(day=1) if active and task["deadline"] else None,
        (task["report_cycle"] or plan_cycle) if active else "",
        _owed_since(task) if active else None,
    )
    return columns, (task["completed_on"] - task["deadline"]).days if late else 0


def department_tally_from_assignments() -> dict[tuple, list[int]]:
    """The department tally as the assignments give it: {columns: [assignments, days late]}."""
    cycles = dict(Plan.objects.values_list("pk", "report_cycle"))
    fields = [f"task__{name}" for name in _TASK_FIELDS]
    counted: dict[tuple, list[int]] = {}
    rows = Assignment.objects.filter(task__kind="task").order_by().values_list("department_id", "role", *fields)
    for department_id, role, *values in rows.iterator(chunk_size=10_000):
        task = dict(zip(_TASK_FIELDS, values, strict=True))
        columns, delay = department_shape_of(department_id, role, task, cycles[task["plan_id"]])
        kept = counted.setdefault(columns, [0, 0])
        kept[0] += 1
        kept[1] += delay
    return counted


def department_tally_disagreeing() -> dict[tuple, tuple[list[int], list[int]]]:
    """{columns: (kept, from the assignments)} for every shape whose kept count or delay
    differs: empty, as long as the triggers hold."""
    kept: dict[tuple, list[int]] = {}
    for row in DepartmentTally.objects.exclude(n=0).values(*DEPARTMENT_TALLY_COLUMNS, "shape", "n", "delay"):
        columns = tuple(row[name] for name in DEPARTMENT_TALLY_COLUMNS)
        key = columns if row["shape"] == shape_text(columns) else ("shape", row["shape"])
        figures = kept.setdefault(key, [0, 0])
        figures[0] += row["n"]
        figures[1] += row["delay"]
    counted = department_tally_from_assignments()
    none = [0, 0]
    return {
        key: (kept.get(key, none), counted.get(key, none))
        for key in kept.keys() | counted.keys()
        if kept.get(key, none) != counted.get(key, none)
    }


@transaction.atomic
def department_tally_rebuild() -> int:
    """Write the department tally afresh from the assignments; the number of shapes written."""
    DepartmentTally.objects.all().delete()
    rows = [
        DepartmentTally(
            shape=shape_text(columns), n=n, delay=delay, **dict(zip(DEPARTMENT_TALLY_COLUMNS, columns, strict=True))
        )
        for columns, (n, delay) in department_tally_from_assignments().items()
    ]
    DepartmentTally.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def facts_disagreeing() -> dict[str, int]:
    """How many tasks (or tally shapes) each kept fact has wrong: all 0 while the triggers hold."""
    return {
        "reported_through": len(disagreeing()),
        "waiting": len(waiting_disagreeing()),
        "from_lead": len(from_lead_disagreeing()),
        "tally": len(tally_disagreeing()),
        "department_tally": len(department_tally_disagreeing()),
    }


@transaction.atomic
def facts_repair() -> dict[str, int]:
    """Write every kept fact afresh from its source rows where it disagrees; what was mended."""
    reported = disagreeing()
    Task.objects.filter(pk__in=reported).update(reported_through=latest_sent_period())
    waiting = waiting_disagreeing()
    Task.objects.filter(pk__in=waiting).filter(waiting_source()).update(waiting=True)
    Task.objects.filter(pk__in=waiting).exclude(waiting_source()).update(waiting=False)
    from_lead = from_lead_disagreeing()
    leads = Exists(Assignment.objects.leads().filter(task=OuterRef("task"), department=OuterRef("department")))
    ProgressReport.objects.filter(pk__in=from_lead).update(from_lead=leads)
    shapes = len(tally_disagreeing())
    if shapes:
        tally_rebuild()
    department_shapes = len(department_tally_disagreeing())
    if department_shapes:
        department_tally_rebuild()
    return {
        "reported_through": len(reported),
        "waiting": len(waiting),
        "from_lead": len(from_lead),
        "tally": shapes,
        "department_tally": department_shapes,
    }
