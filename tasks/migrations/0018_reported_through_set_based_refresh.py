"""PostgreSQL's trigger for `reported_through` recomputes the changed tasks in one join
instead of a correlated subquery per task.

The first version passed the changed ids as an array to a SQL function. Its plan, made for
ten ids, looked up each task's reports through the report status index. After a bulk COPY
into tables not yet analysed, that plan read every sent report once per task: 20 000
generated tasks spent 201 s in the trigger. That is quadratic, and a million would never
finish.

Now the trigger joins the changed rows (the statement's transition table) to the
assignments and reports, and groups by task. The statement is planned on each call
(EXECUTE), with the real size of the transition table. So one submitted report is still a
few index lookups, and a COPY of a million reports is one hash join. The fact's definition
is the same as migration 0014's: the latest period for which the lead department has sent
a report (submitted or accepted). SQLite's per-row triggers are unchanged.
"""

from django.db import migrations

REFRESH = """
  UPDATE tasks_task t SET reported_through = latest.period
  FROM (
    SELECT changed.task_id, MAX(r.period) AS period
    FROM (SELECT DISTINCT task_id FROM %s) changed
    LEFT JOIN tasks_assignment a ON a.task_id = changed.task_id AND a.role = 'lead'
    LEFT JOIN tasks_progressreport r ON r.task_id = changed.task_id AND r.department_id = a.department_id
      AND r.status IN ('submitted', 'accepted')
    GROUP BY changed.task_id
  ) latest
  WHERE t.id = latest.task_id AND t.reported_through IS DISTINCT FROM latest.period
"""

FORWARD = f"""
CREATE OR REPLACE FUNCTION tasks_rows_changed() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    EXECUTE $sql${REFRESH % "new_rows"}$sql$;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    EXECUTE $sql${REFRESH % "old_rows"}$sql$;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
DROP FUNCTION IF EXISTS tasks_refresh_reported_through(bigint[]);
"""

# Migration 0014's two functions, as they were.
_LATEST_SENT = """(SELECT MAX(r.period) FROM tasks_progressreport r
    JOIN tasks_assignment a ON a.task_id = r.task_id AND a.department_id = r.department_id AND a.role = 'lead'
    WHERE r.task_id = tasks_task.id AND r.status IN ('submitted', 'accepted'))"""

BACKWARD = f"""
CREATE OR REPLACE FUNCTION tasks_refresh_reported_through(ids bigint[]) RETURNS void AS $$
  UPDATE tasks_task SET reported_through = {_LATEST_SENT}
  WHERE tasks_task.id = ANY(ids) AND reported_through IS DISTINCT FROM {_LATEST_SENT};
$$ LANGUAGE sql;

CREATE OR REPLACE FUNCTION tasks_rows_changed() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM tasks_refresh_reported_through(ARRAY(SELECT DISTINCT task_id FROM new_rows));
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    PERFORM tasks_refresh_reported_through(ARRAY(SELECT DISTINCT task_id FROM old_rows));
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("tasks", "0017_task_sources_codes_and_calendar")]

    operations = [migrations.RunPython(forward, backward)]
