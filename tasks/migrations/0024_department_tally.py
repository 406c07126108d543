"""The department tally: how many tracked tasks each department leads or co-operates in, by
the facts the department ranking counts by, kept by triggers so that the ranking of a
million tasks sums some tens of thousands of rows instead of joining 2.5 million
assignments with their tasks (1.7 s).

An assignment's shape (tasks.facts.department_shape_of is the same rule in Python, and
checks these triggers), for a tracked task (kind 'task'):
- the department and the role;
- a co-operating department's: nothing more (the ranking counts those tasks only);
- a lead's: the task's status; completed by the deadline or with none (on_time); while
  active, the first day of the deadline's month, the report cycle (the task's, else its
  plan's) and owed_since, the first period start whose report it owes (migration 0020).
`delay` sums, over a lead's tasks completed after their deadline, the days they were late.
`shape` is the shape's values as text joined by "|", as in TaskTally.

The triggers fire on whatever writes the assignments, the tasks or their plans. PostgreSQL
applies each statement's changes at once, grouped by shape; SQLite per row. A task is
inserted before its assignments and deleted after them (Django deletes the rows that point
to it first), so only its updates move shapes.
"""

import importlib

from django.db import migrations, models

TASK_SHAPE = importlib.import_module("tasks.migrations.0020_task_waiting_and_tally")

COLUMNS = ["shape", "department_id", "role", "status", "on_time", "deadline_month", "cycle", "owed_since"]
_TASK_COLUMNS = "kind, plan_id, status, deadline, completed_on, report_cycle, assigned_on, reported_through"


def columns(vendor: str, a: str, t: str, plan_cycle: str) -> dict[str, str]:
    """The tally's columns, and `delay`, of assignment row `a` of task row `t`."""
    task = TASK_SHAPE.columns(vendor, t, "''", plan_cycle)
    lead = f"{a}.role = 'lead'"
    active = f"{t}.status IN {TASK_SHAPE.ACTIVE}"
    if vendor == "postgresql":
        month = f"date_trunc('month', {t}.deadline::timestamp)::date"
        days = f"({t}.completed_on - {t}.deadline)"
    else:
        month = f"date({t}.deadline, 'start of month')"
        days = f"CAST(julianday({t}.completed_on) - julianday({t}.deadline) AS INTEGER)"
    values = {
        "department_id": f"{a}.department_id",
        "role": f"{a}.role",
        "status": f"CASE WHEN {lead} THEN {t}.status ELSE '' END",
        "on_time": f"CASE WHEN {lead} THEN {task['on_time']} ELSE FALSE END",
        "deadline_month": f"CASE WHEN {lead} AND {active} THEN {month} END",
        "cycle": f"CASE WHEN {lead} THEN {task['cycle']} ELSE '' END",
        "owed_since": f"CASE WHEN {lead} THEN {task['owed_since']} END",
    }

    def text(name: str) -> str:
        value = values[name]
        if name == "on_time":
            return f"(CASE WHEN {value} THEN '1' ELSE '0' END)"
        if name == "department_id":
            return f"CAST({value} AS text)"
        if name in ("deadline_month", "owed_since") and vendor == "postgresql":
            value = f"to_char({value}, 'YYYY-MM-DD')"
        return f"COALESCE({value}, '')"

    parts = [text(name) for name in values]
    shape = "concat_ws('|', " + ", ".join(parts) + ")" if vendor == "postgresql" else " || '|' || ".join(parts)
    late = f"{lead} AND {t}.status = 'completed' AND {t}.completed_on > {t}.deadline"
    return {"shape": shape, **values, "delay": f"CASE WHEN {late} THEN {days} ELSE 0 END"}


def _select(vendor: str, a: str, t: str, plan_cycle: str) -> str:
    values = columns(vendor, a, t, plan_cycle)
    return "SELECT " + ", ".join(f"{values[c]} AS {c}" for c in [*COLUMNS, "delay"])


# PostgreSQL: one statement's changes, net per shape. A shape whose count falls or stays
# (its delay may still move) is changed where it exists; one that gains is added to or created.
_POSTGRES_APPLY = """
WITH delta AS (
  SELECT {columns}, SUM(d) AS d, SUM(d * delay) AS delay FROM ({parts}) moved
  GROUP BY {columns} HAVING SUM(d) <> 0 OR SUM(d * delay) <> 0
), lowered AS (
  UPDATE tasks_departmenttally tally SET n = tally.n + delta.d, delay = tally.delay + delta.delay FROM delta
  WHERE tally.shape = delta.shape AND delta.d <= 0
)
INSERT INTO tasks_departmenttally ({columns}, n, delay) SELECT {columns}, d, delay FROM delta WHERE d > 0
ON CONFLICT (shape) DO UPDATE SET n = tasks_departmenttally.n + EXCLUDED.n,
  delay = tasks_departmenttally.delay + EXCLUDED.delay
"""


def _postgres_apply(*parts: str) -> str:
    return _POSTGRES_APPLY.format(columns=", ".join(COLUMNS), parts=" UNION ALL ".join(parts))


def _rows(assignments: str, tasks: str, count: str) -> str:
    return (
        _select("postgresql", "a", "t", "p.report_cycle")
        + f", {count} AS d FROM {assignments} a JOIN {tasks} t ON t.id = a.task_id"
        + " JOIN tasks_plan p ON p.id = t.plan_id WHERE t.kind = 'task'"
    )


def _plan_rows(plans: str, others: str, count: str) -> str:
    """The assignments of the tasks that take their cycle from a plan whose cycle changed."""
    return (
        _select("postgresql", "a", "t", "p.report_cycle")
        + f", {count} AS d FROM tasks_task t JOIN {plans} p ON p.id = t.plan_id JOIN {others} o ON o.id = p.id"
        + " JOIN tasks_assignment a ON a.task_id = t.id"
        + " WHERE t.kind = 'task' AND t.report_cycle = '' AND o.report_cycle IS DISTINCT FROM p.report_cycle"
    )


_EMPTIED = "DELETE FROM tasks_departmenttally WHERE n = 0;"

POSTGRES_FORWARD = f"""
CREATE FUNCTION tasks_department_tally_assignments() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE $sql${_postgres_apply(_rows("new_rows", "tasks_task", "1"))}$sql$;
  ELSIF TG_OP = 'UPDATE' THEN
    EXECUTE $sql${_postgres_apply(_rows("new_rows", "tasks_task", "1"), _rows("old_rows", "tasks_task", "-1"))}$sql$;
  ELSE
    EXECUTE $sql${_postgres_apply(_rows("old_rows", "tasks_task", "-1"))}$sql$;
  END IF;
  {_EMPTIED}
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION tasks_department_tally_tasks() RETURNS trigger AS $$
BEGIN
  -- Each save of a task fires this; most tasks saved are tracked and have assignments.
  IF EXISTS (SELECT 1 FROM new_rows) THEN
    EXECUTE $sql${_postgres_apply(_rows("tasks_assignment", "new_rows", "1"), _rows("tasks_assignment", "old_rows", "-1"))}$sql$;
    {_EMPTIED}
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION tasks_department_tally_plans() RETURNS trigger AS $$
BEGIN
  EXECUTE $sql${_postgres_apply(_plan_rows("new_rows", "old_rows", "1"), _plan_rows("old_rows", "new_rows", "-1"))}$sql$;
  {_EMPTIED}
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER tasks_assignment_department_tally_insert AFTER INSERT ON tasks_assignment
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_department_tally_assignments();
CREATE TRIGGER tasks_assignment_department_tally_update AFTER UPDATE ON tasks_assignment
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_department_tally_assignments();
CREATE TRIGGER tasks_assignment_department_tally_delete AFTER DELETE ON tasks_assignment
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_department_tally_assignments();
CREATE TRIGGER tasks_task_department_tally_update AFTER UPDATE ON tasks_task
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_department_tally_tasks();
CREATE TRIGGER tasks_plan_department_tally_update AFTER UPDATE ON tasks_plan
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_department_tally_plans();
"""

_TRIGGERS = {
    "tasks_assignment_department_tally_insert": "tasks_assignment",
    "tasks_assignment_department_tally_update": "tasks_assignment",
    "tasks_assignment_department_tally_delete": "tasks_assignment",
    "tasks_task_department_tally_update": "tasks_task",
    "tasks_plan_department_tally_update": "tasks_plan",
}
POSTGRES_BACKWARD = "".join(f"DROP TRIGGER IF EXISTS {name} ON {table};" for name, table in _TRIGGERS.items()) + "".join(
    f"DROP FUNCTION IF EXISTS {name}();"
    for name in ("tasks_department_tally_assignments", "tasks_department_tally_tasks", "tasks_department_tally_plans")
)


def _sqlite_add(a: str, t: str, plan_cycle: str, source: str, count: str = "1", delay: str | None = None) -> str:
    values = columns("sqlite", a, t, plan_cycle)
    return (
        f"INSERT INTO tasks_departmenttally ({', '.join(COLUMNS)}, n, delay) SELECT "
        + ", ".join(values[c] for c in COLUMNS)
        + f", {count}, {delay or values['delay']} {source}"
        + " ON CONFLICT(shape) DO UPDATE SET n = n + excluded.n, delay = delay + excluded.delay;"
    )


def _sqlite_lower_one(a: str, t: str, source: str) -> str:
    """Lower the one shape of assignment `a` of task `t`, both found through `source`."""
    values = columns("sqlite", a, t, "p.report_cycle")
    return (
        f"UPDATE tasks_departmenttally SET n = n - 1, delay = delay - (SELECT {values['delay']} {source}) "
        f"WHERE shape = (SELECT {values['shape']} {source}); {_EMPTIED}"
    )


_TASK_OF = "FROM tasks_task t JOIN tasks_plan p ON p.id = t.plan_id WHERE t.id = {a}.task_id AND t.kind = 'task'"
# The assignments of task row `t`, with its plan.
_ASSIGNMENTS_OF = "FROM tasks_assignment a JOIN tasks_plan p ON p.id = {t}.plan_id WHERE a.task_id = {t}.id AND {t}.kind = 'task'"
# The assignments of the tasks that take their report cycle from plan row `p`.
_PLAN_ASSIGNMENTS = (
    "FROM tasks_task t JOIN tasks_assignment a ON a.task_id = t.id "
    "WHERE t.plan_id = {p}.id AND t.kind = 'task' AND t.report_cycle = ''"
)


def _sqlite_task_lower() -> str:
    """Each assignment of the task as it was loses its shape: one per department."""
    values = columns("sqlite", "a", "OLD", "p.report_cycle")
    source = _ASSIGNMENTS_OF.format(t="OLD")
    return (
        "UPDATE tasks_departmenttally SET n = n - 1, delay = delay - "
        f"(SELECT {values['delay']} {source} AND a.department_id = tasks_departmenttally.department_id) "
        f"WHERE shape IN (SELECT {values['shape']} {source}); {_EMPTIED}"
    )


def _sqlite_plan_lower() -> str:
    values = columns("sqlite", "a", "t", "OLD.report_cycle")
    source = _PLAN_ASSIGNMENTS.format(p="OLD")
    moved = f"{source} AND {values['shape']} = tasks_departmenttally.shape"
    return (
        f"UPDATE tasks_departmenttally SET n = n - (SELECT COUNT(*) {moved}), "
        f"delay = delay - (SELECT COALESCE(SUM({values['delay']}), 0) {moved}) "
        f"WHERE shape IN (SELECT {values['shape']} {source}); {_EMPTIED}"
    )


SQLITE_FORWARD = [
    "CREATE TRIGGER tasks_assignment_department_tally_insert AFTER INSERT ON tasks_assignment FOR EACH ROW BEGIN "
    + _sqlite_add("NEW", "t", "p.report_cycle", _TASK_OF.format(a="NEW"))
    + " END",
    "CREATE TRIGGER tasks_assignment_department_tally_update AFTER UPDATE OF task_id, department_id, role "
    "ON tasks_assignment FOR EACH ROW BEGIN "
    + _sqlite_lower_one("OLD", "t", _TASK_OF.format(a="OLD"))
    + _sqlite_add("NEW", "t", "p.report_cycle", _TASK_OF.format(a="NEW"))
    + " END",
    "CREATE TRIGGER tasks_assignment_department_tally_delete AFTER DELETE ON tasks_assignment FOR EACH ROW BEGIN "
    + _sqlite_lower_one("OLD", "t", _TASK_OF.format(a="OLD"))
    + " END",
    f"CREATE TRIGGER tasks_task_department_tally_update AFTER UPDATE OF {_TASK_COLUMNS} ON tasks_task FOR EACH ROW BEGIN "
    + _sqlite_task_lower()
    + _sqlite_add("a", "NEW", "p.report_cycle", _ASSIGNMENTS_OF.format(t="NEW"))
    + " END",
    # A plan's new cycle moves the shapes of the active tasks that take it.
    "CREATE TRIGGER tasks_plan_department_tally_update AFTER UPDATE OF report_cycle ON tasks_plan FOR EACH ROW "
    "WHEN OLD.report_cycle IS NOT NEW.report_cycle BEGIN "
    + _sqlite_plan_lower()
    + _sqlite_add(
        "a",
        "t",
        "NEW.report_cycle",
        _PLAN_ASSIGNMENTS.format(p="NEW") + " GROUP BY 1",
        "COUNT(*)",
        "SUM(" + columns("sqlite", "a", "t", "NEW.report_cycle")["delay"] + ")",
    )
    + " END",
]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS {name}" for name in _TRIGGERS]


def backfill_sql(vendor: str) -> str:
    values = columns(vendor, "a", "t", "p.report_cycle")
    return (
        f"INSERT INTO tasks_departmenttally ({', '.join(COLUMNS)}, n, delay) SELECT "
        + ", ".join(values[c] for c in COLUMNS)
        + f", COUNT(*), SUM({values['delay']})"
        + " FROM tasks_assignment a JOIN tasks_task t ON t.id = a.task_id JOIN tasks_plan p ON p.id = t.plan_id"
        + " WHERE t.kind = 'task' GROUP BY "
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
        raise NotImplementedError(f"No department tally triggers for {vendor}.")
    schema_editor.execute("DELETE FROM tasks_departmenttally")
    schema_editor.execute(backfill_sql(vendor))


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)
    else:
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("tasks", "0023_report_waiting_task_index")]

    operations = [
        migrations.CreateModel(
            name="DepartmentTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("shape", models.CharField(max_length=200, unique=True)),
                ("department_id", models.BigIntegerField()),
                ("role", models.CharField(max_length=12)),
                ("status", models.CharField(blank=True, max_length=24)),
                ("on_time", models.BooleanField(default=False)),
                ("deadline_month", models.DateField(null=True)),
                ("cycle", models.CharField(blank=True, max_length=10)),
                ("owed_since", models.DateField(null=True)),
                ("n", models.IntegerField(default=0, verbose_name="任务数")),
                ("delay", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "部门任务汇总",
                "verbose_name_plural": "部门任务汇总",
                "default_permissions": (),
                "indexes": [models.Index(condition=models.Q(("n", 0)), fields=["n"], name="departmenttally_empty_idx")],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
