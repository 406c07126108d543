"""Each report keeps `from_lead`: whether its department leads the task. The office's
review queue lists the lead departments' waiting reports and a lead department its
co-operating departments', oldest first, and counts them. Worked out per report through
the assignments, PostgreSQL guessed dozens of rows where 150 000 waited and read them all
(1.2 s at a million tasks); kept on the report, an index serves each list and its count.

Triggers keep it, whatever writes the rows: a report written or moved (task, department)
takes it from the assignments (PostgreSQL mends a statement's rows at its end, SQLite each
row); an assignment added, changed or removed recomputes it for
the reports of that task and department. tasks.facts checks it against the assignments.
The column is added in place, as migration 0020's `waiting` is.
"""

from django.db import migrations, models

LEADS = """EXISTS (SELECT 1 FROM tasks_assignment a
    WHERE a.task_id = {report}.task_id AND a.department_id = {report}.department_id AND a.role = 'lead')"""

# PostgreSQL mends, once per statement, the rows written with the wrong value: a writer that
# knows the lead (the generator's COPY) costs one join, not a lookup per row. The mending
# UPDATE fires the trigger again, which finds nothing more to mend.
_MEND = """
    UPDATE tasks_progressreport r SET from_lead = mended.lead
    FROM (
      SELECT n.id, a.id IS NOT NULL AS lead FROM new_rows n
      LEFT JOIN tasks_assignment a ON a.task_id = n.task_id AND a.department_id = n.department_id AND a.role = 'lead'
    ) mended
    WHERE r.id = mended.id AND r.from_lead <> mended.lead"""

POSTGRES_FORWARD = f"""
CREATE FUNCTION tasks_report_from_lead() RETURNS trigger AS $$
BEGIN
  -- A statement fires its trigger even when it changed no row, the mending one included.
  IF EXISTS (SELECT 1 FROM new_rows) THEN
    EXECUTE $sql${_MEND}$sql$;
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER tasks_progressreport_from_lead_insert AFTER INSERT ON tasks_progressreport
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_report_from_lead();
CREATE TRIGGER tasks_progressreport_from_lead_update AFTER UPDATE ON tasks_progressreport
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_report_from_lead();

CREATE FUNCTION tasks_assignments_from_lead() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE tasks_progressreport r SET from_lead = {LEADS.format(report="r")}
    FROM (SELECT DISTINCT task_id, department_id FROM new_rows) c
    WHERE r.task_id = c.task_id AND r.department_id = c.department_id AND r.from_lead <> {LEADS.format(report="r")};
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE tasks_progressreport r SET from_lead = {LEADS.format(report="r")}
    FROM (SELECT DISTINCT task_id, department_id FROM old_rows) c
    WHERE r.task_id = c.task_id AND r.department_id = c.department_id AND r.from_lead <> {LEADS.format(report="r")};
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER tasks_assignment_from_lead_insert AFTER INSERT ON tasks_assignment
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_assignments_from_lead();
CREATE TRIGGER tasks_assignment_from_lead_update AFTER UPDATE ON tasks_assignment
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_assignments_from_lead();
CREATE TRIGGER tasks_assignment_from_lead_delete AFTER DELETE ON tasks_assignment
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tasks_assignments_from_lead();
"""

POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS tasks_progressreport_from_lead_insert ON tasks_progressreport;
DROP TRIGGER IF EXISTS tasks_progressreport_from_lead_update ON tasks_progressreport;
DROP TRIGGER IF EXISTS tasks_assignment_from_lead_insert ON tasks_assignment;
DROP TRIGGER IF EXISTS tasks_assignment_from_lead_update ON tasks_assignment;
DROP TRIGGER IF EXISTS tasks_assignment_from_lead_delete ON tasks_assignment;
DROP FUNCTION IF EXISTS tasks_report_from_lead();
DROP FUNCTION IF EXISTS tasks_assignments_from_lead();
"""

_SQLITE_REPORT = (
    "UPDATE tasks_progressreport SET from_lead = "
    + LEADS.format(report="tasks_progressreport")
    + " WHERE id = NEW.id;"
)
_SQLITE_PAIRS = (
    "UPDATE tasks_progressreport SET from_lead = "
    + LEADS.format(report="tasks_progressreport")
    + " WHERE {pairs};"
)
_NEW_PAIR = "(task_id = NEW.task_id AND department_id = NEW.department_id)"
_OLD_PAIR = "(task_id = OLD.task_id AND department_id = OLD.department_id)"

SQLITE_FORWARD = [
    f"CREATE TRIGGER tasks_progressreport_from_lead_insert AFTER INSERT ON tasks_progressreport FOR EACH ROW "
    f"BEGIN {_SQLITE_REPORT} END",
    f"CREATE TRIGGER tasks_progressreport_from_lead_update AFTER UPDATE OF task_id, department_id "
    f"ON tasks_progressreport FOR EACH ROW BEGIN {_SQLITE_REPORT} END",
    f"CREATE TRIGGER tasks_assignment_from_lead_insert AFTER INSERT ON tasks_assignment FOR EACH ROW "
    f"BEGIN {_SQLITE_PAIRS.format(pairs=_NEW_PAIR)} END",
    f"CREATE TRIGGER tasks_assignment_from_lead_update AFTER UPDATE OF role, task_id, department_id "
    f"ON tasks_assignment FOR EACH ROW BEGIN {_SQLITE_PAIRS.format(pairs=_NEW_PAIR + ' OR ' + _OLD_PAIR)} END",
    f"CREATE TRIGGER tasks_assignment_from_lead_delete AFTER DELETE ON tasks_assignment FOR EACH ROW "
    f"BEGIN {_SQLITE_PAIRS.format(pairs=_OLD_PAIR)} END",
]

SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "tasks_progressreport_from_lead_insert",
        "tasks_progressreport_from_lead_update",
        "tasks_assignment_from_lead_insert",
        "tasks_assignment_from_lead_update",
        "tasks_assignment_from_lead_delete",
    )
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    false = "false" if vendor == "postgresql" else "0"
    schema_editor.execute(f"ALTER TABLE tasks_progressreport ADD COLUMN from_lead boolean NOT NULL DEFAULT {false}")
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"No from_lead triggers for {vendor}.")
    schema_editor.execute(
        f"UPDATE tasks_progressreport SET from_lead = {LEADS.format(report='tasks_progressreport')}"
    )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)
    else:
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)
    schema_editor.execute("ALTER TABLE tasks_progressreport DROP COLUMN from_lead")


class Migration(migrations.Migration):
    dependencies = [("tasks", "0021_plan_title_index")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="progressreport",
                    name="from_lead",
                    field=models.BooleanField(
                        "牵头单位报告",
                        default=False,
                        editable=False,
                        help_text="报送单位是该任务的牵头单位，由数据库触发器维护。",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(forward, backward)],
        ),
        migrations.RemoveIndex(model_name="progressreport", name="report_waiting_idx"),
        migrations.AddIndex(
            model_name="progressreport",
            index=models.Index(
                condition=models.Q(("status", "submitted")),
                fields=["from_lead", "submitted_at", "id"],
                name="report_waiting_by_role_idx",
            ),
        ),
    ]
