"""The office's own people: accounts added, changed, stopped, moved and given a new password.

Every write checks that the actor is the office, validates, and leaves a `RegistryEvent`."""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from ..choices import Role
from ..models import Department, Membership, RegistryEvent, display_name
from ..permissions import require_office


def _record(*, by, kind: str, summary: str, changes: dict | None = None) -> RegistryEvent:
    return RegistryEvent.objects.create(actor=by, kind=kind, summary=summary[:500], changes=changes or {})


def _check_department(department: Department) -> None:
    if not department.is_active:
        raise ValidationError(f"“{department.name}”已停用，不能再添加或调入人员。")


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError(f"角色“{role}”无效。")


@transaction.atomic
def account_create(
    *,
    by,
    username: str,
    full_name: str,
    department: Department,
    role: str,
    password: str,
    title: str = "",
    mobile: str = "",
    email: str = "",
):
    """A new person in a department with a role, signing in with `username` and `password`."""
    require_office(by)
    username, full_name = username.strip(), full_name.strip()
    if not full_name:
        raise ValidationError({"full_name": "请填写姓名。"})
    _check_role(role)
    _check_department(department)
    user_model = get_user_model()
    if user_model.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"登录名“{username}”已被使用，请换一个。"})
    user = user_model(username=username, email=email.strip())
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    membership = Membership(
        user=user, department=department, role=role, full_name=full_name, title=title.strip(), mobile=mobile.strip()
    )
    membership.full_clean()
    membership.save()
    _record(
        by=by,
        kind=RegistryEvent.Kind.ACCOUNT_CREATED,
        summary=f"新增账户：{full_name}（{username}），{department.name}，{Role(role).label}",
    )
    return user


@transaction.atomic
def account_change(
    *,
    by,
    user,
    department: Department,
    role: str,
    full_name: str,
    title: str = "",
    mobile: str = "",
    email: str = "",
) -> Membership:
    """Correct a person's name and contacts, or move them to another department or role."""
    require_office(by)
    _check_role(role)
    membership = Membership.objects.select_for_update().select_related("department").get(user=user)
    if department.pk != membership.department_id:
        _check_department(department)
    if user.pk == by.pk and role != membership.role:
        raise ValidationError("不能修改自己的角色，请由另一位政府办人员操作。")
    before = {
        "部门": membership.department.name,
        "角色": membership.get_role_display(),
        "姓名": membership.full_name,
        "职务": membership.title,
        "手机": membership.mobile,
        "邮箱": user.email,
    }
    membership.department, membership.role = department, role
    membership.full_name, membership.title, membership.mobile = full_name.strip(), title.strip(), mobile.strip()
    if not membership.full_name:
        raise ValidationError({"full_name": "请填写姓名。"})
    membership.full_clean()
    membership.save()
    user.email = email.strip()
    user.full_clean()
    user.save(update_fields=["email"])
    after = {
        "部门": department.name,
        "角色": membership.get_role_display(),
        "姓名": membership.full_name,
        "职务": membership.title,
        "手机": membership.mobile,
        "邮箱": user.email,
    }
    changes = {field: [before[field], after[field]] for field in before if before[field] != after[field]}
    if changes:
        _record(
            by=by,
            kind=RegistryEvent.Kind.ACCOUNT_CHANGED,
            summary=f"修改账户：{display_name(user)}（{'、'.join(changes)}）",
            changes=changes,
        )
    return membership


@transaction.atomic
def account_set_active(*, by, user, active: bool) -> None:
    """Stop an account (the person left) or start it again; its history stays either way."""
    require_office(by)
    if user.pk == by.pk and not active:
        raise ValidationError("不能停用自己的账户。")
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    kind = RegistryEvent.Kind.ACCOUNT_ACTIVATED if active else RegistryEvent.Kind.ACCOUNT_DEACTIVATED
    _record(by=by, kind=kind, summary=f"{kind.label}：{display_name(user)}（{user.get_username()}）")


@transaction.atomic
def account_password_reset(*, by, user, password: str) -> None:
    """The office gives a person a new password (they change it themselves after signing in)."""
    require_office(by)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    _record(
        by=by,
        kind=RegistryEvent.Kind.PASSWORD_RESET,
        summary=f"重置密码：{display_name(user)}（{user.get_username()}）",
    )
