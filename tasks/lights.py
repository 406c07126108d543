"""Traffic lights (红黄绿灯): how a task stands against its deadline. Plain Python."""

from datetime import date

from .choices import ACTIVE_STATUSES, Light, TaskKind, TaskStatus


def traffic_light(
    *, kind: str, status: str, deadline: date | None, today: date, warning_days: int, report_late: bool = False
) -> str:
    """Red once the deadline has passed; yellow within `warning_days` of it or when this
    period's report is late; else green.

    Only active tasks with a resolved deadline have a light; closed tasks are "done".
    """
    if kind != TaskKind.TASK:
        return Light.NONE
    if status == TaskStatus.COMPLETED:
        return Light.DONE
    if status not in ACTIVE_STATUSES or deadline is None:
        return Light.NONE
    days_left = (deadline - today).days
    if days_left < 0:
        return Light.RED
    if days_left <= warning_days or report_late:
        return Light.YELLOW
    return Light.GREEN
