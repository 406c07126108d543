"""Reads of a task's records (reports, requests, history, inbox), scoped to the user the
way the pages scope them: the API lists them, the pages show them one task at a time."""

from datetime import date

from django.db.models import OuterRef, Prefetch, Q, Subquery

from departments.choices import Role
from departments.models import DepartmentAlias
from departments.permissions import department_id_of, role_of

from ..choices import ReportStatus
from ..models import IndicatorValue, Notification, ProgressReport, Task, TaskEvent
from . import task_rows

# A report that has left its department: the ones everybody who sees the task may read.
SENT = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.RETURNED)


def _aliases() -> Prefetch:
    return Prefetch("department__aliases", queryset=DepartmentAlias.objects.order_by("kind", "id"))


def reports_for(*, user):
    """Reports of tasks the user sees; a draft, or one awaiting sign-off, only for its own
    department's staff and head (tasks.rules.can_read_report)."""
    visible = Task.objects.visible_to(user)
    own = Q(pk__in=[])
    if role_of(user) in (Role.STAFF, Role.HEAD):
        own = Q(department_id=department_id_of(user))
    return (
        ProgressReport.objects.filter(task__in=visible)
        .filter(Q(status__in=SENT) | own)
        .select_related("department", "created_by", "reviewed_by", "signed_off_by")
        .prefetch_related(
            _aliases(),
            "milestones_done",
            "evidence",
            Prefetch("indicator_values", queryset=IndicatorValue.objects.order_by("indicator_id", "id")),
        )
    )


def requests_for(*, user, model):
    """Extension, completion or participation requests on tasks the user sees."""
    related = ["department", "requested_by", "decided_by"]
    if model.__name__ == "ParticipationRequest":
        related.append("proposed_department")
    return (
        model.objects.filter(task__in=Task.objects.visible_to(user))
        .select_related(*related)
        .prefetch_related(_aliases())
    )


def events_for(*, user):
    return TaskEvent.objects.filter(task__in=Task.objects.visible_to(user)).select_related("actor")


def notifications_for(*, user):
    return Notification.objects.filter(recipient=user)


def task_api_rows(ids: list[int], *, today: date) -> list[Task]:
    """The task list's page (selectors.task_rows) with each task's latest sent report
    attached as `latest_report`: one more query for the page, whatever its length."""
    rows = task_rows(ids, today=today)
    latest = (
        ProgressReport.objects.filter(task=OuterRef("pk"), status__in=SENT)
        .order_by("-submitted_at", "-id")
        .values("pk")[:1]
    )
    report_ids = dict(Task.objects.filter(pk__in=ids).annotate(latest=Subquery(latest)).values_list("pk", "latest"))
    reports = ProgressReport.objects.select_related("department").in_bulk(
        [pk for pk in report_ids.values() if pk is not None]
    )
    for task in rows:
        task.latest_report = reports.get(report_ids.get(task.pk))
    return rows
