"""Reads of tasks, already scoped to the user and carrying what their pages show."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import OuterRef, Prefetch, Subquery
from django.shortcuts import get_object_or_404

from departments.models import DepartmentAlias

from ..choices import AssignmentRole, ReportStatus, RequestStatus
from ..models import (
    Assignment,
    CompletionRequest,
    ExtensionRequest,
    Indicator,
    IndicatorValue,
    Milestone,
    ParticipationRequest,
    ProgressReport,
    Task,
    TaskEvent,
    TaskTally,
)
from ..querysets import of_visible_tasks


def warning_days() -> int:
    return settings.PORTAL["WARNING_DAYS"]


def lights(queryset, today: date):
    return queryset.with_light(
        today=today, warning_days=warning_days(), report_due_day=settings.PORTAL["REPORT_DUE_DAY"]
    )


def tally(today: date):
    """Every tracked task's shape with its count, `light` and `report_late` as of `today`
    (models.TaskTally): the office's overview of all tasks, without reading them."""
    return TaskTally.objects.with_light(
        today=today, warning_days=warning_days(), report_due_day=settings.PORTAL["REPORT_DUE_DAY"]
    )


def _assignments_prefetch() -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.select_related("department").prefetch_related(
            Prefetch("department__aliases", queryset=DepartmentAlias.objects.order_by("kind", "id"))
        ),
    )


def task_list(*, user, today: date):
    """Tracked tasks the user may see, with their light, in document order: what a list
    filters, counts and pages through. `task_rows` then dresses one page of them."""
    return lights(Task.objects.visible_to(user).tracked(), today).order_by("plan__title", "plan_id", "sort_key")


def next_step(today: date) -> Subquery:
    """The date of the task's next open step (milestone) from today on."""
    return Subquery(
        Milestone.objects.filter(task=OuterRef("pk"), done_on__isnull=True, deadline__gte=today)
        .order_by("deadline")
        .values("deadline")[:1]
    )


def task_rows(ids: list[int], *, today: date) -> list[Task]:
    """One page of the list, in the order of `ids`, with light, plan, departments, the
    latest report's date and the next step's: the per-row subqueries run for these rows only."""
    latest_report = (
        ProgressReport.objects.filter(task=OuterRef("pk"))
        .exclude(status=ReportStatus.DRAFT)
        .order_by("-submitted_at")
        .values("submitted_at")[:1]
    )
    rows = (
        lights(Task.objects.filter(pk__in=ids), today)
        .annotate(last_report_at=Subquery(latest_report), next_step=next_step(today))
        .select_related("plan", "parent")
        .defer("plan__source_text", "parent__text")  # whole documents and texts nobody shows here
        .prefetch_related(_assignments_prefetch())
        .in_bulk()
    )
    return [rows[pk] for pk in ids if pk in rows]


def task_detail(*, user, pk: int, today: date) -> Task:
    queryset = (
        lights(Task.objects.visible_to(user), today)
        .select_related("plan", "parent")
        .defer("plan__source_text", "parent__text")  # whole documents and texts nobody shows here
        .prefetch_related(
            _assignments_prefetch(),
            "milestones__department",
            Prefetch(
                "indicators",
                queryset=Indicator.objects.prefetch_related(
                    Prefetch("values", queryset=IndicatorValue.objects.order_by("-recorded_on", "-id"))
                ),
            ),
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.select_related(
                    "department", "created_by__membership", "reviewed_by__membership", "signed_off_by__membership"
                )
                .prefetch_related("department__aliases", "evidence")
                .order_by("-period", "-id"),
            ),
            Prefetch("events", queryset=TaskEvent.objects.select_related("actor__membership").order_by("-at", "-id")),
            Prefetch("extension_requests", queryset=ExtensionRequest.objects.select_related("department")),
            Prefetch("completion_requests", queryset=CompletionRequest.objects.select_related("department")),
            Prefetch(
                "participation_requests",
                queryset=ParticipationRequest.objects.select_related("department", "proposed_department"),
            ),
            "reports__milestones_done",
            "reports__indicator_values__indicator",
        )
    )
    return get_object_or_404(queryset, pk=pk)


def backward_schedule(task: Task, *, today: date) -> list[date]:
    """Suggested step dates counted back from the deadline (倒排时间表): a quarter, a half
    and three quarters of the time left, then the deadline."""
    if task.deadline is None or task.deadline <= today:
        return []
    begin = max(today, task.start_date or today)
    span = (task.deadline - begin).days
    return sorted({begin + timedelta(days=round(span * share)) for share in (0.25, 0.5, 0.75, 1.0)})


# The queue shows the oldest this many of each kind, and how many wait in all: a
# province's backlog of reports must not make one page read every waiting row.
QUEUE_SHOWN = 50


class Oldest(list):
    """The oldest QUEUE_SHOWN items of a queue, with `total`, how many wait in all
    (counted only when the list is full)."""

    total: int


def _oldest(queryset) -> Oldest:
    # The ids first, from the filtered rows alone; then those rows with what they show.
    # Joined with their task, department and author from the start, a backlog of 150 000
    # waiting reports took PostgreSQL 7 s to order (it guessed dozens of rows).
    ids = list(queryset.values_list("pk", flat=True)[:QUEUE_SHOWN])
    rows = queryset.filter(pk__in=ids) if ids else queryset.none()
    shown = Oldest(rows)
    shown.total = queryset.count() if len(ids) == QUEUE_SHOWN else len(ids)
    return shown


def review_queue(*, user) -> dict:
    """What waits for this user's decision: the office decides requests and lead reports;
    a lead department reviews its co-operating departments' reports."""
    from departments.permissions import department_id_of

    from ..rules import decides_requests

    office = decides_requests(user)
    reports = (
        of_visible_tasks(ProgressReport.objects.filter(status=ReportStatus.SUBMITTED), user)
        .select_related("task", "department", "created_by")
        .prefetch_related("evidence")
    )
    # `from_lead` is kept on each report from the assignments (migration 0022).
    department_id = department_id_of(user)
    if office:
        mine = reports.filter(from_lead=True)
        for_leads = reports.filter(from_lead=False)
    else:
        mine = reports.filter(
            from_lead=False,
            task__assignments__department_id=department_id,
            task__assignments__role=AssignmentRole.LEAD,
        )
        for_leads = ProgressReport.objects.none()
    queue = {
        "reports": _oldest(mine.order_by("submitted_at", "pk")),
        "cooperating_reports": _oldest(for_leads.order_by("submitted_at", "pk")),
        "extensions": _oldest(ExtensionRequest.objects.none()),
        "completions": _oldest(CompletionRequest.objects.none()),
        "participations": _oldest(ParticipationRequest.objects.none()),
        "can_review": office or Assignment.objects.leads().filter(department_id=department_id).exists(),
    }
    if office:
        related = ("task", "department", "requested_by")
        for key, model in (
            ("extensions", ExtensionRequest),
            ("completions", CompletionRequest),
            ("participations", ParticipationRequest),
        ):
            pending = of_visible_tasks(model.objects.filter(status=RequestStatus.PENDING), user)
            extra = ("proposed_department",) if model is ParticipationRequest else ()
            queue[key] = _oldest(pending.select_related(*related, *extra).order_by("pk"))
    return queue
