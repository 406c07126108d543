"""The kept ranking (assessment.models.KeptRanking) and the marks that say which tasks'
scores may have changed since it was kept.

A trigger marks a task whenever a row its score lines are made from is written, whoever
writes it: the task (the columns the rules read), its plan's year and source, its
assignments, progress reports, milestones and findings. Bulletins are scored live at every
reading and need no mark.

PostgreSQL: the mark carries the id of the transaction that wrote it, so a reading can ask
whether the snapshot the lines were scored under saw it (pg_visible_in_snapshot). Inserts
and deletes are marked once per statement from its transition table; updates per row, and
only when a column the rules read changed (the WHEN clause costs nothing for the others).
The trigger functions are static SQL that has no plan to choose: an append of one row, or
of a transition table's rows.
SQLite: writers take turns, so ids in the order of commit say the same."""

import django.db.models.deletion
from django.db import migrations, models


# The columns each table's score lines read, and the column naming the task.
WATCHED = {
    "tasks_task": (
        "id",
        [
            "kind",
            "status",
            "plan_id",
            "deadline",
            "original_deadline",
            "weight",
            "progress",
            "completed_on",
            "assigned_on",
        ],
    ),
    "tasks_assignment": ("task_id", ["task_id", "department_id", "role"]),
    "tasks_progressreport": ("task_id", ["task_id", "department_id", "status", "period", "submitted_at"]),
    "tasks_milestone": ("task_id", ["task_id", "deadline", "done_on"]),
    "supervision_finding": ("task_id", ["task_id", "rating", "confirmed_at"]),
}
PLAN_COLUMNS = ["year", "source"]
MARKS = "assessment_scoremark"


def _changed(columns: list[str]) -> str:
    return " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)


def postgresql() -> tuple[list[str], list[str]]:
    forward = [
        f"ALTER TABLE {MARKS} ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id()",
        f"""CREATE FUNCTION assessment_mark_task_row() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO {MARKS} (task_id) VALUES (NEW.id);
          RETURN NULL;
        END $$""",
        f"""CREATE FUNCTION assessment_mark_child_row() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO {MARKS} (task_id) VALUES (NEW.task_id);
          IF OLD.task_id <> NEW.task_id THEN
            INSERT INTO {MARKS} (task_id) VALUES (OLD.task_id);
          END IF;
          RETURN NULL;
        END $$""",
        f"""CREATE FUNCTION assessment_mark_plan_row() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO {MARKS} (task_id) SELECT id FROM tasks_task WHERE plan_id = NEW.id;
          RETURN NULL;
        END $$""",
        f"""CREATE FUNCTION assessment_mark_new_rows() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO {MARKS} (task_id) SELECT task_id FROM new_rows;
          RETURN NULL;
        END $$""",
        f"""CREATE FUNCTION assessment_mark_old_rows() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO {MARKS} (task_id) SELECT task_id FROM old_rows;
          RETURN NULL;
        END $$""",
        f"""CREATE FUNCTION assessment_mark_old_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO {MARKS} (task_id) SELECT id FROM old_rows;
          RETURN NULL;
        END $$""",
        f"""CREATE TRIGGER assessment_mark_plan AFTER UPDATE ON tasks_plan FOR EACH ROW
        WHEN ({_changed(PLAN_COLUMNS)}) EXECUTE FUNCTION assessment_mark_plan_row()""",
    ]
    backward = [
        "DROP TRIGGER IF EXISTS assessment_mark_plan ON tasks_plan",
    ]
    for table, (key, columns) in WATCHED.items():
        row = "assessment_mark_task_row" if table == "tasks_task" else "assessment_mark_child_row"
        forward.append(
            f"""CREATE TRIGGER assessment_mark_update AFTER UPDATE ON {table} FOR EACH ROW
            WHEN ({_changed(columns)}) EXECUTE FUNCTION {row}()"""
        )
        deleted = "assessment_mark_old_tasks" if table == "tasks_task" else "assessment_mark_old_rows"
        forward.append(
            f"""CREATE TRIGGER assessment_mark_delete AFTER DELETE ON {table}
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {deleted}()"""
        )
        backward += [
            f"DROP TRIGGER IF EXISTS assessment_mark_update ON {table}",
            f"DROP TRIGGER IF EXISTS assessment_mark_delete ON {table}",
        ]
        # A new task has no part for anyone yet: its assignments mark it.
        if table != "tasks_task":
            forward.append(
                f"""CREATE TRIGGER assessment_mark_insert AFTER INSERT ON {table}
                REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assessment_mark_new_rows()"""
            )
            backward.append(f"DROP TRIGGER IF EXISTS assessment_mark_insert ON {table}")
    backward += [
        f"DROP FUNCTION IF EXISTS {name}()"
        for name in (
            "assessment_mark_task_row",
            "assessment_mark_child_row",
            "assessment_mark_plan_row",
            "assessment_mark_new_rows",
            "assessment_mark_old_rows",
            "assessment_mark_old_tasks",
        )
    ]
    return forward, backward


def sqlite() -> tuple[list[str], list[str]]:
    forward = [
        f"""CREATE TRIGGER assessment_mark_plan AFTER UPDATE OF {", ".join(PLAN_COLUMNS)} ON tasks_plan
        FOR EACH ROW WHEN {_changed(PLAN_COLUMNS)}
        BEGIN INSERT INTO {MARKS} (task_id) SELECT id FROM tasks_task WHERE plan_id = NEW.id; END"""
    ]
    backward = ["DROP TRIGGER IF EXISTS assessment_mark_plan"]
    for table, (key, columns) in WATCHED.items():
        moved = (
            ""
            if key == "id"
            else (f" INSERT INTO {MARKS} (task_id) SELECT OLD.task_id WHERE OLD.task_id <> NEW.task_id;")
        )
        forward += [
            f"""CREATE TRIGGER assessment_mark_update_{table} AFTER UPDATE OF {", ".join(columns)} ON {table}
            FOR EACH ROW WHEN {_changed(columns)}
            BEGIN INSERT INTO {MARKS} (task_id) VALUES (NEW.{key});{moved} END""",
            f"""CREATE TRIGGER assessment_mark_delete_{table} AFTER DELETE ON {table}
            FOR EACH ROW BEGIN INSERT INTO {MARKS} (task_id) VALUES (OLD.{key}); END""",
        ]
        backward += [
            f"DROP TRIGGER IF EXISTS assessment_mark_update_{table}",
            f"DROP TRIGGER IF EXISTS assessment_mark_delete_{table}",
        ]
        if table != "tasks_task":
            forward.append(
                f"""CREATE TRIGGER assessment_mark_insert_{table} AFTER INSERT ON {table}
                FOR EACH ROW BEGIN INSERT INTO {MARKS} (task_id) VALUES (NEW.{key}); END"""
            )
            backward.append(f"DROP TRIGGER IF EXISTS assessment_mark_insert_{table}")
    return forward, backward


def create(apps, schema_editor):
    forward, _ = postgresql() if schema_editor.connection.vendor == "postgresql" else sqlite()
    for statement in forward:
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    _, backward = postgresql() if schema_editor.connection.vendor == "postgresql" else sqlite()
    for statement in backward:
        schema_editor.execute(statement)


def schedule(apps, schema_editor):
    """Kept every quarter of an hour: just after midnight for the new day, and during the day
    whenever many tasks changed (assessment.services.rankings_keep decides)."""
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    quarterly, _ = Crontab.objects.get_or_create(
        minute="*/15", hour="*", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(
        name="考核得分缓存（每15分钟）", defaults={"task": "assessment.keep_rankings", "crontab": quarterly}
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task="assessment.keep_rankings").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0002_scheme_source_weights"),
        ("tasks", "0024_department_tally"),
        ("supervision", "0004_notice_number_feedback_due_and_receipt"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.CreateModel(
            name="ScoreMark",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("task_id", models.BigIntegerField()),
            ],
            options={
                "default_permissions": (),
            },
        ),
        migrations.CreateModel(
            name="KeptRanking",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("as_of", models.DateField(verbose_name="计分截止日")),
                ("rules", models.CharField(max_length=64, verbose_name="计分规则摘要")),
                ("snapshot", models.TextField(blank=True, verbose_name="快照")),
                ("keeper", models.BigIntegerField(default=0, verbose_name="事务号")),
                ("last_mark", models.BigIntegerField(default=0, verbose_name="最后标记")),
                ("built_at", models.DateTimeField(auto_now_add=True, verbose_name="生成时间")),
                ("seconds", models.FloatField(default=0, verbose_name="用时(秒)")),
                (
                    "scheme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="kept",
                        to="assessment.scheme",
                        verbose_name="考核方案",
                    ),
                ),
            ],
            options={
                "verbose_name": "考核得分缓存",
                "verbose_name_plural": "考核得分缓存",
                "ordering": ["scheme", "-id"],
                "default_permissions": (),
            },
        ),
        migrations.CreateModel(
            name="KeptLine",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("task_id", models.BigIntegerField()),
                ("department_id", models.BigIntegerField()),
                ("parts", models.IntegerField(default=0)),
                ("full_marks", models.DecimalField(decimal_places=2, max_digits=14)),
                ("points", models.DecimalField(decimal_places=2, max_digits=14)),
                (
                    "kept",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="assessment.keptranking"
                    ),
                ),
            ],
            options={
                "default_permissions": (),
                "indexes": [models.Index(fields=["kept", "task_id"], name="keptline_task_idx")],
            },
        ),
        migrations.CreateModel(
            name="KeptSum",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("department_id", models.BigIntegerField()),
                ("parts", models.IntegerField(default=0)),
                ("full_marks", models.DecimalField(decimal_places=2, max_digits=14)),
                ("points", models.DecimalField(decimal_places=2, max_digits=14)),
                (
                    "kept",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="sums", to="assessment.keptranking"
                    ),
                ),
            ],
            options={
                "default_permissions": (),
                "constraints": [models.UniqueConstraint(fields=("kept", "department_id"), name="keptsum_once")],
            },
        ),
        migrations.RunPython(create, drop),
        migrations.RunPython(schedule, unschedule),
    ]
