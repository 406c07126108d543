"""Reads of a task's records (reports, requests, history), scoped to the user the
way the pages scope them: the API lists them, the pages show them one task at a time."""

from datetime import date

from django.db.models import F, OuterRef, Prefetch, Q, Subquery

from departments.models import DepartmentAlias
from departments.permissions import department_id_of, is_department_member

from ..choices import AssignmentRole, ReportStatus
from ..models import Assignment, IndicatorValue, ProgressReport, Task, TaskEvent
from ..querysets import of_visible_tasks
from . import lights, next_step

# A report that has left its department: the ones everybody who sees the task may read.
SENT = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.RETURNED)


def _aliases() -> Prefetch:
    return Prefetch("department__aliases", queryset=DepartmentAlias.objects.order_by("kind", "id"))


def reports_for(*, user):
    """Reports of tasks the user sees; a draft, or one awaiting sign-off, only for its own
    department's staff and head (tasks.rules.can_read_report)."""
    own = Q(pk__in=[])
    if is_department_member(user):
        own = Q(department_id=department_id_of(user))
    return (
        of_visible_tasks(ProgressReport.objects.all(), user)
        .filter(Q(status__in=SENT) | own)
        .select_related(
            "department",
            "created_by__membership",
            "reviewed_by__membership",
            "signed_off_by__membership",
        )
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
    return of_visible_tasks(model.objects.all(), user).select_related(*related).prefetch_related(_aliases())


def events_for(*, user):
    return of_visible_tasks(TaskEvent.objects.all(), user).select_related("actor__membership")


# What a row of the API's task list reads from the task itself.
ROW_FIELDS = [
    "plan",
    "code",
    "parent",
    "number",
    "kind",
    "title",
    "category",
    "weight",
    "status",
    "progress",
    "deadline",
    "deadline_phrase",
    "deadline_precision",
    "original_deadline",
    "completed_on",
    "related_departments",
    "updated_at",
]


def task_api_rows(ids: list[int], *, today: date) -> list[Task]:
    """One page of the API's task list, in the order of `ids`: light, plan title, next step,
    `lead` and `cooperating` as [{id, name, short_name}], and `latest_report` (the latest
    report that has left its department, as a dict, or None). Four queries, whatever the
    page's length; plans, departments and reports are read as plain values, which at 100 rows
    a page is most of the difference between a fast page and a slow one."""
    latest = ProgressReport.objects.filter(task=OuterRef("pk"), status__in=SENT).order_by("-submitted_at", "-id")
    rows = (
        lights(Task.objects.filter(pk__in=ids), today)
        .annotate(
            plan_title=F("plan__title"),
            source=F("plan__source"),
            next_step=next_step(today),
            latest_report_id=Subquery(latest.values("pk")[:1]),
        )
        .only(*ROW_FIELDS)
        .in_bulk()
    )
    assignments = list(
        Assignment.objects.filter(task_id__in=ids)
        .order_by("role", "order", "id")
        .values_list("task_id", "role", "department_id", "department__name")
    )
    short_names: dict[int, str] = {}
    aliases = DepartmentAlias.objects.filter(
        department_id__in={row[2] for row in assignments}, kind=DepartmentAlias.Kind.SHORT
    )
    for department_id, name in aliases.order_by("id").values_list("department_id", "name"):
        short_names.setdefault(department_id, name)  # the first short name, as Department.short_name
    report_ids = [task.latest_report_id for task in rows.values() if task.latest_report_id]
    reports = {
        row["id"]: row | {"department": {"id": row.pop("department_id"), "name": row.pop("department__name")}}
        for row in ProgressReport.objects.filter(pk__in=report_ids).values(
            "id", "period", "percent", "status", "submitted_at", "department_id", "department__name"
        )
    }
    ordered = [rows[pk] for pk in ids if pk in rows]
    for task in ordered:
        task.lead, task.cooperating = [], []
        task.latest_report = reports.get(task.latest_report_id)
    for task_id, role, department_id, name in assignments:
        department = {"id": department_id, "name": name, "short_name": short_names.get(department_id, name)}
        getattr(rows[task_id], "lead" if role == AssignmentRole.LEAD else "cooperating").append(department)
    return ordered
