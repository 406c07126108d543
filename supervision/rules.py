"""Who may do what in supervision: the one place views offer and services refuse by.

Supervisors (督查员) and the office run inspections and bulletins; the office closes
rectification demands; a department reports on its own demands."""

from django.core.exceptions import PermissionDenied

from departments.choices import Role
from departments.permissions import department_id_of, role_of

from .choices import DemandStatus

SUPERVISING_ROLES = (Role.OFFICE, Role.SUPERVISOR)
DEPARTMENT_ROLES = (Role.STAFF, Role.HEAD)


def can_supervise(user) -> bool:
    """Run inspections, write findings and demands, draft and issue bulletins."""
    return role_of(user) in SUPERVISING_ROLES


def can_read_bulletins(user) -> bool:
    return role_of(user) is not None


def is_department_member(user) -> bool:
    return role_of(user) in DEPARTMENT_ROLES


def can_report_demand(user, demand) -> bool:
    return (
        demand.status == DemandStatus.OPEN
        and is_department_member(user)
        and department_id_of(user) == demand.department_id
    )


def can_close_demand(user, demand) -> bool:
    return demand.status == DemandStatus.REPORTED and role_of(user) == Role.OFFICE


def require(allowed: bool, message: str = "无权执行此操作。") -> None:
    if not allowed:
        raise PermissionDenied(message)
