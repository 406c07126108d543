"""Two facts kept by triggers, so that the office's overview of a million tasks reads some
thousands of rows instead of every task.

`Task.waiting` (待审): a report of the task is submitted and not yet reviewed, or a request
(extension, completion, participation) is pending. Any change to those rows recomputes it
for the tasks touched, as migration 0018 does for `reported_through`.

The task tally: how many tracked tasks share each shape (source, status and the dates the
office's overview counts by), kept by triggers so that the overview of a million tasks
sums some thousands of rows instead of scanning every task.

A task's shape, with its plan's source and report cycle (tasks.facts.shape_of is the same
rule in Python, and checks these triggers):
- source, status, waiting;
- deadline, unless the task is completed;
- completed_on, and whether it was completed by the deadline (on_time);
- acknowledge_by, only while the task is given out (assigned);
- while active: the report cycle (its own, else its plan's) and owed_since, the first
  period start whose report it owes and has not sent: the later of the first month start
  on or after assigned_on and the first after reported_through (empty when both are).
`shape` is those values as text joined by "|", dates as YYYY-MM-DD, on_time and waiting
as 1 or 0, empty for none.

The triggers fire on whatever writes the tasks (services, the admin, an import, a bulk
COPY) and on a plan whose source or report cycle changes. PostgreSQL applies each
statement's changes at once, grouped by shape; SQLite per row. A decrement only lowers a
row that exists, so emptying the tables in any order leaves nothing negative behind.
"""

from django.db import migrations, models

ACTIVE = "('assigned', 'acknowledged', 'in_progress', 'completion_requested')"
COLUMNS = ["shape", "source", "status", "waiting", "deadline", "completed_on", "on_time", "acknowledge_by", "cycle", "owed_since"]


def _months(vendor: str, t: str) -> tuple[str, str]:
    """The first month start on or after assigned_on, and the first after reported_through."""
    if vendor == "postgresql":
        return (
            f"(date_trunc('month', ({t}.assigned_on - 1)::timestamp) + interval '1 month')::date",
            f"(date_trunc('month', {t}.reported_through::timestamp) + interval '1 month')::date",
        )
    return (
        f"date({t}.assigned_on, '-1 day', 'start of month', '+1 month')",
        f"date({t}.reported_through, 'start of month', '+1 month')",
    )


def columns(vendor: str, t: str, source: str, plan_cycle: str) -> dict[str, str]:
    """The tally's columns of the task row `t`, its plan's source and report cycle given."""
    assigned, reported = _months(vendor, t)
    if vendor == "postgresql":
        later = f"GREATEST({assigned}, {reported})"
    else:
        later = f"CASE WHEN {assigned} IS NULL THEN {reported} WHEN {reported} IS NULL OR {assigned} > {reported} THEN {assigned} ELSE {reported} END"
    values = {
        "source": source,
        "status": f"{t}.status",
        "waiting": f"{t}.waiting",
        "deadline": f"CASE WHEN {t}.status = 'completed' THEN NULL ELSE {t}.deadline END",
        "completed_on": f"{t}.completed_on",
        "on_time": f"CASE WHEN {t}.status = 'completed' AND ({t}.deadline IS NULL OR {t}.completed_on <= {t}.deadline) THEN TRUE ELSE FALSE END",
        "acknowledge_by": f"CASE WHEN {t}.status = 'assigned' THEN {t}.acknowledge_by END",
        "cycle": f"CASE WHEN {t}.status IN {ACTIVE} THEN (CASE WHEN {t}.report_cycle = '' THEN {plan_cycle} ELSE {t}.report_cycle END) ELSE '' END",
        "owed_since": f"CASE WHEN {t}.status IN {ACTIVE} THEN {later} END",
    }

    def text(name: str) -> str:
        value = values[name]
        if name in ("on_time", "waiting"):
            return f"(CASE WHEN {value} THEN '1' ELSE '0' END)"
        if name in ("deadline", "completed_on", "acknowledge_by", "owed_since"):
            value = f"to_char({value}, 'YYYY-MM-DD')" if vendor == "postgresql" else value
        return f"COALESCE({value}, '')"

    parts = [text(name) for name in values]
    shape = "concat_ws('|', " + ", ".join(parts) + ")" if vendor == "postgresql" else " || '|' || ".join(parts)
    return {"shape": shape, **values}


def _select(vendor: str, t: str, source: str, plan_cycle: str, count: str) -> str:
    values = columns(vendor, t, source, plan_cycle)
    return "SELECT " + ", ".join(f"{values[c]} AS {c}" for c in COLUMNS) + f", {count} AS d"


# PostgreSQL: one statement's changes, net per shape. Shapes that lose tasks are lowered
# where they exist; shapes that gain are added to or created.
_POSTGRES_APPLY = """
WITH delta AS (
  SELECT {columns}, SUM(d) AS d FROM ({parts}) moved
  GROUP BY {columns} HAVING SUM(d) <> 0
), lowered AS (
  UPDATE tasks_tasktally tally SET n = tally.n + delta.d FROM delta
  WHERE tally.shape = delta.shape AND delta.d < 0
)
INSERT INTO tasks_tasktally ({columns}, n) SELECT {columns}, d FROM delta WHERE d > 0
ON CONFLICT (shape) DO UPDATE SET n = tasks_tasktally.n + EXCLUDED.n
"""


def _postgres_apply(*parts: str) -> str:
    return _POSTGRES_APPLY.format(columns=", ".join(COLUMNS), parts=" UNION ALL ".join(parts))


def _task_rows(rows: str, count: str) -> str:
    return (
        _select("postgresql", "t", "p.source", "p.report_cycle", count)
        + f" FROM {rows} t JOIN tasks_plan p ON p.id = t.plan_id WHERE t.kind = 'task'"
    )


def _plan_rows(plans: str, others: str, count: str) -> str:
    """The tasks of the plans whose source or report cycle changed, with `plans`' values."""
    return (
        _select("postgresql", "t", "p.source", "p.report_cycle", count)
        + f" FROM tasks_task t JOIN {plans} p ON p.id = t.plan_id JOIN {others} o ON o.id = p.id"
        + " WHERE t.kind = 'task' AND (o.source IS DISTINCT FROM p.source OR o.report_cycle IS DISTINCT FROM p.report_cycle)"
    )


POSTGRES_FORWARD = f"""
CREATE FUNCTION tasks_tally_tasks_changed() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE $sql${_postgres_apply(_task_rows("new_rows", "1"))}$sql$;
  ELSIF TG_OP = 'UPDATE' THEN
    EXECUTE $sql${_postgres_apply(_task_rows("new_rows", "1"), _task_rows("old_rows", "-1"))}$sql$;
  ELSE
    EXECUTE $sql${_postgres_apply(_task_rows("old_rows", "-1"))}$sql$;
  END IF;
  DELETE FROM tasks_tasktally WHERE n = 0;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION tasks_tally_plans_changed() RETURNS trigger AS $$
BEGIN
  EXECUTE $sql${_postgres_apply(_plan_rows("new_rows", "old_rows", "1"), _plan_rows("old_rows", "new_rows", "-1"))}$sql$;
  DELETE FROM tasks_tasktally WHERE n = 0;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER tasks_task_tally_insert AFTER INSERT ON tasks_task
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_tally_tasks_changed();
CREATE TRIGGER tasks_task_tally_update AFTER UPDATE ON tasks_task
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_tally_tasks_changed();
CREATE TRIGGER tasks_task_tally_delete AFTER DELETE ON tasks_task
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_tally_tasks_changed();
CREATE TRIGGER tasks_plan_tally_update AFTER UPDATE ON tasks_plan
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_tally_plans_changed();
"""

POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS tasks_task_tally_insert ON tasks_task;
DROP TRIGGER IF EXISTS tasks_task_tally_update ON tasks_task;
DROP TRIGGER IF EXISTS tasks_task_tally_delete ON tasks_task;
DROP TRIGGER IF EXISTS tasks_plan_tally_update ON tasks_plan;
DROP FUNCTION IF EXISTS tasks_tally_tasks_changed();
DROP FUNCTION IF EXISTS tasks_tally_plans_changed();
"""


def _sqlite_add(task: str, source: str, plan_cycle: str, plan_from: str, count: str = "1") -> str:
    values = columns("sqlite", task, source, plan_cycle)
    return (
        f"INSERT INTO tasks_tasktally ({', '.join(COLUMNS)}, n) SELECT "
        + ", ".join(values[c] for c in COLUMNS)
        + f", {count} {plan_from} ON CONFLICT(shape) DO UPDATE SET n = n + excluded.n;"
    )


def _sqlite_lower(task: str, condition: str) -> str:
    shape = columns("sqlite", task, "p.source", "p.report_cycle")["shape"]
    return (
        "UPDATE tasks_tasktally SET n = n - 1 WHERE shape = "
        f"(SELECT {shape} FROM tasks_plan p WHERE p.id = {task}.plan_id) AND {condition}; {_SQLITE_EMPTIED}"
    )


# A shape no task has any more goes: the overview sums every row.
_SQLITE_EMPTIED = "DELETE FROM tasks_tasktally WHERE n = 0;"
_TASK_COLUMNS = "kind, plan_id, status, waiting, deadline, completed_on, acknowledge_by, report_cycle, assigned_on, reported_through"
_PLAN_TASKS = "FROM tasks_task t WHERE t.plan_id = {plan}.id AND t.kind = 'task'"

SQLITE_FORWARD = [
    "CREATE TRIGGER tasks_task_tally_insert AFTER INSERT ON tasks_task FOR EACH ROW WHEN NEW.kind = 'task' BEGIN "
    + _sqlite_add("NEW", "p.source", "p.report_cycle", "FROM tasks_plan p WHERE p.id = NEW.plan_id")
    + " END",
    f"CREATE TRIGGER tasks_task_tally_update AFTER UPDATE OF {_TASK_COLUMNS} ON tasks_task FOR EACH ROW BEGIN "
    + _sqlite_lower("OLD", "OLD.kind = 'task'")
    + _sqlite_add("NEW", "p.source", "p.report_cycle", "FROM tasks_plan p WHERE p.id = NEW.plan_id AND NEW.kind = 'task'")
    + " END",
    "CREATE TRIGGER tasks_task_tally_delete AFTER DELETE ON tasks_task FOR EACH ROW WHEN OLD.kind = 'task' BEGIN "
    + _sqlite_lower("OLD", "1")
    + " END",
    # A plan's new source or cycle moves its tasks: each old shape loses its tasks, the new
    # ones gain them.
    "CREATE TRIGGER tasks_plan_tally_update AFTER UPDATE OF source, report_cycle ON tasks_plan FOR EACH ROW "
    "WHEN OLD.source IS NOT NEW.source OR OLD.report_cycle IS NOT NEW.report_cycle BEGIN "
    "UPDATE tasks_tasktally SET n = n - (SELECT COUNT(*) "
    + _PLAN_TASKS.format(plan="OLD")
    + " AND "
    + columns("sqlite", "t", "OLD.source", "OLD.report_cycle")["shape"]
    + " = tasks_tasktally.shape) WHERE shape IN (SELECT "
    + columns("sqlite", "t", "OLD.source", "OLD.report_cycle")["shape"]
    + " "
    + _PLAN_TASKS.format(plan="OLD")
    + "); "
    + _SQLITE_EMPTIED
    + _sqlite_add("t", "NEW.source", "NEW.report_cycle", _PLAN_TASKS.format(plan="NEW") + " GROUP BY 1", "COUNT(*)")
    + " END",
]

SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in ("tasks_task_tally_insert", "tasks_task_tally_update", "tasks_task_tally_delete", "tasks_plan_tally_update")
]


# Task.waiting: whether anything of the task waits for a decision.
WAITING = """(EXISTS (SELECT 1 FROM tasks_progressreport r WHERE r.task_id = {task} AND r.status = 'submitted')
    OR EXISTS (SELECT 1 FROM tasks_extensionrequest x WHERE x.task_id = {task} AND x.status = 'pending')
    OR EXISTS (SELECT 1 FROM tasks_completionrequest c WHERE c.task_id = {task} AND c.status = 'pending')
    OR EXISTS (SELECT 1 FROM tasks_participationrequest q WHERE q.task_id = {task} AND q.status = 'pending'))"""
WAITING_TABLES = ("tasks_progressreport", "tasks_extensionrequest", "tasks_completionrequest", "tasks_participationrequest")

_WAITING_REFRESH = (
    "UPDATE tasks_task t SET waiting = w.waiting FROM (SELECT changed.task_id, "
    + WAITING.format(task="changed.task_id")
    + " AS waiting FROM (SELECT DISTINCT task_id FROM {rows}) changed) w"
    " WHERE t.id = w.task_id AND t.waiting IS DISTINCT FROM w.waiting"
)

POSTGRES_WAITING_FORWARD = f"""
CREATE FUNCTION tasks_waiting_changed() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    EXECUTE $sql${_WAITING_REFRESH.format(rows="new_rows")}$sql$;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    EXECUTE $sql${_WAITING_REFRESH.format(rows="old_rows")}$sql$;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
""" + "".join(
    f"""
CREATE TRIGGER {table}_waiting_insert AFTER INSERT ON {table}
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_waiting_changed();
CREATE TRIGGER {table}_waiting_update AFTER UPDATE ON {table}
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_waiting_changed();
CREATE TRIGGER {table}_waiting_delete AFTER DELETE ON {table}
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_waiting_changed();
"""
    for table in WAITING_TABLES
)

POSTGRES_WAITING_BACKWARD = (
    "".join(
        f"DROP TRIGGER IF EXISTS {table}_waiting_{event} ON {table};"
        for table in WAITING_TABLES
        for event in ("insert", "update", "delete")
    )
    + "DROP FUNCTION IF EXISTS tasks_waiting_changed();"
)

_SQLITE_WAITING_EVENTS = {
    "insert": ("INSERT", "NEW.task_id"),
    "update": ("UPDATE OF status, task_id", "NEW.task_id, OLD.task_id"),
    "delete": ("DELETE", "OLD.task_id"),
}
SQLITE_WAITING_FORWARD = [
    f"CREATE TRIGGER {table}_waiting_{name} AFTER {event} ON {table} FOR EACH ROW BEGIN "
    f"UPDATE tasks_task SET waiting = {WAITING.format(task='tasks_task.id')} WHERE id IN ({ids}); END"
    for table in WAITING_TABLES
    for name, (event, ids) in _SQLITE_WAITING_EVENTS.items()
]
SQLITE_WAITING_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {table}_waiting_{name}" for table in WAITING_TABLES for name in _SQLITE_WAITING_EVENTS
]


def waiting_forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    false = "false" if vendor == "postgresql" else "0"
    schema_editor.execute(f"ALTER TABLE tasks_task ADD COLUMN waiting boolean NOT NULL DEFAULT {false}")
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_WAITING_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_WAITING_FORWARD:
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"No waiting triggers for {vendor}.")
    schema_editor.execute(f"UPDATE tasks_task SET waiting = {WAITING.format(task='tasks_task.id')}")


def waiting_backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_WAITING_BACKWARD)
    else:
        for statement in SQLITE_WAITING_BACKWARD:
            schema_editor.execute(statement)
    schema_editor.execute("ALTER TABLE tasks_task DROP COLUMN waiting")


def backfill_sql(vendor: str) -> str:
    return (
        f"INSERT INTO tasks_tasktally ({', '.join(COLUMNS)}, n) "
        + _select(vendor, "t", "p.source", "p.report_cycle", "COUNT(*)").removesuffix(" AS d")
        + " FROM tasks_task t JOIN tasks_plan p ON p.id = t.plan_id WHERE t.kind = 'task' GROUP BY "
        + ", ".join(str(i) for i in range(1, len(COLUMNS) + 1))
    )


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"No tally triggers for {vendor}.")
    schema_editor.execute("DELETE FROM tasks_tasktally")
    schema_editor.execute(backfill_sql(vendor))


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)
    else:
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("tasks", "0019_report_waiting_index")]

    operations = [
        # Added in place: Django would rebuild SQLite's task table for a column that is not
        # null, and the rename fails under the triggers that name the table.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="task",
                    name="waiting",
                    field=models.BooleanField(
                        "待审",
                        default=False,
                        editable=False,
                        help_text="有报告已报送待审核，或有延期、办结、参与申请待审批，由数据库触发器维护。",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(waiting_forward, waiting_backward)],
        ),
        migrations.CreateModel(
            name="TaskTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("shape", models.CharField(max_length=200, unique=True)),
                ("source", models.CharField(max_length=20)),
                ("status", models.CharField(max_length=24)),
                ("waiting", models.BooleanField(default=False)),
                ("deadline", models.DateField(null=True)),
                ("completed_on", models.DateField(null=True)),
                ("on_time", models.BooleanField(default=False)),
                ("acknowledge_by", models.DateField(null=True)),
                ("cycle", models.CharField(blank=True, max_length=10)),
                ("owed_since", models.DateField(null=True)),
                ("n", models.IntegerField(default=0, verbose_name="任务数")),
            ],
            options={
                "verbose_name": "任务汇总",
                "verbose_name_plural": "任务汇总",
                "default_permissions": (),
                "indexes": [models.Index(condition=models.Q(("n", 0)), fields=["n"], name="tasktally_empty_idx")],
            },
        ),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                condition=models.Q(("status", "completed")), fields=["completed_on"], name="task_completed_on_idx"
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
