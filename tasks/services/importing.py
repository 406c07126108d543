"""Save an imported plan: a new plan in bulk, or a revised version over an existing one.

Both take the importer's JSON (tasks.importing.parser.ParsedPlan.as_json(), as
the office may have edited it in the preview) and save all of it or nothing.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from departments.choices import DepartmentKind
from departments.models import Department
from departments.services import department_upsert
from tasks.importing.parser import number_key
from tasks.importing.text import normalize_name

from ..choices import AssignmentRole, EventKind, LeadMode, TaskKind, TaskStatus
from ..models import Assignment, Milestone, Plan, Task, TaskEvent
from .assignments import task_assign
from .history import display
from .plans import milestone_create, plan_create, task_create, task_update
from .workflow import task_transition

# The JSON's fields and the Task fields they fill.
_SCALARS = {
    "title": "title",
    "text": "text",
    "category": "category",
    "deliverable": "deliverable",
    "responsibility": "responsibility",
    "deadline_text": "deadline_phrase",
}


@dataclass
class PreviewRow:
    ref: str
    action: str  # "new" | "update" | "same"
    task: Task | None = None
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass
class ImportPreview:
    rows: list[PreviewRow]
    removed: list[Task]
    unknown_departments: list[str]

    @property
    def counts(self) -> dict[str, int]:
        counted = {"new": 0, "update": 0, "same": 0}
        for row in self.rows:
            counted[row.action] += 1
        return {**counted, "removed": len(self.removed)}


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise ValidationError(f"日期“{value}”格式不对，应为YYYY-MM-DD。") from error


def _weight(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        weight = Decimal(str(value))
    except ArithmeticError as error:
        raise ValidationError(f"分值“{value}”不是数字。") from error
    if weight < 0:
        raise ValidationError(f"分值“{value}”不能为负数。")
    return weight


def _step_fields(step: dict) -> dict:
    """The Milestone fields one JSON milestone sets."""
    return {
        "text": step.get("text") or "",
        "deadline": _date(step.get("deadline")),
        "deadline_phrase": (step.get("deadline_text") or "")[:200],
        "deadline_precision": step.get("precision") or "unknown",
    }


def task_fields(item: dict) -> dict:
    """The Task fields one JSON task sets."""
    fields = {model: (item.get(key) or "") for key, model in _SCALARS.items()}
    fields["title"] = (fields["title"] or item.get("number") or "").strip()[:500]
    if not fields["title"]:
        raise ValidationError(f"第{item.get('number') or item.get('ref')}项没有标题。")
    fields.update(
        kind=TaskKind.SECTION if item.get("kind") == "section" else TaskKind.TASK,
        number=(item.get("number") or "")[:20],
        deadline=_date(item.get("deadline")),
        start_date=_date(item.get("start")),
        deadline_precision=item.get("precision") or "unknown",
        weight=_weight(item.get("weight")),
        lead_mode=item.get("lead_mode") if item.get("lead_mode") in LeadMode.values else LeadMode.SOLE,
        related_departments=bool(item.get("open_set")),
    )
    if fields["start_date"] and fields["deadline"] and fields["start_date"] > fields["deadline"]:
        raise ValidationError(f"“{fields['title'][:30]}”的开始日期晚于完成时限。")
    return fields


class _Departments:
    """The registry as the import sees it: known names, plus those the office confirmed as new."""

    def __init__(self, confirmed_new: list[str]):
        self.by_name = {d.name: d for d in Department.objects.all()}
        self.confirmed = {normalize_name(raw) for raw in confirmed_new}
        self.created: dict[str, Department] = {}

    def resolve(self, department: dict) -> Department | None:
        if department.get("name") and department["name"] in self.by_name:
            return self.by_name[department["name"]]
        key = normalize_name(department.get("raw") or "")
        if key in self.created:
            return self.created[key]
        if key and key in self.confirmed:
            created, _ = department_upsert(name=key, kind=DepartmentKind.OTHER)
            self.created[key] = created
            self.by_name[created.name] = created
            return created
        return None

    def split(self, item: dict) -> tuple[list[Department], list[Department]]:
        leads = [d for d in map(self.resolve, item.get("lead", [])) if d]
        cooperating = [d for d in map(self.resolve, item.get("cooperating", [])) if d and d not in leads]
        return list(dict.fromkeys(leads)), list(dict.fromkeys(cooperating))


def unknown_departments(data: dict) -> list[str]:
    names = []
    for item in data.get("tasks", []):
        for department in item.get("lead", []) + item.get("cooperating", []):
            if not department.get("name") and department.get("raw"):
                names.append(department["raw"])
    return list(dict.fromkeys(names))


def _paths(data: dict) -> dict[str, tuple]:
    by_ref = {item["ref"]: item for item in data.get("tasks", [])}
    paths: dict[str, tuple] = {}
    for item in data.get("tasks", []):
        parent = paths.get(item.get("parent")) if item.get("parent") else ()
        if item.get("parent") and item["parent"] not in by_ref:
            raise ValidationError(f"任务{item['ref']}的上级{item['parent']}不存在。")
        paths[item["ref"]] = (parent or ()) + (number_key(item.get("number", "")) or item["ref"],)
    return paths


def _existing_paths(plan: Plan) -> dict[tuple, Task]:
    tasks = {task.pk: task for task in plan.tasks.all()}
    paths: dict[int, tuple] = {}
    for task in sorted(tasks.values(), key=lambda t: t.sort_key):
        parent = paths.get(task.parent_id, ())
        paths[task.pk] = parent + (number_key(task.number) or f"#{task.pk}",)
    return {path: tasks[pk] for pk, path in paths.items()}


def _compare(task: Task, fields: dict) -> dict[str, tuple[str, str]]:
    changes = {}
    for name, value in fields.items():
        if name in ("kind",):
            continue
        if getattr(task, name) != value:
            label = str(Task._meta.get_field(name).verbose_name)
            changes[label] = (display(getattr(task, name)), display(value))
    return changes


def import_preview(*, data: dict, plan: Plan | None = None) -> ImportPreview:
    """What saving `data` would do: every task new, changed or the same, and what the new version drops."""
    paths = _paths(data)
    existing = _existing_paths(plan) if plan else {}
    rows, matched = [], set()
    for item in data.get("tasks", []):
        task = existing.get(paths[item["ref"]])
        if task is None:
            rows.append(PreviewRow(item["ref"], "new"))
            continue
        matched.add(task.pk)
        changes = _compare(task, task_fields(item))
        rows.append(PreviewRow(item["ref"], "update" if changes else "same", task, changes))
    removed = [t for t in existing.values() if t.pk not in matched and t.kind == TaskKind.TASK]
    return ImportPreview(rows, removed, unknown_departments(data))


def _unique_slug(title: str) -> str:
    base = slugify(title, allow_unicode=True)[:60] or "plan"
    slug, n = base, 1
    while Plan.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def plan_import(
    *,
    data: dict,
    by,
    plan: Plan | None = None,
    source_name: str = "",
    source_text: str = "",
    new_departments: list[str] = (),
    year: int | None = None,
) -> Plan:
    """Save the import: a new plan (when `plan` is None) or a revised version of `plan`."""
    if not data.get("tasks"):
        raise ValidationError("没有可导入的任务。")
    departments = _Departments(list(new_departments))
    if plan is None:
        return _create(data, by, departments, source_name, source_text, year)
    return _revise(plan, data, by, departments, source_text)


def _create(data: dict, by, departments: _Departments, source_name: str, source_text: str, year: int | None) -> Plan:
    meta = data.get("plan", {})
    title = (meta.get("title") or "").strip() or (source_name.rsplit(".", 1)[0] if source_name else "导入的方案")
    plan = plan_create(
        slug=_unique_slug(title),
        title=title[:300],
        document_number=(meta.get("doc_number") or "")[:100],
        issuing_body=(meta.get("issuer") or "")[:100],
        issue_date=_date(meta.get("issued")),
        year=year or meta.get("year"),
        source_name=source_name[:200],
        source_text=source_text,
    )
    # Bulk, one level at a time, so that a 1 MB plan saves in a few statements.
    by_ref: dict[str, Task] = {}
    order_in_parent: dict[str | None, int] = {}
    depth: dict[str, int] = {}
    levels: dict[int, list[tuple[dict, Task]]] = {}
    for item in data["tasks"]:
        parent_ref = item.get("parent")
        order_in_parent[parent_ref] = order_in_parent.get(parent_ref, 0) + 1
        task = Task(plan=plan, order=order_in_parent[parent_ref], **task_fields(item))
        task.full_clean(exclude=["plan", "parent", "sort_key"], validate_unique=False, validate_constraints=False)
        depth[item["ref"]] = depth[parent_ref] + 1 if parent_ref else 1
        levels.setdefault(depth[item["ref"]], []).append((item, task))
        by_ref[item["ref"]] = task
    for depth in sorted(levels):
        batch = levels[depth]
        for item, task in batch:
            parent = by_ref.get(item.get("parent"))
            task.parent = parent
            task.sort_key = f"{parent.sort_key}.{task.order:04d}" if parent else f"{task.order:04d}"
        Task.objects.bulk_create([task for _, task in batch])
    milestones, assignments, events, to_assign = [], [], [], []
    for item in data["tasks"]:
        task = by_ref[item["ref"]]
        events.append(TaskEvent(task=task, actor=by, kind=EventKind.CREATED, summary=f"从《{plan.title}》导入"[:500]))
        for order, step in enumerate(item.get("milestones", []), start=1):
            milestones.append(Milestone(task=task, order=order, **_step_fields(step)))
        if task.kind != TaskKind.TASK:
            continue
        leads, cooperating = departments.split(item)
        for order, department in enumerate(leads):
            assignments.append(Assignment(task=task, department=department, role=AssignmentRole.LEAD, order=order))
        for order, department in enumerate(cooperating):
            assignments.append(
                Assignment(task=task, department=department, role=AssignmentRole.COOPERATING, order=order)
            )
        if leads or cooperating:
            names = lambda ds: "、".join(d.name for d in ds) or "—"  # noqa: E731
            events.append(
                TaskEvent(
                    task=task,
                    actor=by,
                    kind=EventKind.ASSIGNED,
                    summary=f"牵头：{names(leads)}；配合：{names(cooperating)}（按导入文件分工）"[:500],
                    changes={"牵头单位": ["—", names(leads)], "配合单位": ["—", names(cooperating)]},
                )
            )
        if leads:
            to_assign.append(task)
            events.append(
                TaskEvent(
                    task=task,
                    actor=by,
                    kind=EventKind.STATUS,
                    summary="草稿 → 已交办（导入即交办）",
                    changes={"状态": ["草稿", "已交办"]},
                )
            )
    Milestone.objects.bulk_create(milestones)
    Assignment.objects.bulk_create(assignments)
    Task.objects.filter(pk__in=[t.pk for t in to_assign]).update(status=TaskStatus.ASSIGNED)
    TaskEvent.objects.bulk_create(events)
    return plan


def _revise(plan: Plan, data: dict, by, departments: _Departments, source_text: str) -> Plan:
    """Update the tasks a new version keeps (their reports and history stay), add the new
    ones, and cancel those it drops."""
    reason = "导入新版本"
    paths = _paths(data)
    existing = _existing_paths(plan)
    by_ref: dict[str, Task] = {}
    matched = set()
    for item in data["tasks"]:
        fields = task_fields(item)
        parent = by_ref.get(item.get("parent"))
        task = existing.get(paths[item["ref"]])
        if task is None:
            kind = fields.pop("kind")
            task = task_create(plan=plan, parent=parent, by=by, kind=kind, **fields)
        else:
            matched.add(task.pk)
            fields.pop("kind")
            if task.original_deadline and fields["deadline"] == task.original_deadline:
                # The version still says the plan's date; the approved extension stands.
                for name in ("deadline", "deadline_phrase", "deadline_precision"):
                    fields.pop(name)
            task_update(task=task, by=by, reason=reason, **fields)
        by_ref[item["ref"]] = task
        known = {m.text for m in task.milestones.all()}
        for step in item.get("milestones", []):
            if step.get("text") and step["text"] not in known:
                milestone_create(task=task, by=by, **_step_fields(step))
        if task.kind != TaskKind.TASK:
            continue
        leads, cooperating = departments.split(item)
        if leads or task.status == TaskStatus.DRAFT:
            task_assign(task=task, leads=leads, cooperating=cooperating, by=by, reason=reason)
        if leads and task.status == TaskStatus.DRAFT:
            task_transition(task=task, to=TaskStatus.ASSIGNED, by=by, reason=reason)
    for task in existing.values():
        if task.pk in matched or task.kind != TaskKind.TASK:
            continue
        if task.status not in (TaskStatus.COMPLETED, TaskStatus.CANCELLED):
            task_transition(task=task, to=TaskStatus.CANCELLED, by=by, reason="新版本方案中已删除")
    if source_text:
        plan.source_text = source_text
        plan.save(update_fields=["source_text"])
    return plan
