import django.db.models.functions.comparison
from django.db import migrations, models

_ONCE = "同一规则对同一时限的催办只发给同一人一次。"
_DAYS = django.db.models.functions.comparison.Coalesce("days", -1, output_field=models.IntegerField())
_NOT_MANUAL = models.Q(("kind", "manual"), _negated=True)
_NO_SUBJECT = models.Q(("subject_id__isnull", True), ("subject_type__isnull", True))
_SUBJECT = models.Q(
    ("department__isnull", True), ("milestone__isnull", True), ("subject_id__isnull", False), ("subject_type__isnull", False)
)
_MILESTONE = _NO_SUBJECT & models.Q(("department__isnull", True), ("milestone__isnull", False), ("task__isnull", False))
_DEPARTMENT = _NO_SUBJECT & models.Q(("department__isnull", False), ("milestone__isnull", True), ("task__isnull", True))
_TASK = _NO_SUBJECT & models.Q(("department__isnull", True), ("milestone__isnull", True), ("task__isnull", False))


def _once(name, *target, condition):
    fields = [models.F(field) for field in target]
    return migrations.AddConstraint(
        model_name="reminder",
        constraint=models.UniqueConstraint(
            *fields,
            models.F("kind"),
            _DAYS,
            models.F("cycle"),
            models.F("recipient"),
            models.F("deadline"),
            condition=condition & _NOT_MANUAL,
            name=name,
            violation_error_message=_ONCE,
        ),
    )


class Migration(migrations.Migration):
    dependencies = [("reminders", "0002_reminder_rule_values")]

    operations = [
        # A default first, so that going back re-adds the columns to existing rows (0002 then
        # writes the strings into them again).
        migrations.AlterField(
            model_name="reminder", name="rule", field=models.CharField(default="", max_length=40, verbose_name="规则")
        ),
        migrations.AlterField(
            model_name="reminder", name="target", field=models.CharField(default="", max_length=40, verbose_name="对象")
        ),
        migrations.RemoveField(model_name="reminder", name="rule"),
        migrations.RemoveField(model_name="reminder", name="target"),
        migrations.AddConstraint(
            model_name="reminder",
            constraint=models.CheckConstraint(
                condition=_SUBJECT | _MILESTONE | _DEPARTMENT | _TASK,
                name="reminder_one_target",
                violation_error_message="催办记录只能针对一个对象：任务、进度节点、部门或登记的催办对象之一。",
            ),
        ),
        migrations.AddConstraint(
            model_name="reminder",
            constraint=models.CheckConstraint(
                condition=models.Q(("days__isnull", False), ("kind__in", ["before", "overdue"]))
                | (~models.Q(("kind__in", ["before", "overdue"])) & models.Q(("days__isnull", True))),
                name="reminder_days_of_its_rule",
                violation_error_message="只有到期前和逾期提醒带天数。",
            ),
        ),
        _once("reminder_once_task", "task", condition=_TASK),
        _once("reminder_once_milestone", "milestone", condition=_MILESTONE),
        _once("reminder_once_department", "department", condition=_DEPARTMENT),
        _once("reminder_once_subject", "subject_type", "subject_id", condition=_SUBJECT),
    ]
