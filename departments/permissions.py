"""Who a user is in the portal: the predicates every permission decision is built from.

Each app's rules.py composes these into one predicate per action; services refuse by
them, views offer forms by them, templates read them as `can.*` (context_processors)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from .choices import PORTAL_WIDE_ROLES, Role

DEPARTMENT_ROLES = (Role.STAFF, Role.HEAD)
SUPERVISING_ROLES = (Role.OFFICE, Role.SUPERVISOR)


class SystemActor:
    """The portal acting on its own: the reminder sweep, seeding, management commands.
    It may do what the office may (it runs the office's schedule and loads its documents),
    never what only a department may, and is recorded in history as no person."""

    is_authenticated = True
    is_superuser = False
    is_active = True
    pk = id = None
    username = "system"

    def __str__(self) -> str:
        return "系统"

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()


def person(actor):
    """The user to record as having acted: None for the system."""
    return None if actor is SYSTEM else actor


def membership_of(user):
    """The user's membership, or None (anonymous, or not yet placed in a department)."""
    if not user.is_authenticated:
        return None
    return getattr(user, "membership", None)


def role_of(user) -> str | None:
    if user is SYSTEM:
        return Role.OFFICE
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.OFFICE
    membership = getattr(user, "membership", None)
    return membership.role if membership else None


def department_id_of(user) -> int | None:
    if user is None or user is SYSTEM or not user.is_authenticated:
        return None
    membership = getattr(user, "membership", None)
    return membership.department_id if membership else None


def has_role(user) -> bool:
    """Signed in and placed in the portal (a department and a role, or a superuser)."""
    return role_of(user) is not None


def is_office(user) -> bool:
    return role_of(user) == Role.OFFICE


def is_head(user) -> bool:
    return role_of(user) == Role.HEAD


def sees_everything(user) -> bool:
    """The office, supervisors and leadership see every department's work."""
    return role_of(user) in PORTAL_WIDE_ROLES


def is_department_member(user) -> bool:
    """Works for a department (staff or its head), as opposed to overseeing them."""
    return role_of(user) in DEPARTMENT_ROLES


def is_supervising(user) -> bool:
    """Runs inspections and bulletins: supervisors (督查员) and the office."""
    return role_of(user) in SUPERVISING_ROLES


def acts_for(user, department_id: int | None) -> bool:
    """A member of that department (staff or head)."""
    return is_department_member(user) and department_id is not None and department_id_of(user) == department_id


OFFICE_ONLY = "只有政府办（督查室）可以执行此操作。"


def require(allowed: bool, message: str = "无权执行此操作。") -> None:
    """Refuse with `message`, in the reader's language where the catalogue has it."""
    if not allowed:
        raise PermissionDenied(gettext(message))


def require_office(user, message: str = OFFICE_ONLY) -> None:
    require(is_office(user), message)
