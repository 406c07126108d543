"""Writes to the department registry."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from importer.names import unit_name_problem
from importer.text import normalize_name

from ..choices import DepartmentKind, Role, guess_jurisdiction
from ..models import Department, DepartmentAlias, Membership
from ..permissions import person


@transaction.atomic
def department_upsert(
    *,
    name: str,
    kind: str = DepartmentKind.GOVERNMENT,
    short_names: list[str] = (),
    aliases: list[str] = (),
    parent: Department | None = None,
    by=None,
    source: str = "",
) -> tuple[Department, bool]:
    """Create the department or add the names it lacks; returns (department, changed).

    A name already registered to another department is refused: one name, one
    department, or matching documents to the registry stops being possible.
    """
    department = Department.objects.filter(name=name).first()
    changed = department is None
    if department is None:
        department = Department(name=name, kind=kind, parent=parent, jurisdiction=guess_jurisdiction(name, kind))
        department.full_clean()
        department.save()
    wanted = [(name, DepartmentAlias.Kind.FULL)]
    wanted += [(n, DepartmentAlias.Kind.SHORT) for n in short_names]
    wanted += [(n, DepartmentAlias.Kind.ALIAS) for n in aliases]
    for alias_name, alias_kind in wanted:
        key = normalize_name(alias_name)
        existing = DepartmentAlias.objects.filter(key=key).select_related("department").first()
        if existing is None:
            DepartmentAlias.objects.create(
                department=department,
                name=alias_name,
                kind=alias_kind,
                key=key,
                added_by=person(by),
                source=source[:300],
            )
            changed = True
        elif existing.department_id != department.pk:
            raise ValidationError(f"名称“{alias_name}”已属于“{existing.department.name}”，不能再用于“{name}”。")
    return department, changed


@transaction.atomic
def alias_add(*, department: Department, name: str, by, source: str = "") -> DepartmentAlias:
    """Teach the registry another name of `department` (区发改局 → 区发展和改革局), with who and why.

    Every later import matches the name through it. A name that already means another
    department is refused, as is one whose form is not a unit's (a label, a date, a post)."""
    name = name.strip()
    key = normalize_name(name)
    existing = DepartmentAlias.objects.filter(key=key).select_related("department").first()
    if existing is not None:
        if existing.department_id == department.pk:
            return existing
        raise ValidationError(f"名称“{name}”已属于“{existing.department.name}”，不能再用于“{department.name}”。")
    problem = unit_name_problem(name, short_form_ok=True)
    if problem:
        raise ValidationError(f"“{name}”不能作为“{department.name}”的别称：{problem}。")
    alias = DepartmentAlias(
        department=department,
        name=name,
        kind=DepartmentAlias.Kind.ALIAS,
        key=key,
        added_by=person(by),
        source=source[:300],
    )
    alias.full_clean()
    alias.save()
    return alias


@transaction.atomic
def member_set(
    *,
    username: str,
    department: Department,
    role: str,
    password: str,
    is_staff: bool = False,
    full_name: str = "",
    title: str = "",
    mobile: str = "",
):
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
    Membership.objects.update_or_create(
        user=user,
        defaults={"department": department, "role": role, "full_name": full_name, "title": title, "mobile": mobile},
    )
    return user
