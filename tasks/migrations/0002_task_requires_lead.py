"""A task that has left draft always has a lead department.

The rule spans two tables (tasks_task.status and tasks_assignment), which a
CHECK constraint cannot see, so triggers keep it. Both databases refuse a
status change away from draft without a lead, and demoting or moving the last
lead of such a task. Removing that lead is checked at commit on PostgreSQL (a
deferred constraint trigger), so that deleting a whole task, lead rows first,
stays possible. SQLite has no deferred triggers: an immediate one would refuse
that deletion too, so there the services and the admin form refuse removing
the last lead. Errors are integrity errors (SQLSTATE 23514 on PostgreSQL,
SQLITE_CONSTRAINT_TRIGGER on SQLite).
"""

from django.db import migrations

MESSAGE = "task has no lead department (任务没有牵头单位，不能离开草稿状态)"

POSTGRES_FORWARD = f"""
CREATE FUNCTION tasks_task_requires_lead() RETURNS trigger AS $$
BEGIN
  IF NEW.kind = 'task' AND NEW.status <> 'draft' AND NOT EXISTS (
      SELECT 1 FROM tasks_assignment WHERE task_id = NEW.id AND role = 'lead') THEN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23514';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER tasks_task_requires_lead
  BEFORE INSERT OR UPDATE OF status ON tasks_task
  FOR EACH ROW EXECUTE FUNCTION tasks_task_requires_lead();

CREATE FUNCTION tasks_assignment_keeps_lead() RETURNS trigger AS $$
BEGIN
  -- Runs at commit: the task, if it still exists and has left draft, has a lead.
  IF OLD.role = 'lead' AND EXISTS (
      SELECT 1 FROM tasks_task WHERE id = OLD.task_id AND kind = 'task' AND status <> 'draft')
    AND NOT EXISTS (
      SELECT 1 FROM tasks_assignment WHERE task_id = OLD.task_id AND role = 'lead') THEN
    RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = '23514';
  END IF;
  RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER tasks_assignment_keeps_lead
  AFTER DELETE OR UPDATE OF role, task_id ON tasks_assignment
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION tasks_assignment_keeps_lead();
"""

POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS tasks_assignment_keeps_lead ON tasks_assignment;
DROP FUNCTION IF EXISTS tasks_assignment_keeps_lead();
DROP TRIGGER IF EXISTS tasks_task_requires_lead ON tasks_task;
DROP FUNCTION IF EXISTS tasks_task_requires_lead();
"""

_SQLITE_NO_LEAD = "NOT EXISTS (SELECT 1 FROM tasks_assignment WHERE task_id = NEW.id AND role = 'lead')"
_SQLITE_LAST_LEAD = (
    "OLD.role = 'lead'"
    " AND EXISTS (SELECT 1 FROM tasks_task WHERE id = OLD.task_id AND kind = 'task' AND status <> 'draft')"
    " AND NOT EXISTS (SELECT 1 FROM tasks_assignment"
    " WHERE task_id = OLD.task_id AND role = 'lead' AND id <> OLD.id)"
)

SQLITE_FORWARD = [
    f"""CREATE TRIGGER tasks_task_requires_lead_insert BEFORE INSERT ON tasks_task
    FOR EACH ROW WHEN NEW.kind = 'task' AND NEW.status <> 'draft' AND {_SQLITE_NO_LEAD}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER tasks_task_requires_lead_update BEFORE UPDATE OF status ON tasks_task
    FOR EACH ROW WHEN NEW.kind = 'task' AND NEW.status <> 'draft' AND {_SQLITE_NO_LEAD}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER tasks_assignment_keeps_lead_update BEFORE UPDATE OF role, task_id ON tasks_assignment
    FOR EACH ROW WHEN {_SQLITE_LAST_LEAD} AND (NEW.role <> 'lead' OR NEW.task_id <> OLD.task_id)
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS tasks_task_requires_lead_insert",
    "DROP TRIGGER IF EXISTS tasks_task_requires_lead_update",
    "DROP TRIGGER IF EXISTS tasks_assignment_keeps_lead_update",
]


def _run(schema_editor, postgres: str, sqlite: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgres)
    elif vendor == "sqlite":
        for statement in sqlite:
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"No lead-required triggers for {vendor}.")


def forward(apps, schema_editor):
    _run(schema_editor, POSTGRES_FORWARD, SQLITE_FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, POSTGRES_BACKWARD, SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("tasks", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
