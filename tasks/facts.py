"""Facts kept on each task so that pages need not derive them from other tables every
time, and the check that they agree with the rows they come from.

`Task.reported_through`: the latest report period for which the task's lead department
has sent a report (submitted or accepted). Database triggers keep it (migration 0014),
whatever writes the reports or the assignments."""

from django.db.models import F, Max, OuterRef, Q, Subquery

from .choices import AssignmentRole, ReportStatus
from .models import ProgressReport, Task


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
