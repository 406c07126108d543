"""Who a user is in the portal: the predicates every permission decision is built from."""

from django.core.exceptions import PermissionDenied

from .choices import Role


def role_of(user) -> str | None:
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.OFFICE
    membership = getattr(user, "membership", None)
    return membership.role if membership else None


def department_id_of(user) -> int | None:
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    return membership.department_id if membership else None


def is_office(user) -> bool:
    return role_of(user) == Role.OFFICE


def require_office(user) -> None:
    if not is_office(user):
        raise PermissionDenied("只有政府办（督查室）可以执行此操作。")
