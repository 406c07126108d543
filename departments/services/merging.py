"""Departments the office stops using or merges: two registered names that are one unit."""

from django.core.exceptions import ValidationError
from django.db import models, transaction

from ..models import Department, DepartmentAlias, Membership, RegistryEvent
from ..permissions import require_office
from .people import _record

# The registry imports no app above it; those apps register here, in their ready():
# - a stop check: why a department may not be stopped yet (tasks: the open tasks it leads), or "";
# - a merger per model whose rows may exist for both departments (one task assigned to both):
#   it folds the source's clashing rows into the target's and returns how many. Other rows
#   that would clash under a unique constraint make the merge refuse.
STOP_CHECKS: list = []
MERGERS: dict = {}


def register_stop_check(check):
    STOP_CHECKS.append(check)
    return check


def register_merger(model_label: str, merger) -> None:
    MERGERS[model_label] = merger


def _foreign_keys():
    """Every foreign key and many-to-many that points at a department, from the models themselves,
    so a table added later moves with the rest."""
    yield from Department._meta.related_objects


@transaction.atomic
def department_set_active(*, by, department: Department, active: bool) -> None:
    """Mark a department inactive (it no longer exists) or active again.

    A department that still leads open tasks or has active accounts is refused: its work would
    be left with nobody, so the office first moves the people, adjusts 分工 or merges it."""
    require_office(by)
    department = Department.objects.select_for_update().get(pk=department.pk)
    if department.is_active == active:
        return
    if not active:
        people = Membership.objects.filter(department=department, user__is_active=True).count()
        if people:
            raise ValidationError(f"“{department.name}”还有{people}个启用的账户，请先调走或停用这些账户。")
        for check in STOP_CHECKS:
            problem = check(department)
            if problem:
                raise ValidationError(problem)
    department.is_active = active
    department.save(update_fields=["is_active"])
    kind = RegistryEvent.Kind.DEPARTMENT_ACTIVATED if active else RegistryEvent.Kind.DEPARTMENT_DEACTIVATED
    _record(by=by, kind=kind, summary=f"{kind.label}：{department.name}")


def _unique_field_sets(model, field_name: str):
    for constraint in model._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if field_name in fields and getattr(constraint, "condition", None) is None:
            yield constraint, [name for name in fields if name != field_name]


def _refuse_collisions(model, field_name: str, source: Department, target: Department) -> None:
    for constraint, others in _unique_field_sets(model, field_name):
        target_keys = set(model.objects.filter(**{field_name: target}).values_list(*others))
        clash = model.objects.filter(**{field_name: source}).values_list(*others)
        if any(key in target_keys for key in clash):
            rule = constraint.violation_error_message or constraint.name
            raise ValidationError(
                f"两个部门都有同一条“{model._meta.verbose_name}”（{rule}），请先处理重复的记录再合并。"
            )


@transaction.atomic
def department_merge(*, by, source: Department, target: Department) -> dict:
    """Merge `source` into `target` (the same unit registered twice): its assignments, reports,
    names, people, sub-units, classes and every other row move to `target` in one transaction;
    `source` stays, inactive and marked merged, and a `RegistryEvent` says what moved."""
    require_office(by)
    if source.pk == target.pk:
        raise ValidationError("请选择两个不同的部门。")
    source, target = (Department.objects.select_for_update().get(pk=d.pk) for d in (source, target))
    if source.merged_into_id:
        raise ValidationError(f"“{source.name}”已并入其他部门。")
    if not target.is_active:
        raise ValidationError(f"“{target.name}”已停用，不能把其他部门并入它。")
    if target.parent_id == source.pk:
        target.parent = source.parent
        target.save(update_fields=["parent"])
    moved: dict[str, int] = {}
    for relation in _foreign_keys():
        model, field = relation.related_model, relation.field
        if model is Department and field.name == "merged_into":
            continue
        if isinstance(field, models.ManyToManyField):
            if not field.remote_field.through._meta.auto_created:
                continue  # its own model (Task.departments through Assignment) moves as a foreign key
            holders = model.objects.filter(**{field.name: source})
            count = 0
            for holder in holders:
                getattr(holder, field.name).remove(source)
                getattr(holder, field.name).add(target)
                count += 1
            if count:
                moved[str(model._meta.verbose_name)] = count
            continue
        merger = MERGERS.get(model._meta.label)
        if merger is not None:
            merged = merger(source, target)
            if merged:
                moved[f"两部门共有的{model._meta.verbose_name}（已合为一条）"] = merged
        else:
            _refuse_collisions(model, field.name, source, target)
        if model is DepartmentAlias:
            # The source's own full name becomes one more name of the target.
            model.objects.filter(department=source, kind=DepartmentAlias.Kind.FULL).update(
                kind=DepartmentAlias.Kind.ALIAS
            )
        count = model.objects.filter(**{field.name: source}).update(**{field.name: target})
        if count:
            moved[str(model._meta.verbose_name)] = count
    source.is_active = False
    source.merged_into = target
    source.save(update_fields=["is_active", "merged_into"])
    _record(
        by=by,
        kind=RegistryEvent.Kind.DEPARTMENT_MERGED,
        summary=f"合并部门：“{source.name}”并入“{target.name}”",
        changes={"并入": [source.name, target.name], "迁移": moved},
    )
    return moved
