"""A realistic data set at any scale, in bulk: for benchmarks and demonstrations.

Departments with names and aliases; plans over several years with a three-level
tree (chapter → task → sub-task); lead and co-operating departments; milestones;
monthly reports (accepted, returned, submitted); extension and completion
requests with their decisions; tasks in every status, some overdue, some due soon.
Reproducible for a given seed.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, models, transaction
from django.utils import timezone

from departments.choices import DepartmentKind
from departments.models import Department, DepartmentAlias
from importer.text import normalize_name

from ..choices import (
    AssignmentRole,
    DeadlinePrecision,
    LeadMode,
    ReportStatus,
    RequestStatus,
    TaskKind,
    TaskStatus,
)
from ..models import Assignment, CompletionRequest, ExtensionRequest, Milestone, Plan, ProgressReport, Task

_FIELDS = [
    "发展改革",
    "财政",
    "教育",
    "民政",
    "人力资源和社会保障",
    "自然资源",
    "生态环境",
    "住房和城乡建设",
    "交通运输",
    "农业农村",
    "商务",
    "文化旅游",
    "卫生健康",
    "应急管理",
    "审计",
    "市场监管",
    "统计",
    "医疗保障",
    "数据",
    "司法",
]
_SUFFIXES = ["局", "委员会", "办公室", "中心"]
_VERBS = ["深化", "推进", "完善", "健全", "建立", "优化", "规范", "加快", "落实", "开展"]
_OBJECTS = [
    "行政审批制度改革",
    "权责清单管理",
    "政务服务标准化",
    "事中事后监管",
    "社会信用体系建设",
    "基层治理",
    "营商环境",
    "数据共享平台",
    "综合行政执法",
    "公共资源交易",
    "预算绩效管理",
    "政府购买服务",
]
_DELIVERABLES = ["出台实施方案", "公布清单", "建成平台", "形成工作机制", "完成试点", "出台管理办法"]
BATCH = 5000


class _Row:
    """A task as inserted: its fields, and the id the database gave it."""

    def __init__(self, **fields):
        self.__dict__.update(fields)


@dataclass
class DemoResult:
    departments: int
    plans: int
    tasks: int
    assignments: int
    milestones: int
    reports: int
    requests: int


def _bulk(model, rows: list) -> list:
    return model.objects.bulk_create(rows, batch_size=BATCH)


def _insert(model, rows: list[dict]) -> int:
    """Plain INSERTs of many rows: the ORM's per-object work costs more than the
    database's at this scale. Fields a row leaves out take their model default."""
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {}
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults[field.attname] = now
        else:
            defaults[field.attname] = field.get_default()  # "" for text, None for a nullable field
    # Only dates, times and decimals need the backend's conversion; the rest go as they are.
    converters = [
        (lambda v, f=field: f.get_db_prep_save(v, connection))
        if isinstance(field, models.DateField | models.DecimalField | models.JSONField)
        else None
        for field in fields
    ]
    names = [field.attname for field in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"

    def values(row):
        return tuple(
            convert(value) if convert and value is not None else value
            for value, convert in zip((row.get(n, defaults[n]) for n in names), converters, strict=True)
        )

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: one stream instead of a statement per row.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
        else:
            for start in range(0, len(rows), BATCH):
                cursor.executemany(sql, [values(row) for row in rows[start : start + BATCH]])
    return len(rows)


@transaction.atomic
def generate_demo_data(*, tasks: int, departments: int, seed: int = 1, by=None) -> DemoResult:
    """Create `tasks` tracked tasks (plus their chapters) across `departments` departments."""
    rng = random.Random(seed)
    today = timezone.localdate()
    tag = f"demo{seed}"

    # Departments, each with a short name, under a fresh tag so that runs do not collide.
    new_departments = []
    for n in range(departments):
        field = _FIELDS[n % len(_FIELDS)]
        name = f"{tag}第{n + 1:03d}{field}{_SUFFIXES[n % len(_SUFFIXES)]}"
        new_departments.append(Department(name=name, kind=DepartmentKind.GOVERNMENT))
    created_departments = _bulk(Department, new_departments)
    _bulk(
        DepartmentAlias,
        [
            DepartmentAlias(department=d, name=name, kind=kind, key=normalize_name(name))
            for d in created_departments
            for name, kind in ((d.name, DepartmentAlias.Kind.FULL), (d.name + "简", DepartmentAlias.Kind.SHORT))
        ],
    )
    department_ids = [d.pk for d in created_departments]

    # Plans of about 500 tasks each over the last five years.
    plan_count = max(1, tasks // 500)
    plans = _bulk(
        Plan,
        [
            Plan(
                slug=f"{tag}-plan-{n + 1}",
                title=f"{today.year - n % 5}年度改革任务分工方案（{tag}第{n + 1}号）",
                document_number=f"演示发〔{today.year - n % 5}〕{n + 1}号",
                issuing_body="区人民政府办公室",
                year=today.year - n % 5,
            )
            for n in range(plan_count)
        ],
    )

    # Chapters first (their ids are needed by the tasks), then the tasks, in draft.
    per_plan = [tasks // plan_count + (1 if n < tasks % plan_count else 0) for n in range(plan_count)]
    chapters, chapter_plan = [], []
    for plan, count in zip(plans, per_plan, strict=True):
        for c in range(max(1, count // 40)):
            chapters.append(
                Task(
                    plan=plan,
                    order=c + 1,
                    sort_key=f"{c + 1:04d}",
                    number=f"{_cn(c + 1)}、",
                    kind=TaskKind.SECTION,
                    title=f"{_VERBS[c % len(_VERBS)]}{_OBJECTS[c % len(_OBJECTS)]}",
                )
            )
            chapter_plan.append(plan)
    chapters = _bulk(Task, chapters)
    by_plan: dict[int, list[Task]] = {}
    for chapter in chapters:
        by_plan.setdefault(chapter.plan_id, []).append(chapter)

    new_tasks, meta = [], []
    for plan, count in zip(plans, per_plan, strict=True):
        plan_chapters = by_plan[plan.pk]
        for t in range(count):
            chapter = plan_chapters[t % len(plan_chapters)]
            order = t // len(plan_chapters) + 1
            year = plan.year
            deadline = date(year, rng.randint(1, 12), 1) + timedelta(days=rng.randint(0, 27))
            start = date(year, 1, 1)
            status = _status(rng, deadline, today)
            completed_on = None
            if status == TaskStatus.COMPLETED:
                completed_on = min(today, deadline + timedelta(days=rng.choice([-30, -10, -1, 0, 5, 20, 60])))
                completed_on = max(completed_on, start)
            new_tasks.append(
                dict(
                    plan_id=plan.pk,
                    parent_id=chapter.pk,
                    order=order,
                    sort_key=f"{chapter.sort_key}.{order:04d}",
                    number=f"({_cn(order)})" if order <= 99 else f"{order}.",
                    kind=TaskKind.TASK,
                    status=TaskStatus.DRAFT,
                    title=f"{rng.choice(_VERBS)}{rng.choice(_OBJECTS)}（{plan.pk}-{t + 1}）",
                    text="按照统一部署推进落实。",
                    category=rng.choice(["改革创新项目", "亮点项目", "常规任务"]),
                    weight=rng.choice([5, 10, 15]),
                    deliverable=rng.choice(_DELIVERABLES),
                    start_date=start,
                    deadline=deadline,
                    deadline_phrase=f"{deadline.month}月底前",
                    deadline_precision=DeadlinePrecision.MONTH,
                    lead_mode=LeadMode.SOLE,
                    progress=100 if status == TaskStatus.COMPLETED else rng.randint(0, 90),
                    completed_on=completed_on,
                )
            )
            meta.append(status)
    _insert(Task, new_tasks)
    ids = {
        (plan_id, sort_key): pk
        for pk, plan_id, sort_key in Task.objects.filter(plan__in=plans, kind=TaskKind.TASK).values_list(
            "pk", "plan_id", "sort_key"
        )
    }
    created = [_Row(pk=ids[row["plan_id"], row["sort_key"]], **row) for row in new_tasks]

    assignments, milestones = [], []
    for task in created:
        lead, *others = rng.sample(department_ids, k=min(len(department_ids), rng.randint(1, 4)))
        assignments.append(dict(task_id=task.pk, department_id=lead, role=AssignmentRole.LEAD, order=0))
        assignments += [
            dict(task_id=task.pk, department_id=d, role=AssignmentRole.COOPERATING, order=i)
            for i, d in enumerate(others)
        ]
        for m in range(rng.randint(0, 3)):
            due = task.deadline - timedelta(days=30 * (m + 1))
            done = due if due < today and rng.random() < 0.7 else None
            milestones.append(dict(task_id=task.pk, order=m + 1, text=f"阶段性目标{m + 1}", deadline=due, done_on=done))
    _insert(Assignment, assignments)
    _insert(Milestone, milestones)

    # Statuses now that every task has its lead (the database insists on it).
    for status in set(meta):
        chosen = [task.pk for task, s in zip(created, meta, strict=True) if s == status]
        for start in range(0, len(chosen), BATCH):
            Task.objects.filter(pk__in=chosen[start : start + BATCH]).update(status=status)

    reports, extensions, completions = [], [], []
    lead_of = {a["task_id"]: a["department_id"] for a in assignments if a["role"] == AssignmentRole.LEAD}
    user_id = by.pk if by else _any_user_id()
    now = timezone.now()
    for task, status in zip(created, meta, strict=True):
        if status in (TaskStatus.DRAFT, TaskStatus.ASSIGNED):
            continue
        first = max(task.start_date, today.replace(day=1) - timedelta(days=700))
        months = _months(first, min(today, task.completed_on or today))
        for period in rng.sample(months, k=min(len(months), rng.randint(1, 3))):
            state = rng.choices(
                [ReportStatus.ACCEPTED, ReportStatus.RETURNED, ReportStatus.SUBMITTED], weights=[8, 1, 1]
            )[0]
            reports.append(
                dict(
                    task_id=task.pk,
                    department_id=lead_of[task.pk],
                    from_lead=True,  # the lead's own report: the trigger has nothing to mend
                    period=period,
                    text="本月按计划推进。",
                    percent=rng.randint(10, 100),
                    status=state,
                    created_by_id=user_id,
                    submitted_at=now,
                )
            )
        if rng.random() < 0.05:
            extensions.append(
                dict(
                    task_id=task.pk,
                    department_id=lead_of[task.pk],
                    requested_by_id=user_id,
                    reason="客观原因需延期",
                    previous_deadline=task.deadline,
                    proposed_deadline=task.deadline + timedelta(days=60),
                    status=rng.choice([RequestStatus.APPROVED, RequestStatus.REFUSED, RequestStatus.PENDING]),
                )
            )
        if status in (TaskStatus.COMPLETED, TaskStatus.COMPLETION_REQUESTED):
            completions.append(
                dict(
                    task_id=task.pk,
                    department_id=lead_of[task.pk],
                    requested_by_id=user_id,
                    summary="已完成",
                    status=RequestStatus.APPROVED if status == TaskStatus.COMPLETED else RequestStatus.PENDING,
                )
            )
    _insert(ProgressReport, reports)
    _insert(ExtensionRequest, extensions)
    _insert(CompletionRequest, completions)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE tasks_task, tasks_assignment, tasks_progressreport, tasks_milestone")
    return DemoResult(
        departments=len(created_departments),
        plans=len(plans),
        tasks=len(created),
        assignments=len(assignments),
        milestones=len(milestones),
        reports=len(reports),
        requests=len(extensions) + len(completions),
    )


def _status(rng: random.Random, deadline: date, today: date) -> str:
    if deadline < today - timedelta(days=90):
        weights = {
            TaskStatus.COMPLETED: 80,
            TaskStatus.IN_PROGRESS: 12,
            TaskStatus.SUSPENDED: 3,
            TaskStatus.CANCELLED: 5,
        }
    else:
        weights = {
            TaskStatus.ASSIGNED: 10,
            TaskStatus.ACKNOWLEDGED: 15,
            TaskStatus.IN_PROGRESS: 45,
            TaskStatus.COMPLETION_REQUESTED: 5,
            TaskStatus.COMPLETED: 20,
            TaskStatus.DRAFT: 5,
        }
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _months(first: date, last: date) -> list[date]:
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months or [first.replace(day=1)]


def _any_user_id() -> int:
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="demo-data", defaults={"is_active": False})
    return user.pk


_DIGITS = "零一二三四五六七八九"


def _cn(n: int) -> str:
    """1 → 一, 12 → 十二, 40 → 四十 (numbers as chapters print them)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
