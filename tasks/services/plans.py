from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from departments.models import Department
from departments.permissions import department_id_of, is_office

from .. import rules
from ..choices import DeadlinePrecision, EventKind, LeadMode, TaskKind, TaskSource
from ..models import Indicator, Milestone, Plan, Task
from .history import display, record_change, record_event


@transaction.atomic
def plan_create(
    *,
    by,
    slug: str,
    title: str,
    document_number: str = "",
    issuing_body: str = "",
    issue_date: date | None = None,
    year: int | None = None,
    source_name: str = "",
    source_text: str = "",
) -> Plan:
    rules.require(rules.can_edit_plans(by), "只有政府办（督查室）可以新建方案。")
    plan = Plan(
        slug=slug,
        title=title,
        document_number=document_number,
        issuing_body=issuing_body,
        issue_date=issue_date,
        year=year,
        source_name=source_name,
        source_text=source_text,
    )
    plan.full_clean()
    plan.save()
    return plan


# A plan document may be flagged as the 政府工作报告's task division; the registers' own
# sources (批示, 会议, 建议提案) belong to their registers and are not chosen here.
PLAN_SOURCES = (TaskSource.PLAN, TaskSource.WORK_REPORT)


@transaction.atomic
def plan_source_set(*, plan: Plan, source: str, by) -> Plan:
    """The office flags a plan as the 政府工作报告's tasks (or back to an ordinary plan), so
    lists, dashboards and the API count its tasks under that source."""
    rules.require(is_office(by), "只有政府办可以设置方案来源。")
    if source not in PLAN_SOURCES or plan.source not in PLAN_SOURCES:
        raise ValidationError({"source": "方案只能标记为“方案任务”或“政府工作报告”。"})
    if plan.source == source:
        return plan
    before = TaskSource(plan.source).label
    plan.source = source
    plan.full_clean()
    plan.save(update_fields=["source"])
    summary = f"所属方案来源：{before} → {TaskSource(source).label}"
    for task in plan.tasks.filter(kind=TaskKind.TASK).only("pk"):
        record_event(
            task=task,
            actor=by,
            kind=EventKind.UPDATED,
            summary=summary,
            changes={"来源": [before, TaskSource(source).label]},
        )
    return plan


def _sort_key(parent: Task | None, order: int) -> str:
    own = f"{order:04d}"
    return f"{parent.sort_key}.{own}" if parent else own


@transaction.atomic
def task_create(
    *,
    plan: Plan,
    title: str,
    by,
    parent: Task | None = None,
    order: int | None = None,
    number: str = "",
    code: str = "",
    kind: str = TaskKind.TASK,
    text: str = "",
    category: str = "",
    weight: Decimal | int | None = None,
    deliverable: str = "",
    responsibility: str = "",
    lead_mode: str = LeadMode.SOLE,
    related_departments: bool = False,
    start_date: date | None = None,
    deadline: date | None = None,
    deadline_phrase: str = "",
    deadline_precision: str = DeadlinePrecision.UNKNOWN,
) -> Task:
    """Add a node to a plan's tree, in draft; assignment is a separate step."""
    rules.require(rules.can_edit_plans(by), "只有政府办（督查室）可以新建任务。")
    if parent is not None and parent.plan_id != plan.pk:
        raise ValidationError("上级任务不属于同一方案。")
    if order is None:
        last = plan.tasks.filter(parent=parent).aggregate(last=Max("order"))["last"]
        order = (last or 0) + 1
    task = Task(
        plan=plan,
        parent=parent,
        order=order,
        sort_key=_sort_key(parent, order),
        number=number,
        code=code,
        kind=kind,
        title=title,
        text=text,
        category=category,
        weight=weight,
        deliverable=deliverable,
        responsibility=responsibility,
        lead_mode=lead_mode,
        related_departments=related_departments,
        start_date=start_date,
        deadline=deadline,
        deadline_phrase=deadline_phrase,
        deadline_precision=deadline_precision,
    )
    task.full_clean()
    task.save()
    record_event(task=task, actor=by, kind=EventKind.CREATED, summary=f"创建于《{plan.title}》")
    return task


# Fields a person may change directly; status, progress and deadline moves
# after assignment go through their own workflow services.
EDITABLE_FIELDS = (
    "number",
    "title",
    "text",
    "category",
    "weight",
    "deliverable",
    "responsibility",
    "lead_mode",
    "related_departments",
    "start_date",
    "deadline",
    "deadline_phrase",
    "deadline_precision",
)


@transaction.atomic
def task_update(*, task: Task, by, reason: str = "", **fields) -> Task:
    """Change a task's fields, recording each change with its value before and after."""
    rules.require(rules.can_edit_plans(by), "只有政府办（督查室）可以修改任务。")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"不能直接修改：{'、'.join(sorted(unknown))}。")
    changes = {}
    for name, value in fields.items():
        before = getattr(task, name)
        if before != value:
            changes[str(Task._meta.get_field(name).verbose_name)] = [display(before), display(value)]
            setattr(task, name, value)
    if not changes:
        return task
    task.full_clean()
    task.save()
    summary = "修改了" + "、".join(changes)
    if reason:
        summary += f"（{reason}）"
    record_event(task=task, actor=by, kind=EventKind.UPDATED, summary=summary, changes=changes)
    return task


@transaction.atomic
def milestone_create(
    *,
    task: Task,
    text: str,
    by,
    deadline: date | None = None,
    deadline_phrase: str = "",
    deadline_precision: str = DeadlinePrecision.UNKNOWN,
    department=None,
    responsible_person: str = "",
) -> Milestone:
    rules.require(rules.can_add_milestone(by, task), "只有政府办（督查室）或牵头单位可以设置进度节点。")
    milestone = Milestone(
        task=task,
        order=task.milestones.count() + 1,
        text=text,
        deadline=deadline,
        deadline_phrase=deadline_phrase,
        deadline_precision=deadline_precision,
        department=department,
        responsible_person=responsible_person,
    )
    milestone.full_clean()
    milestone.save()
    record_event(
        task=task, actor=by, kind=EventKind.MILESTONE, summary=f"新增进度节点：{text[:60]}（{display(deadline)}）"
    )
    return milestone


@transaction.atomic
def step_add(*, task: Task, by, text: str, deadline: date, responsible_person: str = "") -> Milestone:
    """The lead department breaks its task into its own steps (分解), each with a date no later
    than the task's and a responsible person (责任到人)."""
    rules.require(rules.can_plan_steps(by, task), "只有牵头单位可以分解任务。")
    if task.deadline and deadline > task.deadline:
        raise ValidationError({"deadline": f"步骤日期不能晚于任务时限{task.deadline}。"})
    return milestone_create(
        task=task,
        by=by,
        text=text,
        deadline=deadline,
        deadline_precision=DeadlinePrecision.DAY,
        department=Department.objects.get(pk=department_id_of(by)),
        responsible_person=responsible_person,
    )


@transaction.atomic
def plan_publish(*, plan: Plan, public: bool, by) -> Plan:
    """The office switches a plan's public page (政务公开) on or off, on record."""
    rules.require(rules.can_edit_plans(by), "只有政府办（督查室）可以公开或停止公开方案进展。")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_public == public:
        return plan
    plan.is_public = public
    plan.save(update_fields=["is_public"])
    shown = {True: "公开", False: "不公开"}
    record_change(
        obj=plan,
        actor=by,
        action="公开进展" if public else "停止公开",
        changes={Plan._meta.get_field("is_public").verbose_name: [shown[not public], shown[public]]},
    )
    return plan


@transaction.atomic
def indicator_create(*, task: Task, name: str, target: Decimal, unit: str = "", comparison: str = "gte") -> Indicator:
    indicator = Indicator(task=task, name=name, target=target, unit=unit, comparison=comparison)
    indicator.full_clean()
    indicator.save()
    return indicator
