"""Reads of supervision, scoped to the user, with what their pages print prefetched."""

from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q
from django.http import QueryDict

from departments.models import DepartmentAlias
from tasks.choices import AssignmentRole, TaskStatus
from tasks.filtersets import TaskFilterSet
from tasks.models import Assignment, Task

from .choices import DemandStatus, Rating
from .models import Bulletin, DemandAttachment, Finding, Inspection, Notice, NoticeAttachment, RectificationDemand

# The inspectors with their memberships, so their names (姓名) print without a query each.
INSPECTORS = Prefetch("inspectors", queryset=get_user_model().objects.select_related("membership"))

# Filters that mean nothing in a stored scope: whose department is asking, which page.
SCOPE_IGNORED = ("role", "page")


def scope_filterset(scope: str, *, today: date) -> TaskFilterSet:
    """The task list's filters over every tracked task, bound to a stored scope."""
    from tasks.selectors import lights

    data = QueryDict(scope, mutable=True)
    for name in SCOPE_IGNORED:
        data.pop(name, None)
    return TaskFilterSet(data, queryset=lights(Task.objects.tracked(), today), request=None)


def scope_tasks(scope: str, *, today: date):
    """The tasks an inspection covers: what its filters select, less drafts and cancelled
    tasks (nobody is working on those). Raises ValueError for a scope the filters refuse."""
    filterset = scope_filterset(scope, today=today)
    if not filterset.is_valid():
        raise ValueError(filterset.errors)
    return filterset.qs.exclude(status__in=[TaskStatus.DRAFT, TaskStatus.CANCELLED])


def inspections(*, user):
    return (
        Inspection.objects.visible_to(user)
        .annotate(
            finding_count=Count("findings", distinct=True),
            unconfirmed=Count("findings", filter=Q(findings__rating=""), distinct=True),
        )
        .prefetch_related(INSPECTORS)
        .order_by("-period_end", "-id")
    )


def inspection_detail(*, user, pk: int) -> Inspection:
    return Inspection.objects.filter(pk__in=inspections(user=user).values("pk")).prefetch_related(INSPECTORS).get(pk=pk)


def _leads_prefetch() -> Prefetch:
    return Prefetch(
        "task__assignments",
        queryset=Assignment.objects.filter(role=AssignmentRole.LEAD)
        .select_related("department")
        .prefetch_related(Prefetch("department__aliases", queryset=DepartmentAlias.objects.order_by("kind", "id"))),
    )


def annex_findings(inspection):
    """The inspection's findings in document order, with each task's lead departments."""
    return (
        Finding.objects.filter(inspection=inspection)
        .select_related("task")
        .defer("task__text")
        .prefetch_related(_leads_prefetch())
        .order_by("task__plan_id", "task__sort_key", "pk")
    )


def findings_rated(findings, rating: str):
    """`unconfirmed`, or a rating: confirmed as it, or suggested as it and not yet confirmed."""
    if rating == "unconfirmed":
        return findings.filter(rating="")
    if rating:
        return findings.filter(Q(rating=rating) | Q(rating="", suggested_rating=rating))
    return findings


def findings_led_by(findings, department: int | None):
    if department:
        return findings.filter(task__assignments__department_id=department, task__assignments__role=AssignmentRole.LEAD)
    return findings


def findings_page(inspection, *, rating: str = "", department: int | None = None):
    findings = annex_findings(inspection).prefetch_related("demands", "evidence")
    return findings_led_by(findings_rated(findings, rating), department)


def findings(*, user):
    """Every finding of the inspections the user may see (supervisors and the office), in
    document order within each inspection, newest inspection first."""
    return (
        Finding.objects.filter(inspection__in=inspections(user=user).values("pk"))
        .select_related("task", "confirmed_by__membership")
        .defer("task__text")
        .prefetch_related(_leads_prefetch(), "demands", "evidence")
        .order_by("-inspection__period_end", "-inspection_id", "task__plan_id", "task__sort_key", "pk")
    )


def bulletins(*, user):
    """Supervisors and the office see every bulletin; anyone else signed in to a department
    or the leadership sees the issued ones (and the versions corrected since)."""
    return Bulletin.objects.visible_to(user).select_related("inspection")


def notices(*, user):
    return Notice.objects.visible_to(user).select_related("inspection", "department", "responded_by__membership")


def notice_attachments(*, user):
    """The files of the 回执 the user may see: supervisors and the office all, the receiving
    unit its own, nobody else any."""
    return NoticeAttachment.objects.filter(notice__in=Notice.objects.visible_to(user))


def demands(*, user):
    return RectificationDemand.objects.visible_to(user).select_related(
        "department", "finding__task", "finding__inspection"
    )


def open_demands():
    """Demands not yet closed, soonest due first: what a reminder sweep chases. A demand
    reported and waiting for the office is still open for the office."""
    return (
        RectificationDemand.objects.exclude(status=DemandStatus.CLOSED)
        .select_related("department", "finding__task")
        .order_by("due_date", "pk")
    )


def demands_due(*, on: date):
    """Open demands (the department has not reported yet) due on or before `on`."""
    return open_demands().filter(status=DemandStatus.OPEN, due_date__lte=on)


def demand_counts(*, user, today: date) -> dict:
    """The figures of the supervision dashboard, for what the user may see."""
    visible = demands(user=user)
    totals = visible.aggregate(
        open=Count("pk", filter=Q(status=DemandStatus.OPEN)),
        overdue=Count("pk", filter=Q(status=DemandStatus.OPEN, due_date__lt=today)),
        reported=Count("pk", filter=Q(status=DemandStatus.REPORTED)),
        closed=Count("pk", filter=Q(status=DemandStatus.CLOSED)),
    )
    by_department = list(
        visible.values("department_id", "department__name")
        .annotate(
            open=Count("pk", filter=Q(status=DemandStatus.OPEN)),
            overdue=Count("pk", filter=Q(status=DemandStatus.OPEN, due_date__lt=today)),
            reported=Count("pk", filter=Q(status=DemandStatus.REPORTED)),
            closed=Count("pk", filter=Q(status=DemandStatus.CLOSED)),
        )
        .order_by("-overdue", "-open", "department__name")
    )
    return {"totals": totals, "by_department": by_department}


def rating_counts(inspection) -> dict[str, int]:
    counts = dict.fromkeys(Rating.values, 0)
    rows = Finding.objects.filter(inspection=inspection).order_by().values("rating", "suggested_rating")
    for row in rows.annotate(n=Count("pk")):
        counts[row["rating"] or row["suggested_rating"]] += row["n"]
    return counts


def scope_description(scope: str, *, today: date) -> list[tuple[str, str]]:
    """A stored scope as people read it: (filter label, the values chosen)."""
    filterset = scope_filterset(scope, today=today)
    described = []
    for name, values in QueryDict(scope).lists():
        if name not in filterset.filters:
            continue
        field = filterset.form.fields[name]
        choices = {str(key): label for key, label in getattr(field, "choices", ())}
        label = str(filterset.filters[name].label or field.label or name)
        described.append((label, "、".join(str(choices.get(value, value)) for value in values)))
    return described or [("范围", "全部在办和已办结的任务")]


def history(obj):
    """Every change made to a supervision object (a demand's rounds of report and reply,
    a finding's rating, a bulletin's edits), oldest first, with who made each."""
    from tasks.services.history import changes_of

    return list(changes_of(obj))


def demand_history(demand) -> list:
    """A demand's rounds as recorded, oldest first: each report with the files sent with it
    (one query for all of them), each return with its reason, the close."""
    from tasks.services.history import changes_of

    return list(
        changes_of(demand).prefetch_related(
            Prefetch("demand_attachments", queryset=DemandAttachment.objects.order_by("id"))
        )
    )


def demand_attachments(*, user):
    """The files of the demands the user may see: supervisors and the office all, the
    responsible department its own, nobody else any."""
    return DemandAttachment.objects.filter(demand__in=RectificationDemand.objects.visible_to(user))
