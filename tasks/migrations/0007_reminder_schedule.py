"""The daily sweep on Celery beat, stored in the database so the office can change it in
the admin: 08:30 Asia/Shanghai, Monday to Friday."""

from django.db import migrations


def create(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = Crontab.objects.get_or_create(
        minute="30", hour="8", day_of_week="1-5", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(
        name="每日催办（到期提醒与逾期升级）", defaults={"task": "tasks.sweep_reminders", "crontab": crontab}
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task="tasks.sweep_reminders").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0006_reminders"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
