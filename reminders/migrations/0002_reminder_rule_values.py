import django.db.models.deletion
from django.db import migrations, models

# The old rule strings, read once here and never again: "before:3" → (before, 3, ""),
# "report-again:monthly" → (report_again, None, monthly), "manual:<time>" → (manual, …).
_KINDS = {
    "before": "before",
    "overdue": "overdue",
    "escalate:head": "escalate_head",
    "escalate:office": "escalate_office",
    "acknowledge:late": "acknowledge_late",
    "acknowledge:head": "acknowledge_head",
    "report": "report",
    "report-again": "report_again",
    "manual": "manual",
}
_NAMES = {kind: name for name, kind in _KINDS.items()}


def _rule(text: str) -> tuple[str, int | None, str]:
    if text in _KINDS:
        return _KINDS[text], None, ""
    name, _, value = text.partition(":")
    if name in ("before", "overdue"):
        return name, int(value), ""
    if name in ("report", "report-again"):
        return _KINDS[name], None, value
    if name == "manual":
        return "manual", None, ""
    raise ValueError(f"催办规则无法识别：{text}")


def rules_become_values(apps, schema_editor):
    Reminder = apps.get_model("reminders", "Reminder")
    # Only supervision wrote "demand:<id>": its rectification demands, now a generic subject.
    demand = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label="supervision", model="rectificationdemand"
    )[0]
    changed = []
    for reminder in Reminder.objects.only("pk", "target", "rule").iterator():
        reminder.kind, reminder.days, reminder.cycle = _rule(reminder.rule)
        what, _, pk = reminder.target.partition(":")
        if what == "demand":
            reminder.subject_type, reminder.subject_id = demand, int(pk)
        changed.append(reminder)
    Reminder.objects.bulk_update(changed, ["kind", "days", "cycle", "subject_type", "subject_id"], batch_size=500)


def values_become_rules(apps, schema_editor):
    Reminder = apps.get_model("reminders", "Reminder")
    changed = []
    for reminder in Reminder.objects.iterator():
        if reminder.kind in ("before", "overdue"):
            reminder.rule = f"{reminder.kind}:{reminder.days}"
        elif reminder.cycle:
            reminder.rule = f"{_NAMES[reminder.kind]}:{reminder.cycle}"
        elif reminder.kind == "manual":
            reminder.rule = f"manual:{reminder.created_at:%Y%m%d%H%M%S%f}"
        else:
            reminder.rule = _NAMES[reminder.kind]
        if reminder.subject_id:
            reminder.target = f"demand:{reminder.subject_id}"
        elif reminder.milestone_id:
            reminder.target = f"milestone:{reminder.milestone_id}"
        elif reminder.department_id:
            reminder.target = f"department:{reminder.department_id}"
        else:
            reminder.target = f"task:{reminder.task_id}"
        changed.append(reminder)
    Reminder.objects.bulk_update(changed, ["rule", "target"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("reminders", "0001_initial"),
    ]

    # The rule strings and the "demand:7" targets become fields; 0003 drops the strings (on
    # PostgreSQL a table altered after its foreign keys were written in the same transaction
    # refuses, hence two migrations).
    operations = [
        migrations.RemoveConstraint(model_name="reminder", name="reminder_once"),
        migrations.AddField(
            model_name="reminder",
            name="kind",
            field=models.CharField(
                choices=[
                    ("before", "到期前提醒"),
                    ("overdue", "逾期提醒"),
                    ("escalate_head", "逾期升级至部门负责人"),
                    ("escalate_office", "逾期升级至政府办督办"),
                    ("acknowledge_late", "超时未签收提醒"),
                    ("acknowledge_head", "超时未签收，升级至部门负责人"),
                    ("report", "报送提醒"),
                    ("report_again", "报送再次提醒"),
                    ("manual", "政府办催办"),
                ],
                default="",
                max_length=20,
                verbose_name="规则",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="reminder",
            name="days",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="天数"),
        ),
        migrations.AddField(
            model_name="reminder",
            name="cycle",
            field=models.CharField(
                blank=True,
                choices=[("monthly", "每月"), ("quarterly", "每季度"), ("none", "不定期")],
                default="",
                max_length=10,
                verbose_name="报送周期",
            ),
        ),
        migrations.AddField(
            model_name="reminder",
            name="subject_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="催办对象类型",
            ),
        ),
        migrations.AddField(
            model_name="reminder",
            name="subject_id",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="催办对象编号"),
        ),
        migrations.RunPython(rules_become_values, values_become_rules),
    ]
