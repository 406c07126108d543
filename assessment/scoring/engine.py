"""What every score rule is built on (the rules themselves, one object each, are registry.py).

Each rule is a queryset of `values()` rows with `charged` (the department) and `points`, plus the
fields its explanation needs. The ranking sums every rule's `points` per department in
the database (one GROUP BY a rule); a statement lists the same rows for one department.
The two read the same expressions, so a department's total is the sum of its lines.

Points are rounded to hundredths per line in SQL. Divisions are written as products by
exact decimal factors (0.2, 0.01): SQLite divides integers as integers."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least, Round
from django.utils import timezone

from tasks.choices import AssignmentRole, ReportStatus, TaskKind, TaskStatus
from tasks.models import Assignment, ProgressReport

from ..choices import ExtensionMode, Rule
from .expressions import DaysBetween, LocalDate

HUNDREDTH = Decimal("0.01")
DECIMAL = DecimalField(max_digits=14, decimal_places=4)
TOTAL = DecimalField(max_digits=14, decimal_places=2)
# Tasks that were never given out, or were withdrawn, are not anyone's work to score.
UNSCORED_STATUSES = (TaskStatus.DRAFT, TaskStatus.CANCELLED)
SUBMITTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED, ReportStatus.RETURNED)


def text(rule: Rule) -> Value:
    return Value(rule.value, output_field=CharField())


def dec(value) -> Value:
    return Value(Decimal(value), output_field=DECIMAL)


def _points(expression) -> Round:
    return Round(ExpressionWrapper(expression, output_field=DECIMAL), 2, output_field=DECIMAL)


@dataclass(frozen=True)
class Period:
    """What a scheme scores, up to which day."""

    scheme: object
    as_of: date

    @property
    def start(self) -> date:
        return date(self.scheme.year, 1, 1)

    @property
    def end(self) -> date:
        return date(self.scheme.year, 12, 31)

    @classmethod
    def of(cls, scheme, as_of: date | None = None) -> "Period":
        """Scores as of the year's last day, or today while the year runs."""
        end = date(scheme.year, 12, 31)
        return cls(scheme, as_of or min(end, timezone.localdate()))


def task_scope(period: Period, prefix: str = "") -> Q:
    """The tasks a scheme scores: its plan's, or every plan's of its year; tracked tasks
    given out and not withdrawn."""
    scheme = period.scheme
    q = Q(**{f"{prefix}kind": TaskKind.TASK}) & ~Q(**{f"{prefix}status__in": UNSCORED_STATUSES})
    if scheme.plan_id:
        return q & Q(**{f"{prefix}plan_id": scheme.plan_id})
    return q & Q(**{f"{prefix}plan__year": scheme.year})


def scored_assignments(period: Period):
    """Every department's part in every scored task, with its 分值, share and deadline,
    and the points of its two rules: the task's marks and the late deduction."""
    scheme = period.scheme
    deadline = F("task__deadline")
    if scheme.extension_mode == ExtensionMode.ORIGINAL:
        deadline = Coalesce(F("task__original_deadline"), F("task__deadline"))
    done = Q(task__status=TaskStatus.COMPLETED, task__completed_on__lte=period.as_of)
    part = F("weight") * F("share")
    # 来源权重 multiply the task's marks (and so the full marks the score is out of); the
    # late deduction stays a share of the task's own 分值.
    weighted = part * F("source_weight")
    rate = Least(
        ExpressionWrapper(F("weeks") * dec(scheme.late_percent_per_week), output_field=DECIMAL),
        dec(scheme.late_cap_percent),
        output_field=DECIMAL,
    )
    return (
        Assignment.objects.filter(task_scope(period, "task__"))
        .annotate(
            weight=Coalesce(F("task__weight"), dec(scheme.default_weight), output_field=DECIMAL),
            share=Case(
                When(role=AssignmentRole.LEAD, then=dec(1)),
                default=dec(scheme.cooperating_share_percent * HUNDREDTH),
                output_field=DECIMAL,
            ),
            source_weight=source_weight(scheme),
            # A task without a date is due at the end of the year it is scored in.
            due=Coalesce(deadline, Value(period.end, output_field=DateField()), output_field=DateField()),
            done=Case(When(done, then=Value(1)), default=Value(0), output_field=IntegerField()),
            finished=Case(
                When(done, then=F("task__completed_on")),
                default=Value(period.as_of, output_field=DateField()),
                output_field=DateField(),
            ),
        )
        .annotate(days_late=DaysBetween(F("finished"), F("due")), charged=F("department_id"))
        # A part week late counts as a whole one.
        .annotate(weeks=ExpressionWrapper((F("days_late") + Value(6)) / Value(7), output_field=IntegerField()))
        .annotate(
            full=_points(weighted),
            # Full 分值 × share (× the source's weight) once completed (on time or late),
            # × progress while not yet due, nothing when overdue and open.
            task_points=Case(
                When(done=1, then=_points(weighted)),
                When(days_late__lte=0, then=_points(weighted * F("task__progress") * dec(HUNDREDTH))),
                default=dec(0),
                output_field=DECIMAL,
            ),
            late_points=Case(
                When(days_late__gt=0, then=-_points(part * rate * dec(HUNDREDTH))),
                default=dec(0),
                output_field=DECIMAL,
            ),
        )
    )


def source_weight(scheme):
    """The scheme's weight for the source of each task's plan: 1 unless it names one."""
    weights = {source: scheme.source_weight(source) for source in (scheme.source_weights or {})}
    return Case(
        *(When(task__plan__source=source, then=dec(w)) for source, w in sorted(weights.items()) if w != 1),
        default=dec(1),
        output_field=DECIMAL,
    )


def scored_reports(period: Period):
    return ProgressReport.objects.filter(
        task_scope(period, "task__"),
        # A report counts against the department that sent it while it has a part in the task:
        # an EXISTS on the (task, department) key. A join through the department table let
        # PostgreSQL misjudge the rows at a million tasks and compare every report with
        # every department (12 s for the late-report rule alone).
        Exists(Assignment.objects.filter(task_id=OuterRef("task_id"), department_id=OuterRef("department_id"))),
        status__in=SUBMITTED,
        period__gte=period.start,
        period__lte=period.as_of,
    ).annotate(submitted_on=LocalDate("submitted_at"), charged=F("department_id"))
