"""The one permission rule for tasks, used by pages, the API and the admin alike."""

from datetime import date, timedelta

from django.db import models

from departments.choices import PORTAL_WIDE_ROLES

from .choices import ACTIVE_STATUSES, AssignmentRole, Light, ReportStatus, TaskKind, TaskStatus


def membership_of(user):
    """The user's membership, or None (anonymous, or not yet placed in a department)."""
    if not user.is_authenticated:
        return None
    return getattr(user, "membership", None)


class TaskQuerySet(models.QuerySet):
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
        them, for filtering in SQL. A report is late once the period's due day has passed
        without the lead department's report for the month being sent."""
        from .models import ProgressReport

        if report_due_day is not None and today.day > report_due_day:
            sent = ProgressReport.objects.filter(
                task=models.OuterRef("pk"),
                period=today.replace(day=1),
                status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED],
                department__assignments__task=models.OuterRef("pk"),
                department__assignments__role=AssignmentRole.LEAD,
            )
            late = models.Q(status__in=ACTIVE_STATUSES) & ~models.Exists(sent)
        else:
            late = models.Value(False)
        return self.annotate(report_late=models.ExpressionWrapper(late, output_field=models.BooleanField())).annotate(
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
