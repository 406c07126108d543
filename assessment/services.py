"""Writes: the scheme with its classes, closing a period into a snapshot, reopening it,
keeping the rankings still scored."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from departments.models import Department
from departments.permissions import require
from notifications.queueing import enqueue_on_commit
from tasks.choices import TaskSource
from tasks.services.history import changed, record_change

from . import rules
from .models import DepartmentClass, KeptRanking, Scheme, Snapshot, SnapshotLine, SnapshotResult
from .scoring import kept
from .scoring.engine import Period
from .selectors import live_lines, live_ranking

# The Celery tasks (assessment/tasks.py): closing a large period in a worker, and keeping
# the rankings (on Celery beat every quarter of an hour, migration 0003).
CLOSE_PERIOD = "assessment.close_period"
KEEP_RANKINGS = "assessment.keep_rankings"
# A kept ranking with more tasks changed since is kept again.
KEEP_AGAIN_AFTER = kept.CHANGED_LIMIT // 4
SCHEME_FIELDS = (
    "year",
    "plan",
    "title",
    "default_weight",
    "late_percent_per_week",
    "late_cap_percent",
    "late_report_points",
    "returned_report_points",
    "milestone_points",
    "finding_on_time_bonus",
    "finding_on_track_bonus",
    "finding_behind_deduction",
    "finding_not_started_deduction",
    "finding_overdue_deduction",
    "commend_bonus",
    "criticise_deduction",
    "cooperating_share_percent",
    "source_weights",
    "extension_mode",
)


def parse_classes(text: str) -> list[tuple[str, list[Department]]]:
    """“政府线：区发改委、区财政局” a line: a class and its departments, by any of their names."""
    classes, seen, errors = [], {}, []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, colon, members = line.replace(":", "：").partition("：")
        name = name.strip()
        if not colon or not name:
            errors.append(f"第{number}行应写作“类别名称：部门、部门”。")
            continue
        if any(name == existing for existing, _ in classes):
            errors.append(f"第{number}行：类别“{name}”重复。")
            continue
        departments = []
        for written in filter(None, (m.strip() for m in members.replace(",", "、").replace("，", "、").split("、"))):
            department = Department.objects.resolve(written)
            if department is None:
                errors.append(f"第{number}行：没有名为“{written}”的部门。")
            elif department.pk in seen:
                errors.append(
                    f"第{number}行：{department.name}已列入“{seen[department.pk]}”，一个部门只能属于一个类别。"
                )
            else:
                seen[department.pk] = name
                departments.append(department)
        classes.append((name, departments))
    if errors:
        raise ValidationError({"classes": errors})
    return classes


def classes_text(scheme: Scheme) -> str:
    return "\n".join(
        f"{klass.name}：" + "、".join(d.short_name for d in klass.departments.prefetch_related("aliases"))
        for klass in scheme.classes.all()
    )


@transaction.atomic
def scheme_save(*, scheme: Scheme | None, data: dict, classes: str, by) -> Scheme:
    """Create or change a scheme and its classes, all or nothing; a closed period is frozen."""
    require(rules.can_manage(by), "只有政府办（督查室）可以设置考核方案。")
    scheme = scheme or Scheme()
    created = scheme.pk is None
    before = {name: _shown(scheme, name) for name in SCHEME_FIELDS} | {
        "classes": classes_text(scheme) if not created else ""
    }
    if scheme.pk and Snapshot.objects.filter(scheme=scheme, reopened_at__isnull=True).exists():
        raise ValidationError("本期考核已关账，须先重新开启才能修改方案。")
    for name in SCHEME_FIELDS:
        if name in data:
            setattr(scheme, name, data[name])
    scheme.updated_by = by
    parsed = parse_classes(classes)  # before full_clean: both sets of errors reach the form
    scheme.full_clean()
    scheme.save()
    scheme.classes.all().delete()
    for order, (name, departments) in enumerate(parsed):
        klass = DepartmentClass.objects.create(scheme=scheme, name=name, order=order)
        klass.departments.set(departments)
    after = {name: _shown(scheme, name) for name in SCHEME_FIELDS} | {"classes": classes_text(scheme)}
    labels = {name: str(Scheme._meta.get_field(name).verbose_name) for name in SCHEME_FIELDS} | {"classes": "单位分类"}
    changes = changed(before, after, labels)
    if created or changes:
        record_change(obj=scheme, actor=by, action="新建考核方案" if created else "修改考核方案", changes=changes)
    return scheme


def _shown(scheme: Scheme, name: str) -> str:
    """A scheme field as people read it: the plan's title, a choice's label, a number."""
    value = getattr(scheme, name)
    if name == "source_weights":
        labels = dict(TaskSource.choices)
        return "、".join(f"{labels.get(source, source)}×{weight}" for source, weight in sorted((value or {}).items()))
    display = getattr(scheme, f"get_{name}_display", None)
    if display is not None:
        return str(display())
    return "" if value is None else str(value)


def _rules(scheme: Scheme) -> dict:
    values = model_to_dict(scheme, fields=SCHEME_FIELDS)
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in values.items()}


@transaction.atomic
def period_close(*, scheme: Scheme, by, as_of: date | None = None) -> Snapshot:
    """关账: every department's score and every line, frozen as they stand now."""
    require(rules.can_manage(by), "只有政府办（督查室）可以关账。")
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if Snapshot.objects.filter(scheme=scheme, reopened_at__isnull=True).exists():
        raise ValidationError("本期考核已关账。")
    period = Period.of(scheme, as_of)
    snapshot = Snapshot.objects.create(scheme=scheme, as_of=period.as_of, rules=_rules(scheme), closed_by=by)
    rows = live_ranking(period)
    results = SnapshotResult.objects.bulk_create(
        SnapshotResult(
            snapshot=snapshot,
            department_id=row.department_id,
            department_name=row.name,
            class_name=row.class_name,
            total=row.total,
            full_marks=row.full_marks,
            score=row.score,
            rank=row.rank,
            class_rank=row.class_rank,
        )
        for row in rows
    )
    result_of = {result.department_id: result for result in results}
    SnapshotLine.objects.bulk_create(
        (
            SnapshotLine(
                result=result_of[line.department_id],
                task_id=line.task_id,
                task_label=line.task_label[:600],
                rule=line.rule,
                source=line.source,
                source_id=line.source_id,
                points=line.points,
                explanation=line.explanation[:500],
            )
            for line in live_lines(period)
            if line.department_id in result_of
        ),
        batch_size=2000,
    )
    record_change(
        obj=scheme,
        actor=by,
        action="关账",
        summary=f"截至{period.as_of:%Y-%m-%d}，{len(results)}个单位的得分存档",
        changes={"考核期": ["未关账", "已关账"]},
    )
    return snapshot


def scored_parts(scheme: Scheme) -> int:
    """How many department-task pairs a period scores: what closing it will write."""
    from tasks.models import Assignment

    from .scoring.engine import task_scope

    return Assignment.objects.filter(task_scope(Period.of(scheme), "task__")).count()


def period_close_request(*, scheme: Scheme, by) -> bool:
    """关账 now when the period is small; in a Celery worker when it is large (closing
    100 000 tasks writes some 400 000 lines). True when it was done at once."""
    require(rules.can_manage(by), "只有政府办（督查室）可以关账。")
    if scored_parts(scheme) <= settings.PORTAL["ASSESSMENT_INLINE_MAX_PARTS"]:
        period_close(scheme=scheme, by=by)
        return True
    if Snapshot.objects.filter(scheme=scheme, reopened_at__isnull=True).exists():
        raise ValidationError("本期考核已关账。")
    enqueue_on_commit(CLOSE_PERIOD, scheme.pk, by.pk, on_broker_error=_broker_down)
    return False


def _broker_down(error: Exception) -> None:
    raise error  # no sweep closes a period later: the page says the queue is down


@transaction.atomic
def period_reopen(*, scheme: Scheme, by, reason: str) -> Snapshot:
    """重新开启: the snapshot stays on record, marked with who reopened it, when and why."""
    require(rules.can_manage(by), "只有政府办（督查室）可以重新开启考核。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "重新开启须说明原因。"})
    snapshot = Snapshot.objects.select_for_update().filter(scheme=scheme, reopened_at__isnull=True).first()
    if snapshot is None:
        raise ValidationError("本期考核未关账。")
    snapshot.reopened_by, snapshot.reopened_at, snapshot.reopen_reason = by, timezone.now(), reason
    snapshot.full_clean()
    snapshot.save(update_fields=["reopened_by", "reopened_at", "reopen_reason"])
    record_change(obj=scheme, actor=by, action="重新开启", summary=reason, changes={"考核期": ["已关账", "重新开启"]})
    return snapshot


def rankings_keep(*, as_of: date | None = None) -> list[KeptRanking]:
    """Keep the ranking of every scheme still scored (not closed) as of its day, where none is
    kept for that day and those rules or many tasks changed since; then remove the marks
    every kept ranking holds. Safe to run twice: the second run finds them kept."""
    made = []
    for scheme in Scheme.objects.prefetch_related("snapshots"):
        if scheme.open_snapshot is not None:
            continue  # a closed period shows its snapshot
        period = Period.of(scheme, as_of)
        current = kept.current(scheme, period.as_of)
        if current is not None and len(kept.changed_tasks(current, KEEP_AGAIN_AFTER)) <= KEEP_AGAIN_AFTER:
            continue
        made.append(kept.keep(period))
    kept.prune()
    return made
