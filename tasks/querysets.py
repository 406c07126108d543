"""The one permission rule for tasks, used by pages, the API and the admin alike."""

import functools
import operator
from datetime import date, timedelta

from django.db import models

from departments.choices import PORTAL_WIDE_ROLES

from .choices import ACTIVE_STATUSES, AssignmentRole, Light, ReportStatus, TaskKind, TaskStatus


def membership_of(user):
    """The user's membership, or None (anonymous, or not yet placed in a department)."""
    if not user.is_authenticated:
        return None
    return getattr(user, "membership", None)


def report_cycle():
    """The task's reporting cycle: its own, or else its plan's."""
    return models.Case(
        models.When(report_cycle="", then=models.F("plan__report_cycle")),
        default=models.F("report_cycle"),
        output_field=models.CharField(),
    )


class TaskQuerySet(models.QuerySet):
    @staticmethod
    def reports_sent(cycle: str, start: date, task=None):
        """The lead department's sent reports for the period starting at `start`, of the
        task in the outer query (or of `task`)."""
        from .models import ProgressReport
        from .reminders.rules import CYCLE_MONTHS, add_months

        task = task if task is not None else models.OuterRef("pk")
        return ProgressReport.objects.filter(
            task=task,
            period__gte=start,
            period__lt=add_months(start, CYCLE_MONTHS[cycle]),
            status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED],
            department__assignments__task=task,
            department__assignments__role=AssignmentRole.LEAD,
        )

    def visible_to(self, user):
        """Office, supervisors and leadership see every task; a department sees the
        tasks it leads or co-operates on; anyone else sees none."""
        if user.is_authenticated and user.is_superuser:
            return self
        membership = membership_of(user)
        if membership is None:
            return self.none()
        if membership.role in PORTAL_WIDE_ROLES:
            return self
        # A semi-join, not a join with DISTINCT: a list ordered and limited can stop at its
        # first page instead of sorting all of the department's tasks first.
        from .models import Assignment

        return self.filter(pk__in=Assignment.objects.filter(department_id=membership.department_id).values("task_id"))

    def tracked(self):
        return self.filter(kind=TaskKind.TASK)

    def with_light(self, *, today: date, warning_days: int, report_due_day: int | None = None):
        """Annotate `report_late` and `light` the way tasks.lights.traffic_light computes
        them, for filtering in SQL. A report is late once its period's due day has passed
        without the lead department's report for the period (a month or a quarter, the
        task's cycle or else its plan's) being sent."""
        from .reminders.rules import reports_late

        tasks, late = self, models.Value(False)
        periods = reports_late(today, report_due_day) if report_due_day is not None else []
        if periods:
            tasks = self.annotate(cycle=report_cycle())
            late = models.Q(status__in=ACTIVE_STATUSES) & functools.reduce(
                operator.or_,
                (models.Q(cycle=cycle) & ~models.Exists(self.reports_sent(cycle, start)) for cycle, start in periods),
            )
        return tasks.annotate(report_late=models.ExpressionWrapper(late, output_field=models.BooleanField())).annotate(
            light=models.Case(
                models.When(~models.Q(kind=TaskKind.TASK), then=models.Value(Light.NONE)),
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
        )
