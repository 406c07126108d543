"""Two more entries on Celery beat, in the database like the daily sweep: messages that
failed (or whose queue message was lost) are tried again, checked every minute, and the daily digest goes out at 17:30
Asia/Shanghai on working days (a weekend's messages go in Monday's)."""

from django.db import migrations


def create(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Interval = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = Interval.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name="消息重发（失败后按退避重试）", defaults={"task": "tasks.retry_deliveries", "interval": every_minute}
    )
    evening, _ = Crontab.objects.get_or_create(
        minute="30", hour="17", day_of_week="1-5", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(
        name="每日消息汇总", defaults={"task": "tasks.send_digests", "crontab": evening}
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task__in=["tasks.retry_deliveries", "tasks.send_digests"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("tasks", "0008_delivery_channels_and_report_cycles")]

    operations = [migrations.RunPython(create, remove)]
