"""The kept ranking (models.KeptRanking): every department's lines summed per task once, and a
reading that adds what changed since.

Keeping: the lines of every rule that scores a task are summed per task and department in
one INSERT … SELECT, and those sums per department. Before the lines are scored, the kept
ranking notes which marks (migration 0003) they already hold: PostgreSQL's current
snapshot, or SQLite's last mark id.

Reading: the department sums, less the kept lines of each task marked since, plus those
tasks scored afresh, plus the rules that score no task (bulletins), which are few and always
read afresh. A task not marked since was not written since its lines were scored, so its
kept lines are what scoring it now would give: the sum is the live ranking's, to the cent.
"""

import hashlib
import inspect
import json
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import DecimalField, Max
from django.utils import timezone

from tasks.querysets import owes_report

from ..models import KeptLine, KeptRanking, KeptSum, Scheme, ScoreMark
from .engine import HUNDREDTH, Period, scored_assignments
from .registry import REGISTRY, rule_sums

# A reading scores at most this many changed tasks afresh; beyond it the ranking is scored in
# full until it is kept again (the job that keeps it runs every quarter of an hour).
CHANGED_LIMIT = 2000
# A kept ranking stays this long after a newer one superseded it, for the readings that may
# still be adding it up.
SUPERSEDED_KEPT = timedelta(minutes=10)
# The scheme's values that are not scores.
UNSCORED_FIELDS = {"id", "title", "updated_by", "updated_at"}
# The code the lines are scored by: this package, and the report obligation rule it reads
# from the tasks app (tasks.querysets.owes_report).
_SOURCES = [*sorted(Path(__file__).parent.glob("*.py")), Path(inspect.getsourcefile(owes_report))]
_CODE = hashlib.sha256(b"".join(path.read_bytes() for path in _SOURCES)).hexdigest()


def rules_digest(scheme: Scheme) -> str:
    """What the kept lines were scored by: the scheme's values, the report due day, the time
    zone and the scoring code. A change to any of them leaves the kept ranking unread."""
    values = {
        field.attname: _stored(field, getattr(scheme, field.attname))
        for field in Scheme._meta.concrete_fields
        if field.name not in UNSCORED_FIELDS
    }
    facts = [values, settings.PORTAL["REPORT_DUE_DAY"], settings.TIME_ZONE, _CODE]
    return hashlib.sha256(json.dumps(facts, sort_keys=True, default=str).encode()).hexdigest()


def _stored(field, value):
    """A value as the database keeps it: a scheme made with 10 reads back as 10.00."""
    if isinstance(field, DecimalField) and value is not None:
        return str(Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places)))
    return value


def _lines_sql(period: Period, task_ids=None) -> tuple[str, list]:
    """Every task-scoring rule's rows as (task_id, charged, parts, full_marks, points), one
    UNION ALL; `parts` counts the scored assignments, which alone carry full marks."""
    quote = connection.ops.quote_name
    queries = [
        (
            scored_assignments(period).values("task_id", "charged", "full", "task_points", "late_points"),
            f"1 AS parts, r.{quote('full')} AS full_marks, r.task_points + r.late_points AS points",
        )
    ]
    queries += [
        (rule.query(period).values("task_id", "charged", "points"), "0 AS parts, 0 AS full_marks, r.points AS points")
        for rule in REGISTRY
        if rule.per_task and not rule.over_assignments
    ]
    parts, params = [], []
    for queryset, columns in queries:
        if task_ids is not None:
            queryset = queryset.filter(task_id__in=task_ids)
        sql, more = queryset.order_by().query.sql_with_params()
        parts.append(f"SELECT r.task_id, r.charged, {columns} FROM ({sql}) r")
        params.extend(more)
    return " UNION ALL ".join(parts), params


def keep(period: Period) -> KeptRanking:
    """Score every task of the period once and keep the sums (seconds at a million tasks)."""
    started = time.perf_counter()
    scheme = period.scheme
    kept_table, marks_table = KeptRanking._meta.db_table, ScoreMark._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One keeper at a time, so that pruning never races a keeper's snapshot. The
            # snapshot is taken before the lines are scored: a write committed in between
            # is in the lines and marked as well, and a marked task is scored afresh anyway.
            cursor.execute(f"LOCK TABLE {kept_table} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute(
                f"SELECT pg_current_snapshot()::text, pg_current_xact_id()::text::bigint, "
                f"(SELECT COALESCE(MAX(id), 0) FROM {marks_table})"
            )
            snapshot, keeper, last_mark = cursor.fetchone()
        else:
            # SQLite's transactions here begin IMMEDIATE: no one writes until this commits.
            snapshot, keeper, last_mark = "", 0, ScoreMark.objects.aggregate(last=Max("id"))["last"] or 0
        kept = KeptRanking.objects.create(
            scheme=scheme,
            as_of=period.as_of,
            rules=rules_digest(scheme),
            snapshot=snapshot,
            keeper=keeper,
            last_mark=last_mark,
        )
        lines, params = _lines_sql(period)
        cursor.execute(
            f"INSERT INTO {KeptLine._meta.db_table} (kept_id, task_id, department_id, parts, full_marks, points) "
            f"SELECT %s, task_id, charged, SUM(parts), SUM(full_marks), SUM(points) "
            f"FROM ({lines}) lines GROUP BY task_id, charged",
            [kept.pk, *params],
        )
        cursor.execute(
            f"INSERT INTO {KeptSum._meta.db_table} (kept_id, department_id, parts, full_marks, points) "
            f"SELECT kept_id, department_id, SUM(parts), SUM(full_marks), SUM(points) "
            f"FROM {KeptLine._meta.db_table} WHERE kept_id = %s GROUP BY kept_id, department_id",
            [kept.pk],
        )
        # Those older than the newest kept before SUPERSEDED_KEPT ago were superseded by it
        # at least that long ago: no reading still adds them up.
        settled = (
            KeptRanking.objects.filter(scheme=scheme, built_at__lt=timezone.now() - SUPERSEDED_KEPT)
            .exclude(pk=kept.pk)
            .order_by("-pk")
            .first()
        )
        if settled is not None:
            KeptRanking.objects.filter(scheme=scheme, pk__lt=settled.pk).delete()
        _prune(cursor)
        kept.seconds = time.perf_counter() - started
        kept.save(update_fields=["seconds"])
    return kept


def _held(kept: KeptRanking) -> tuple[str, list]:
    """SQL true of the marks `kept`'s lines already hold, and its parameters."""
    if connection.vendor == "postgresql":
        return (
            "CASE WHEN xid::text::bigint = %s THEN id <= %s ELSE pg_visible_in_snapshot(xid, %s::pg_snapshot) END",
            [kept.keeper, kept.last_mark, kept.snapshot],
        )
    return "id <= %s", [kept.last_mark]


def prune() -> None:
    """Remove the marks every kept ranking holds (every mark, when none is kept)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {KeptRanking._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
        _prune(cursor)


def _prune(cursor) -> None:
    """The oldest kept ranking holds no mark that a later one does not. With none kept, a
    mark committed before now is held by any ranking kept from now on (the lock keeps a
    keeper from starting meanwhile)."""
    table = ScoreMark._meta.db_table
    oldest = KeptRanking.objects.order_by("pk").first()
    if oldest is not None:
        held, params = _held(oldest)
        cursor.execute(f"DELETE FROM {table} WHERE {held}", params)
    elif connection.vendor == "postgresql":
        cursor.execute(
            f"DELETE FROM {table} WHERE pg_visible_in_snapshot(xid, pg_current_snapshot()) "
            f"AND xid IS DISTINCT FROM pg_current_xact_id_if_assigned()"
        )
    else:
        cursor.execute(f"DELETE FROM {table}")


def current(scheme: Scheme, as_of) -> KeptRanking | None:
    """The newest kept ranking of the scheme that holds its scores as of `as_of`."""
    if scheme.pk is None:
        return None
    return KeptRanking.objects.filter(scheme=scheme, as_of=as_of, rules=rules_digest(scheme)).order_by("-pk").first()


def changed_tasks(kept: KeptRanking, limit: int = CHANGED_LIMIT) -> list[int]:
    """The tasks marked after the kept lines were scored (at most `limit` + 1 of them)."""
    held, params = _held(kept)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT task_id FROM {ScoreMark._meta.db_table} WHERE NOT ({held}) LIMIT %s", [*params, limit + 1]
        )
        return [row[0] for row in cursor.fetchall()]


def kept_sums(period: Period) -> tuple[dict[int, Decimal], dict[int, Decimal]] | None:
    """(满分, Σ points) per department as registry.sums() gives them, from the kept ranking,
    or None when there is none for the period or too much changed since it was kept."""
    kept = current(period.scheme, period.as_of)
    if kept is None:
        return None
    changed = changed_tasks(kept)
    if len(changed) > CHANGED_LIMIT:
        return None
    tally: dict[int, list] = {
        row[0]: list(row[1:])
        for row in KeptSum.objects.filter(kept=kept).values_list("department_id", "parts", "full_marks", "points")
    }
    if changed:
        gone = KeptLine.objects.filter(kept=kept, task_id__in=changed)
        _add(tally, gone.values_list("department_id", "parts", "full_marks", "points"), -1)
        lines, params = _lines_sql(period, changed)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT charged, SUM(parts), SUM(full_marks), SUM(points) FROM ({lines}) lines GROUP BY charged",
                params,
            )
            _add(tally, cursor.fetchall(), 1)
    full = {d: Decimal(f).quantize(HUNDREDTH) for d, (parts, f, p) in tally.items() if parts > 0}
    points = {d: Decimal(p).quantize(HUNDREDTH) for d, (parts, f, p) in tally.items() if parts > 0}
    for department, total in rule_sums(period, [rule for rule in REGISTRY if not rule.per_task]).items():
        points[department] = points.get(department, Decimal(0)) + total
    return full, points


def _add(tally: dict[int, list], rows, sign: int) -> None:
    for department, parts, full, points in rows:
        values = tally.setdefault(department, [0, Decimal(0), Decimal(0)])
        values[0] += sign * parts
        values[1] += sign * Decimal(full)
        values[2] += sign * Decimal(points)
