"""Each task keeps `reported_through`: the latest period for which its lead department has
sent a report (submitted or accepted). A report is late when that is before the current
period's start, so the lights need no NOT EXISTS over every task's reports.

Triggers keep it, on both databases, whatever writes the rows (services, the admin, an
import, a bulk COPY): any change to a report (status, period, task, department) or to an
assignment (a new lead, a lead moved or removed) recomputes it for the tasks touched.
PostgreSQL does this once per statement over the rows it changed (a COPY of a million
reports is one UPDATE), SQLite once per row. tasks.facts.disagreeing() checks it against
the source rows.
"""

from django.db import migrations, models

# The one definition of the fact, correlated to the task being updated.
LATEST_SENT = """(SELECT MAX(r.period) FROM tasks_progressreport r
    JOIN tasks_assignment a ON a.task_id = r.task_id AND a.department_id = r.department_id AND a.role = 'lead'
    WHERE r.task_id = tasks_task.id AND r.status IN ('submitted', 'accepted'))"""

POSTGRES_FORWARD = f"""
CREATE FUNCTION tasks_refresh_reported_through(ids bigint[]) RETURNS void AS $$
  UPDATE tasks_task SET reported_through = {LATEST_SENT}
  WHERE tasks_task.id = ANY(ids) AND reported_through IS DISTINCT FROM {LATEST_SENT};
$$ LANGUAGE sql;

CREATE FUNCTION tasks_rows_changed() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM tasks_refresh_reported_through(ARRAY(SELECT DISTINCT task_id FROM new_rows));
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    PERFORM tasks_refresh_reported_through(ARRAY(SELECT DISTINCT task_id FROM old_rows));
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
""" + "".join(
    f"""
CREATE TRIGGER {table}_facts_insert AFTER INSERT ON {table}
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_rows_changed();
CREATE TRIGGER {table}_facts_update AFTER UPDATE ON {table}
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_rows_changed();
CREATE TRIGGER {table}_facts_delete AFTER DELETE ON {table}
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_rows_changed();
"""
    for table in ("tasks_progressreport", "tasks_assignment")
)

POSTGRES_BACKWARD = (
    "".join(
        f"""
DROP TRIGGER IF EXISTS {table}_facts_insert ON {table};
DROP TRIGGER IF EXISTS {table}_facts_update ON {table};
DROP TRIGGER IF EXISTS {table}_facts_delete ON {table};
"""
        for table in ("tasks_progressreport", "tasks_assignment")
    )
    + """
DROP FUNCTION IF EXISTS tasks_rows_changed();
DROP FUNCTION IF EXISTS tasks_refresh_reported_through(bigint[]);
"""
)

_SQLITE_REFRESH = "UPDATE tasks_task SET reported_through = {latest} WHERE id IN ({ids});"
_SQLITE_EVENTS = {
    "insert": ("INSERT", "NEW.task_id"),
    "update": ("UPDATE OF status, period, task_id, department_id", "NEW.task_id, OLD.task_id"),
    "delete": ("DELETE", "OLD.task_id"),
}
_SQLITE_ASSIGNMENT_EVENTS = _SQLITE_EVENTS | {
    "update": ("UPDATE OF role, task_id, department_id", "NEW.task_id, OLD.task_id")
}

SQLITE_FORWARD = [
    f"""CREATE TRIGGER {table}_facts_{name} AFTER {event} ON {table} FOR EACH ROW
    BEGIN {_SQLITE_REFRESH.format(latest=LATEST_SENT, ids=ids)} END"""
    for table, events in (("tasks_progressreport", _SQLITE_EVENTS), ("tasks_assignment", _SQLITE_ASSIGNMENT_EVENTS))
    for name, (event, ids) in events.items()
]

SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {table}_facts_{name}"
    for table in ("tasks_progressreport", "tasks_assignment")
    for name in _SQLITE_EVENTS
]

BACKFILL = f"UPDATE tasks_task SET reported_through = {LATEST_SENT}"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"No report-fact triggers for {vendor}.")
    schema_editor.execute(BACKFILL)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)
    else:
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("tasks", "0013_reminders_move_to_their_app")]

    operations = [
        migrations.AddField(
            model_name="task",
            name="reported_through",
            field=models.DateField(
                "最近已报送期",
                null=True,
                blank=True,
                editable=False,
                help_text="牵头单位已报送（或已采纳）报告的最近报告期，由数据库触发器维护。",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
