"""Writes to the department registry."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from tasks.importing.text import normalize_name

from .choices import DepartmentKind, Role
from .models import Department, DepartmentAlias, Membership


@transaction.atomic
def department_upsert(
    *,
    name: str,
    kind: str = DepartmentKind.GOVERNMENT,
    short_names: list[str] = (),
    aliases: list[str] = (),
    parent: Department | None = None,
) -> tuple[Department, bool]:
    """Create the department or add the names it lacks; returns (department, changed).

    A name already registered to another department is refused: one name, one
    department, or matching documents to the registry stops being possible.
    """
    department = Department.objects.filter(name=name).first()
    changed = department is None
    if department is None:
        department = Department(name=name, kind=kind, parent=parent)
        department.full_clean()
        department.save()
    wanted = [(name, DepartmentAlias.Kind.FULL)]
    wanted += [(n, DepartmentAlias.Kind.SHORT) for n in short_names]
    wanted += [(n, DepartmentAlias.Kind.ALIAS) for n in aliases]
    for alias_name, alias_kind in wanted:
        key = normalize_name(alias_name)
        existing = DepartmentAlias.objects.filter(key=key).select_related("department").first()
        if existing is None:
            DepartmentAlias.objects.create(department=department, name=alias_name, kind=alias_kind, key=key)
            changed = True
        elif existing.department_id != department.pk:
            raise ValidationError(f"名称“{alias_name}”已属于“{existing.department.name}”，不能再用于“{name}”。")
    return department, changed


@transaction.atomic
def member_set(*, username: str, department: Department, role: str, password: str, is_staff: bool = False):
    """Create or reset a user and place them in a department with a role."""
    if role not in Role.values:
        raise ValidationError(f"角色“{role}”无效。")
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(username=username)
    user.set_password(password)
    user.is_active = True
    user.is_staff = is_staff
    user.full_clean()
    user.save()
    Membership.objects.update_or_create(user=user, defaults={"department": department, "role": role})
    return user
