"""Reads: rankings and statements, live from the engine while a period is open, from its
snapshot once closed; and who may see which."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404

from departments.choices import DepartmentKind
from departments.models import Department
from supervision.models import Bulletin
from supervision.reports.document import task_name
from tasks.figures import rounded
from tasks.models import Task

from .choices import Rule, Source
from .models import Scheme, Snapshot, SnapshotLine, SnapshotResult
from .scoring.engine import Period
from .scoring.kept import kept_sums
from .scoring.registry import REGISTRY, context_for, decisions, rule_of
from .scoring.registry import sums as scoring_sums

HUNDREDTH = Decimal("0.01")


@dataclass
class Line:
    department_id: int
    task_id: int | None
    task_label: str
    rule: str
    source: str
    source_id: int | None
    points: Decimal
    explanation: str

    @property
    def rule_label(self) -> str:
        return str(Rule(self.rule).label)

    @property
    def source_label(self) -> str:
        return str(Source(self.source).label)


@dataclass
class Row:
    department_id: int
    name: str
    class_name: str
    total: Decimal
    full_marks: Decimal
    score: Decimal
    rank: int = 0
    class_rank: int = 0


@dataclass
class Statement:
    row: Row
    lines: list[Line] = field(default_factory=list)

    @property
    def lines_sum(self) -> Decimal:
        return sum((line.points for line in self.lines), Decimal(0))


def score_of(total: Decimal, full: Decimal) -> Decimal:
    """百分制: the sum of the lines over the full marks, × 100, to hundredths."""
    if not full:
        return Decimal("0.00")
    return rounded(total * 100 / full, 2)


def rank(rows: list[Row]) -> list[Row]:
    """Highest score first; equal scores share a place (1, 1, 3), overall and in each class."""
    rows.sort(key=lambda r: (-r.score, r.name))
    last, place, by_class = None, 0, {}
    for n, row in enumerate(rows, start=1):
        if row.score != last:
            place, last = n, row.score
        row.rank = place
        seen = by_class.setdefault(row.class_name, [0, None, 0])  # count, last score, place
        seen[0] += 1
        if row.score != seen[1]:
            seen[1], seen[2] = row.score, seen[0]
        row.class_rank = seen[2]
    return rows


def classes_of(scheme: Scheme, departments) -> dict[int, str]:
    """Each department's class: the scheme's own classes, else its kind (政府工作部门…)."""
    named = {}
    if scheme.pk:
        for klass in scheme.classes.prefetch_related("departments"):
            for department in klass.departments.all():
                named.setdefault(department.pk, klass.name)
    return {d.pk: named.get(d.pk) or str(DepartmentKind(d.kind).label) for d in departments}


def _departments(ids, *, supervised: bool = False) -> dict[int, Department]:
    units = Department.objects.supervised() if supervised else Department.objects.all()
    # A row needs the name and the kind (its class by default): a province ranks thousands.
    return {d.pk: d for d in units.filter(pk__in=ids).only("name", "kind")}


def live_ranking(period: Period) -> list[Row]:
    """The ranking as of the period's day: from the kept ranking and what changed since when
    it is kept for that day, else every task scored afresh. The two agree to the cent."""
    full, sums = kept_sums(period) or scoring_sums(period)
    departments = _departments(full, supervised=True)
    full = {pk: marks for pk, marks in full.items() if pk in departments}  # a higher body is not ranked
    classes = classes_of(period.scheme, departments.values())
    rows = []
    for department_id, marks in full.items():
        total = sums.get(department_id, Decimal("0.00"))
        department = departments[department_id]
        rows.append(Row(department_id, department.name, classes[department_id], total, marks, score_of(total, marks)))
    return rank(rows)


def task_labels(task_ids) -> dict[int, str]:
    """The number and title a department finds its task by ("（三）建立…"), never its database id."""
    tasks = Task.objects.filter(pk__in=task_ids).only("number", "title")
    return {t.pk: task_name(t) for t in tasks}


def _explain(rule_rows, scheme, labels: dict, closing: dict, bulletins: dict) -> list[Line]:
    """The engine's rows as lines, each with its source record and its sentence, as the
    rule it came from says (scoring/registry.py)."""
    lines = []
    context = context_for(scheme, bulletins)
    for row in rule_rows:
        rule, points, task_id = row["rule"], Decimal(row["points"]).quantize(HUNDREDTH), row.get("task_id")
        score_rule = rule_of(rule)
        text = score_rule.sentence(row, points, context)
        source, source_id = score_rule.source, score_rule.source_id(row, context)
        if source_id is None and task_id:
            # Task marks rest on the approved closure when there is one, else on the task.
            source_id = closing.get(task_id) if rule in (Rule.ON_TIME, Rule.COMPLETED_LATE) else None
            if source_id:
                source = Source.DECISION
            else:
                source_id = task_id
        lines.append(Line(row["charged"], task_id, labels.get(task_id, ""), rule, source, source_id, points, text))
    return lines


def live_lines(period: Period, department_id: int | None = None) -> list[Line]:
    """Every line of one department (or of all), in statement order: task by task."""
    rows = []
    for rule in REGISTRY:
        queryset = rule.query(period)
        if department_id is not None:
            queryset = queryset.filter(charged=department_id)
        rows.extend(queryset.order_by())
    task_ids = {row["task_id"] for row in rows if row.get("task_id")}
    bulletin_ids = {row["bulletin_id"] for row in rows if row.get("bulletin_id")}
    bulletins = {b.pk: b for b in Bulletin.objects.filter(pk__in=bulletin_ids)}
    lines = _explain(rows, period.scheme, task_labels(task_ids), decisions(task_ids), bulletins)
    order = {rule: n for n, rule in enumerate(Rule.values)}
    lines.sort(
        key=lambda line: (
            line.department_id,
            line.task_id is None,
            line.task_label,
            line.task_id or 0,
            order[line.rule],
            line.source_id or 0,
        )
    )
    return lines


# --- the period as shown: live or frozen -------------------------------------------------


def schemes_for(user):
    """Every member sees the list of schemes; what each opens to is decided per page."""
    return (
        Scheme.objects.visible_to(user)
        .select_related("plan")
        .prefetch_related(
            Prefetch(
                "snapshots",
                queryset=Snapshot.objects.select_related("closed_by__membership", "reopened_by__membership"),
            )
        )
    )


def ranking(scheme: Scheme, as_of: date | None = None) -> list[Row]:
    snapshot = scheme.open_snapshot
    if snapshot is None:
        return live_ranking(Period.of(scheme, as_of))
    return [_frozen_row(result) for result in snapshot.results.order_by("rank", "department_name")]


def _frozen_row(result: SnapshotResult) -> Row:
    return Row(
        result.department_id,
        result.department_name,
        result.class_name,
        result.total,
        result.full_marks,
        result.score,
        result.rank,
        result.class_rank,
    )


def statement(scheme: Scheme, department_id: int, as_of: date | None = None) -> Statement:
    snapshot = scheme.open_snapshot
    if snapshot is not None:
        result = snapshot.results.filter(department_id=department_id).first()
        if result is None:
            raise Http404("该部门在本期考核中没有计分任务。")
        frozen = SnapshotLine.objects.filter(result=result).order_by("id")
        return Statement(
            _frozen_row(result),
            [
                Line(department_id, f.task_id, f.task_label, f.rule, f.source, f.source_id, f.points, f.explanation)
                for f in frozen
            ],
        )
    rows = {row.department_id: row for row in ranking(scheme, as_of)}
    if department_id not in rows:
        raise Http404("该部门在本期考核中没有计分任务。")
    return Statement(rows[department_id], live_lines(Period.of(scheme, as_of), department_id))
