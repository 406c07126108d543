"""Save an imported plan: a new plan in bulk, or a revised version over an existing one.

Both take the importer's JSON (importer.parser.ParsedPlan.as_json(), as
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
from departments.permissions import person
from departments.services import alias_add, department_upsert
from importer.names import unit_name_problem
from importer.parser import number_key
from importer.text import normalize_name

from .. import rules
from ..choices import AssignmentRole, EventKind, LeadMode, TaskKind, TaskStatus
from ..models import Assignment, ImportConfirmation, Milestone, Plan, Task, TaskEvent
from .assignments import task_assign
from .giving_out import tasks_give_out
from .history import display
from .import_review import UnitProposal, row_flags, unit_proposals, unresolved
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
    flags: list[str] = field(default_factory=list)  # why the office must check it; empty = clean


@dataclass
class ImportPreview:
    rows: list[PreviewRow]
    removed: list[Task]
    proposals: list[UnitProposal]

    @property
    def unknown_departments(self) -> list[str]:
        """The unknown names that may be created as new units."""
        return [p.name for p in self.proposals if p.can_create]

    @property
    def flagged(self) -> int:
        return sum(1 for row in self.rows if row.flags)

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
    """The registry as the import sees it: known names, the names the office matched to a
    registered department, and those it confirmed as new."""

    def __init__(self, confirmed_new: list[str], matched: dict[str, Department], by, source: str):
        self.by_name = {d.name: d for d in Department.objects.all()}
        self.confirmed = {normalize_name(raw) for raw in confirmed_new}
        self.matched = {normalize_name(raw): department for raw, department in matched.items()}
        self.created: dict[str, Department] = {}
        self.by, self.source = by, source

    def resolve(self, department: dict) -> Department | None:
        if department.get("name") and department["name"] in self.by_name:
            return self.by_name[department["name"]]
        key = normalize_name(department.get("raw") or "")
        if key in self.matched:
            return self.matched[key]
        if key in self.created:
            return self.created[key]
        if key and key in self.confirmed:
            created, _ = department_upsert(name=key, kind=DepartmentKind.OTHER, by=self.by, source=self.source)
            self.created[key] = created
            self.by_name[created.name] = created
            return created
        return None

    def split(self, item: dict) -> tuple[list[Department], list[Department]]:
        leads = [d for d in map(self.resolve, item.get("lead", [])) if d]
        cooperating = [d for d in map(self.resolve, item.get("cooperating", [])) if d and d not in leads]
        return list(dict.fromkeys(leads)), list(dict.fromkeys(cooperating))


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
            rows.append(PreviewRow(item["ref"], "new", flags=row_flags(item)))
            continue
        matched.add(task.pk)
        changes = _compare(task, task_fields(item))
        rows.append(PreviewRow(item["ref"], "update" if changes else "same", task, changes, row_flags(item)))
    removed = [t for t in existing.values() if t.pk not in matched and t.kind == TaskKind.TASK]
    registered = Department.objects.filter(is_active=True).values_list("name", flat=True)
    return ImportPreview(rows, removed, unit_proposals(data, registered))


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
    matched: dict[str, Department] | None = None,
    unassigned: list[str] = (),
    year: int | None = None,
    preview_token: str = "",
    assign: bool = False,
    acknowledge_days: int | None = None,
) -> Plan:
    """Save the import: a new plan (when `plan` is None) or a revised version of `plan`.
    A `preview_token` is used once: the same preview confirmed again is refused.

    Units the registry does not know are created when listed in `new_departments`, read as a
    registered department when `matched` maps them to one (the registry learns the name), and
    otherwise left unassigned, on record. A name the office typed itself must be one of these
    or listed in `unassigned`: it is refused rather than dropped.

    The tasks stay drafts unless `assign`: then every task with a lead is given out at once
    (tasks_give_out: 签收时限, history, the departments told)."""
    rules.require(rules.can_edit_plans(by), "只有政府办（督查室）可以导入方案。")
    if not data.get("tasks"):
        raise ValidationError("没有可导入的任务。")
    for name in new_departments:
        problem = unit_name_problem(name)
        if problem:
            raise ValidationError(f"“{name}”不能新建为部门：{problem}。")
    matched = matched or {}
    title = (data.get("plan", {}).get("title") or (plan.title if plan else "")).strip()
    source = f"导入《{title}》时由政府办对应"[:300]
    for written, department in matched.items():
        alias_add(department=department, name=written, by=by, source=source)
    departments = _Departments(list(new_departments), matched, by, f"导入《{title}》时新建"[:300])
    _refuse_dropped_units(data, departments, unassigned)
    confirmation = None
    if preview_token:
        # First, so that a second confirmation waits on the unique row and then finds it.
        confirmation, created = ImportConfirmation.objects.get_or_create(
            token=preview_token, defaults={"confirmed_by": person(by)}
        )
        if not created:
            raise ValidationError("这份预览已经确认导入过，不能重复导入。", code="preview_used")
    if plan is None:
        plan, ready = _create(data, by, departments, source_name, source_text, year)
    else:
        plan, ready = _revise(plan, data, by, departments, source_text)
    if assign and ready:
        tasks_give_out(tasks=ready, by=by, acknowledge_days=acknowledge_days, reason="确认导入时交办")
    if confirmation:
        confirmation.plan = plan
        confirmation.save(update_fields=["plan"])
    return plan


def _refuse_dropped_units(data: dict, departments: _Departments, unassigned: list[str]) -> None:
    left_out = {normalize_name(name) for name in unassigned}
    missing, refused = [], []
    for item in data["tasks"]:
        typed = [d for d in item.get("lead", []) + item.get("cooperating", []) if d.get("typed")]
        if typed and item.get("kind") == "section":
            names = "、".join(d.get("name") or d["raw"] for d in typed)
            raise ValidationError(
                f"“{item.get('number') or ''}{(item.get('title') or '')[:20]}”是章节，章节不分配单位（{names}）："
                "请把它改为任务，或删去所填单位。"
            )
        for department in unresolved(item):
            raw = department["raw"]
            if not department.get("typed") or normalize_name(raw) in left_out or departments.resolve(department):
                continue
            problem = unit_name_problem(raw, short_form_ok=True)
            if problem:
                refused.append(f"“{raw}”不是单位名称（{problem}）")
            else:
                missing.append(f"{raw}（{item.get('number') or ''}{(item.get('title') or '')[:20]}）")
    if refused:
        raise ValidationError(f"{'；'.join(dict.fromkeys(refused))}，请改为部门库中的单位名称。")
    if missing:
        raise ValidationError(
            f"以下单位不在部门库中：{'、'.join(dict.fromkeys(missing))}。"
            "请在“部门库中没有的单位”中选择新建、对应到已有部门或不分配，或改为部门库中的名称。"
        )


def _not_assigned(item: dict, departments: _Departments) -> str:
    """The units an item names that the import leaves unassigned, said in its history."""
    names = [d["raw"] for d in unresolved(item) if departments.resolve(d) is None]
    return f"；未分配（部门库中没有）：{'、'.join(dict.fromkeys(names))}" if names else ""


def _deadline_event(item: dict, task: Task, by) -> TaskEvent | None:
    """The office's own date over the document's phrase, on record with what it replaced."""
    edited = item.get("deadline_edited")
    if not edited:
        return None
    before = f"“{edited['text']}”" if edited.get("text") else (edited.get("date") or "无")
    after = task.deadline.isoformat() if task.deadline else "无"
    return TaskEvent(
        task=task,
        actor=person(by),
        kind=EventKind.UPDATED,
        summary=f"完成时限在导入预览中人工更正：{before} → {after}"[:500],
        changes={"完成时限": [edited.get("date") or "—", after], "时限原文": [edited.get("text") or "—", "—"]},
    )


def _create(
    data: dict, by, departments: _Departments, source_name: str, source_text: str, year: int | None
) -> tuple[Plan, list[Task]]:
    """The new plan, and its tasks that have a lead (ready to be given out)."""
    meta = data.get("plan", {})
    title = (meta.get("title") or "").strip() or (source_name.rsplit(".", 1)[0] if source_name else "导入的方案")
    plan = plan_create(
        by=by,
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
        events.append(
            TaskEvent(task=task, actor=person(by), kind=EventKind.CREATED, summary=f"从《{plan.title}》导入"[:500])
        )
        corrected = _deadline_event(item, task, by)
        if corrected:
            events.append(corrected)
        for order, step in enumerate(item.get("milestones", []), start=1):
            milestones.append(Milestone(task=task, order=order, **_step_fields(step)))
        if task.kind != TaskKind.TASK:
            continue
        leads, cooperating = departments.split(item)
        not_assigned = _not_assigned(item, departments)
        for order, department in enumerate(leads):
            assignments.append(Assignment(task=task, department=department, role=AssignmentRole.LEAD, order=order))
        for order, department in enumerate(cooperating):
            assignments.append(
                Assignment(task=task, department=department, role=AssignmentRole.COOPERATING, order=order)
            )
        if leads or cooperating or not_assigned:
            names = lambda ds: "、".join(d.name for d in ds) or "—"  # noqa: E731
            events.append(
                TaskEvent(
                    task=task,
                    actor=person(by),
                    kind=EventKind.ASSIGNED,
                    summary=f"牵头：{names(leads)}；配合：{names(cooperating)}（按导入文件分工）{not_assigned}"[:500],
                    changes={"牵头单位": ["—", names(leads)], "配合单位": ["—", names(cooperating)]},
                )
            )
        if leads:
            to_assign.append(task)
    Milestone.objects.bulk_create(milestones)
    Assignment.objects.bulk_create(assignments)
    TaskEvent.objects.bulk_create(events)
    return plan, to_assign


def _revise(plan: Plan, data: dict, by, departments: _Departments, source_text: str) -> tuple[Plan, list[Task]]:
    """Update the tasks a new version keeps (their reports and history stay), add the new
    ones, and cancel those it drops. Returns the plan and its drafts that now have a lead."""
    reason = "导入新版本"
    _revise_meta(plan, data.get("plan", {}))
    paths = _paths(data)
    existing = _existing_paths(plan)
    by_ref: dict[str, Task] = {}
    matched, ready = set(), []
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
            edited = item.get("deadline_edited") or {}
            why = f"{reason}，完成时限人工更正，原文“{edited['text']}”不再适用" if edited.get("text") else reason
            task_update(task=task, by=by, reason=why, **fields)
        by_ref[item["ref"]] = task
        known = {m.text for m in task.milestones.all()}
        for step in item.get("milestones", []):
            if step.get("text") and step["text"] not in known:
                milestone_create(task=task, by=by, **_step_fields(step))
        if task.kind != TaskKind.TASK:
            continue
        leads, cooperating = departments.split(item)
        if leads or task.status == TaskStatus.DRAFT:
            why = reason + _not_assigned(item, departments)
            task_assign(task=task, leads=leads, cooperating=cooperating, by=by, reason=why)
        if leads and task.status == TaskStatus.DRAFT:
            ready.append(task)
    for task in existing.values():
        if task.pk in matched or task.kind != TaskKind.TASK:
            continue
        if task.status not in (TaskStatus.COMPLETED, TaskStatus.CANCELLED):
            task_transition(task=task, to=TaskStatus.CANCELLED, by=by, reason="新版本方案中已删除")
    if source_text:
        plan.source_text = source_text
        plan.save(update_fields=["source_text"])
    return plan, ready


def _revise_meta(plan: Plan, meta: dict) -> None:
    """The new version's title, 发文字号, 发文机关 and 成文日期, where it gives them."""
    wanted = {
        "title": (meta.get("title") or "").strip()[:300],
        "document_number": (meta.get("doc_number") or "").strip()[:100],
        "issuing_body": (meta.get("issuer") or "").strip()[:100],
        "issue_date": _date(meta.get("issued")),
    }
    changed = [name for name, value in wanted.items() if value and getattr(plan, name) != value]
    for name in changed:
        setattr(plan, name, wanted[name])
    if changed:
        plan.full_clean()
        plan.save(update_fields=changed)
