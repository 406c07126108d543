"""Who may do what in supervision: the one place views offer and services refuse by.

Supervisors (督查员) and the office run inspections and bulletins; the office closes
rectification demands; a department reports on its own demands. Who may *see* what is
each model's `objects.visible_to(user)` (querysets.py)."""

from departments.permissions import (
    acts_for,
    has_role,
    is_department_member,
    is_office,
    is_supervising,
    require,
)

from .choices import DemandStatus

__all__ = ["is_department_member", "require"]  # the views and services use them from here


def can_supervise(user) -> bool:
    """Run inspections, write findings and demands, draft and issue bulletins."""
    return is_supervising(user)


def can_read_bulletins(user) -> bool:
    return has_role(user)


def can_see_demands(user) -> bool:
    return is_supervising(user) or is_department_member(user)


def can_report_demand(user, demand) -> bool:
    return demand.status == DemandStatus.OPEN and acts_for(user, demand.department_id)


def can_close_demand(user, demand) -> bool:
    """Close it, or return it for another round."""
    return demand.status == DemandStatus.REPORTED and is_office(user)


def can_respond_notice(user, notice) -> bool:
    """回执: the receiving unit's staff and head, once, while none stands."""
    return notice.responded_at is None and acts_for(user, notice.department_id)
