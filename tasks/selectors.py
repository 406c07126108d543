"""Reads of tasks, already scoped to the user and carrying what their pages show."""

from datetime import date

from django.conf import settings
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.shortcuts import get_object_or_404

from departments.models import DepartmentAlias

from .choices import ACTIVE_STATUSES, Light, ReportStatus, TaskStatus
from .models import Assignment, Indicator, IndicatorValue, Plan, ProgressReport, Task, TaskEvent


def warning_days() -> int:
    return settings.PORTAL["WARNING_DAYS"]


def _assignments_prefetch() -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.select_related("department").prefetch_related(
            Prefetch("department__aliases", queryset=DepartmentAlias.objects.order_by("kind", "id"))
        ),
    )


def task_list(*, user, today: date):
    """Tracked tasks the user may see, with light, plan, departments and latest report date."""
    latest_report = (
        ProgressReport.objects.filter(task=OuterRef("pk"))
        .exclude(status=ReportStatus.DRAFT)
        .order_by("-submitted_at")
        .values("submitted_at")[:1]
    )
    return (
        Task.objects.visible_to(user)
        .tracked()
        .with_light(today=today, warning_days=warning_days())
        .annotate(last_report_at=Subquery(latest_report))
        .select_related("plan", "parent")
        .prefetch_related(_assignments_prefetch())
        .order_by("plan__title", "sort_key")
    )


def task_detail(*, user, pk: int, today: date) -> Task:
    queryset = (
        Task.objects.visible_to(user)
        .with_light(today=today, warning_days=warning_days())
        .select_related("plan", "parent")
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
                queryset=ProgressReport.objects.select_related("department", "created_by", "reviewed_by")
                .prefetch_related("department__aliases", "evidence")
                .order_by("-period", "-id"),
            ),
            Prefetch("events", queryset=TaskEvent.objects.select_related("actor").order_by("-at", "-id")),
            "extension_requests",
        )
    )
    return get_object_or_404(queryset, pk=pk)


def dashboard_summary(*, user, today: date) -> dict:
    """The overview counts and one row per plan, each from a single aggregate query."""
    tasks = Task.objects.visible_to(user).tracked().with_light(today=today, warning_days=warning_days())
    totals = tasks.aggregate(
        total=Count("pk"),
        completed=Count("pk", filter=Q(status=TaskStatus.COMPLETED)),
        active=Count("pk", filter=Q(status__in=ACTIVE_STATUSES)),
        draft=Count("pk", filter=Q(status=TaskStatus.DRAFT)),
        red=Count("pk", filter=Q(light=Light.RED)),
        yellow=Count("pk", filter=Q(light=Light.YELLOW)),
        green=Count("pk", filter=Q(light=Light.GREEN)),
    )
    plans = (
        Plan.objects.filter(tasks__in=tasks)
        .annotate(
            total=Count("tasks", distinct=True),
            completed=Count("tasks", filter=Q(tasks__status=TaskStatus.COMPLETED), distinct=True),
            unassigned=Count("tasks", filter=Q(tasks__status=TaskStatus.DRAFT), distinct=True),
            overdue=Count(
                "tasks",
                filter=Q(tasks__status__in=ACTIVE_STATUSES, tasks__deadline__lt=today),
                distinct=True,
            ),
        )
        .order_by("-year", "title")
    )
    pending_reports = ProgressReport.objects.filter(task__in=tasks, status=ReportStatus.SUBMITTED).count()
    return {"totals": totals, "plans": plans, "pending_reports": pending_reports}
