"""A database migrated before the re-partition (issue 18) migrates cleanly after it and keeps
its rows: notifications, deliveries and reminders change app, not table.

The copy is a fresh database of its own (a file under tmp_path, in a child process), so the
seed world of the other tests is never touched. The child migrates it to the leaf migrations
main had before the move, writes rows through the historical models of that state, migrates
forward to today's leaves and reads them back through today's models."""

import json
import os
import subprocess
import sys
from pathlib import Path

# main's last migrations before notifications/ and reminders/ left tasks/.
BEFORE = {
    "departments": "0005_prune_sign_in_failures_nightly",
    "tasks": "0011_import_preview_confirmed_once",
    "supervision": "0001_initial",
    "assessment": "0001_initial",
}
RULES = ["before:3", "overdue:4", "escalate:head", "escalate:office", "report:monthly", "manual:20261116100000000000"]


def write_before(apps) -> dict:
    """Rows of every kind the move touches, written as the old schema had them."""
    from datetime import date

    user = apps.get_model("auth", "User").objects.create(username="staff", email="staff@gov.example.cn")
    department = apps.get_model("departments", "Department").objects.create(name="区发改委")
    plan = apps.get_model("tasks", "Plan").objects.create(slug="plan", title="改革方案", year=2026)
    task = apps.get_model("tasks", "Task").objects.create(
        plan=plan, title="推进改革", sort_key="0001", deadline=date(2026, 11, 19)
    )
    milestone = apps.get_model("tasks", "Milestone").objects.create(task=task, text="完成调研", department=department)
    notification = apps.get_model("tasks", "Notification").objects.create(
        recipient=user, kind="reminder", title="催办：推进改革", url=f"/tasks/{task.pk}/", task=task
    )
    apps.get_model("tasks", "DeliverySettings").objects.create(user=user, email=True, digest=True)
    delivery = apps.get_model("tasks", "Delivery").objects.create(
        recipient=user, channel="email", notification=notification, status="failed", attempts=2, last_error="超时"
    )
    Reminder = apps.get_model("tasks", "Reminder")
    targets = {
        "before:3": {"task": task, "target": f"task:{task.pk}"},
        "overdue:4": {"task": task, "milestone": milestone, "target": f"milestone:{milestone.pk}"},
        "escalate:head": {"task": task, "target": f"task:{task.pk}"},
        "escalate:office": {"task": task, "target": "demand:7"},
        "report:monthly": {"department": department, "target": f"department:{department.pk}"},
        "manual:20261116100000000000": {"task": task, "target": f"task:{task.pk}", "message": "请加快进度"},
    }
    for rule in RULES:
        Reminder.objects.create(
            rule=rule, recipient=user, deadline=date(2026, 11, 19), due_on=date(2026, 11, 16), **targets[rule]
        )
    return {
        "task": task.pk,
        "milestone": milestone.pk,
        "department": department.pk,
        "notification": notification.pk,
        "delivery": delivery.pk,
        "user": user.pk,
    }


REMINDER_FIELDS = (
    "kind",
    "days",
    "cycle",
    "task_id",
    "milestone_id",
    "department_id",
    "subject_type__app_label",
    "subject_type__model",
    "subject_id",
    "message",
)


def read_after(ids: dict) -> dict:
    from notifications.models import Delivery, DeliverySettings, Notification
    from reminders.models import Reminder

    notification = Notification.objects.get(pk=ids["notification"])
    delivery = Delivery.objects.get(pk=ids["delivery"])
    return {
        "notification": [notification.title, notification.task_id, notification.recipient_id],
        "delivery": [delivery.notification_id, delivery.status, delivery.attempts, delivery.last_error],
        "settings": list(DeliverySettings.objects.values_list("user_id", "email", "digest")),
        "reminders": sorted(
            [[str(value) for value in row] for row in Reminder.objects.values_list(*REMINDER_FIELDS)]
        ),
        "tables": sorted(m._meta.db_table for m in (Notification, Delivery, DeliverySettings, Reminder)),
    }


def main() -> None:
    import django

    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    ours = set(BEFORE) | {"notifications", "reminders", "dashboard", "matters"}  # apps born after it
    before = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in ours] + list(BEFORE.items())
    executor.migrate(before)
    ids = write_before(executor.loader.project_state(before).apps)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    executor = MigrationExecutor(connection)
    print(json.dumps({"ids": ids, "after": read_after(ids), "left": len(executor.migration_plan(executor.loader.graph.leaf_nodes()))}))


def test_a_database_from_before_the_move_migrates_forward_with_its_rows(tmp_path):
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'before.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "reform_portal.settings.test",
    }
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-m", "tests.migrations.test_repartition"], cwd=root, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    ids, after = result["ids"], result["after"]
    assert result["left"] == 0
    assert after["notification"] == ["催办：推进改革", ids["task"], ids["user"]]
    assert after["delivery"] == [ids["notification"], "failed", 2, "超时"]
    assert after["settings"] == [[ids["user"], True, True]]
    # The rule strings and targets arrive as values, read once by reminders/0002.
    task, milestone, department = (str(ids[name]) for name in ("task", "milestone", "department"))
    assert after["reminders"] == sorted(
        [
            ["before", "3", "", task, "None", "None", "None", "None", "None", ""],
            ["overdue", "4", "", task, milestone, "None", "None", "None", "None", ""],
            ["escalate_head", "None", "", task, "None", "None", "None", "None", "None", ""],
            ["escalate_office", "None", "", task, "None", "None", "supervision", "rectificationdemand", "7", ""],
            ["report", "None", "monthly", "None", "None", department, "None", "None", "None", ""],
            ["manual", "None", "", task, "None", "None", "None", "None", "None", "请加快进度"],
        ]
    )
    assert after["tables"] == ["tasks_delivery", "tasks_deliverysettings", "tasks_notification", "tasks_reminder"]


if __name__ == "__main__":
    main()
