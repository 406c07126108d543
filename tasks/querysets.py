"""The one permission rule for tasks, used by pages, the API and the admin alike."""

import functools
import operator
from datetime import date, timedelta

from django.apps import apps
from django.db import models

from departments.choices import PORTAL_WIDE_ROLES
from departments.permissions import membership_of

from .choices import ACTIVE_STATUSES, AssignmentRole, Light, TaskKind, TaskStatus


def report_cycle(prefix: str = ""):
    """The task's (at `prefix`) reporting cycle: its own, or else its plan's."""
    return models.Case(
        models.When(**{f"{prefix}report_cycle": ""}, then=models.F(f"{prefix}plan__report_cycle")),
        default=models.F(f"{prefix}report_cycle"),
        output_field=models.CharField(),
    )


def owes_report(period, prefix: str = "") -> models.Q:
    """tasks.obligations.report_owed in SQL: the task (at `prefix`) owes the report of the
    period starting at `period` (a date or an expression), having been given out on or
    before that day, or before the portal recorded the day."""
    return models.Q(**{f"{prefix}assigned_on__isnull": True}) | models.Q(**{f"{prefix}assigned_on__lte": period})


ALL = object()  # department_seen_by: the user sees every department's tasks


def department_seen_by(user):
    """Whose tasks the user sees: ALL (superusers, the office, supervisors, leadership), the
    id of the user's own department, or None (anonymous, or in no department)."""
    if user.is_authenticated and user.is_superuser:
        return ALL
    membership = membership_of(user)
    if membership is None:
        return None
    return ALL if membership.role in PORTAL_WIDE_ROLES else membership.department_id


def of_visible_tasks(rows, user, through: str = "task"):
    """`rows` (reports, requests, …) narrowed to those whose task `user` may see. Those who
    see every task get `rows` as they are: at a million tasks a semi-join with all of them
    cost seconds and kept the same rows."""
    if department_seen_by(user) is ALL:
        return rows
    task_model = apps.get_model("tasks", "Task")
    return rows.filter(**{f"{through}__in": task_model.objects.visible_to(user)})


class AssignmentQuerySet(models.QuerySet):
    """A task's parts: the lead departments (牵头) and those co-operating (配合)."""

    def leads(self):
        return self.filter(role=AssignmentRole.LEAD)

    def cooperating(self):
        return self.filter(role=AssignmentRole.COOPERATING)


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every plan for those who see every task; for a department, the plans holding
        tasks it may see (Task.objects.visible_to), so it does not learn what others do."""
        department_id = department_seen_by(user)
        if department_id is ALL or department_id is None:
            return self if department_id is ALL else self.none()
        # The models module imports this one for its managers: the model comes from the registry.
        task_model = apps.get_model("tasks", "Task")
        return self.filter(pk__in=task_model.objects.visible_to(user).values("plan_id"))


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Office, supervisors and leadership see every task; a department sees the
        tasks it leads or co-operates on; anyone else sees none."""
        department_id = department_seen_by(user)
        if department_id is ALL:
            return self
        if department_id is None:
            return self.none()
        # A semi-join, not a join with DISTINCT: a list ordered and limited can stop at its
        # first page instead of sorting all of the department's tasks first.
        assignments = apps.get_model("tasks", "Assignment").objects
        return self.filter(pk__in=assignments.filter(department_id=department_id).values("task_id"))

    @staticmethod
    def acknowledge_late_q(today: date) -> models.Q:
        """超时未签收: given out, not acknowledged, its 签收时限 passed."""
        return models.Q(kind=TaskKind.TASK, status=TaskStatus.ASSIGNED, acknowledge_by__lt=today)

    def tracked(self):
        return self.filter(kind=TaskKind.TASK)

    def with_light(self, *, today: date, warning_days: int, report_due_day: int | None = None):
        """Annotate `report_late` and `light` the way tasks.lights.traffic_light computes
        them, for filtering in SQL. A report is late once its period's due day has passed
        without the lead department's report for the period (a month or a quarter, the
        task's cycle or else its plan's) being sent, if the task owed that period's report
        (tasks.obligations: from the first full period after it was given out). Sent means
        the latest period the lead has sent, `reported_through` (kept by triggers from the
        reports), is not before the period."""
        tasks, late = self, report_late_q(today, report_due_day)
        if late is None:
            late = models.Value(False)
        else:
            tasks = self.annotate(cycle=report_cycle())
        return tasks.annotate(report_late=models.ExpressionWrapper(late, output_field=models.BooleanField())).annotate(
            light=light_case(
                today, warning_days, models.When(~models.Q(kind=TaskKind.TASK), then=models.Value(Light.NONE))
            )
        )


def report_late_q(today: date, report_due_day: int | None, prefix: str = "") -> models.Q | None:
    """The tasks (at `prefix`) whose report is late today (TaskQuerySet.with_light), over
    rows annotated with the task's `cycle` (report_cycle); None when no period's report is
    late today."""
    from .cycles import reports_late

    periods = reports_late(today, report_due_day) if report_due_day is not None else []
    if not periods:
        return None
    sent = f"{prefix}reported_through"
    return models.Q(**{f"{prefix}status__in": ACTIVE_STATUSES}) & functools.reduce(
        operator.or_,
        (
            models.Q(cycle=cycle)
            & owes_report(start, prefix)
            & (models.Q(**{f"{sent}__isnull": True}) | models.Q(**{f"{sent}__lt": start}))
            for cycle, start in periods
        ),
    )


def light_q(light: str, *, today: date, warning_days: int, report_due_day: int | None) -> models.Q:
    """The tasks of one light, as a condition on their columns: what filtering on the
    `light` annotation selects, written so that an index on (status, deadline) serves it
    and a list ordered by plan can stop at its page. Over tasks from with_light."""
    late = report_late_q(today, report_due_day)
    task = models.Q(kind=TaskKind.TASK)
    dated = task & models.Q(status__in=ACTIVE_STATUSES, deadline__isnull=False)
    soon = models.Q(deadline__lte=today + timedelta(days=warning_days))
    if light == Light.RED:
        return dated & models.Q(deadline__lt=today)
    if light == Light.YELLOW:
        return dated & models.Q(deadline__gte=today) & (soon | late if late is not None else soon)
    if light == Light.GREEN:
        green = dated & ~soon
        return green & ~late if late is not None else green
    if light == Light.DONE:
        return task & models.Q(status=TaskStatus.COMPLETED)
    return ~task | (
        ~models.Q(status=TaskStatus.COMPLETED)
        & (~models.Q(status__in=ACTIVE_STATUSES) | models.Q(deadline__isnull=True))
    )


def light_case(today: date, warning_days: int, *first: models.When) -> models.Case:
    """tasks.lights.traffic_light in SQL, over rows annotated with `report_late`, after the
    `first` cases given."""
    return models.Case(
        *first,
        models.When(status=TaskStatus.COMPLETED, then=models.Value(Light.DONE)),
        models.When(
            ~models.Q(status__in=ACTIVE_STATUSES) | models.Q(deadline__isnull=True),
            then=models.Value(Light.NONE),
        ),
        models.When(deadline__lt=today, then=models.Value(Light.RED)),
        models.When(deadline__lte=today + timedelta(days=warning_days), then=models.Value(Light.YELLOW)),
        models.When(report_late=True, then=models.Value(Light.YELLOW)),
        default=models.Value(Light.GREEN),
        output_field=models.CharField(),
    )


def tally_report_late_q(today: date, report_due_day: int | None) -> models.Q | None:
    """report_late_q over tally shapes (TaskTally, DepartmentTally): a shape keeps, while its
    tasks are active, their cycle and the first period start they owe (`owed_since`, empty:
    every period). None when no period's report is late today."""
    from .cycles import reports_late

    periods = reports_late(today, report_due_day) if report_due_day is not None else []
    if not periods:
        return None
    return models.Q(status__in=ACTIVE_STATUSES) & functools.reduce(
        operator.or_,
        (
            models.Q(cycle=cycle) & (models.Q(owed_since__isnull=True) | models.Q(owed_since__lte=start))
            for cycle, start in periods
        ),
    )


class TallyQuerySet(models.QuerySet):
    def with_light(self, *, today: date, warning_days: int, report_due_day: int):
        """The shapes annotated with `report_late` and `light` as TaskQuerySet.with_light
        gives them to each of their tasks."""
        late = tally_report_late_q(today, report_due_day)
        late = models.Value(False) if late is None else late
        return self.annotate(report_late=models.ExpressionWrapper(late, output_field=models.BooleanField())).annotate(
            light=light_case(today, warning_days)
        )
