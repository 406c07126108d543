"""The nightly pruning of old failed sign-ins, on Celery beat in the database like the
reminder sweep, so an office can move or switch it off in the admin."""

from django.db import migrations


def create(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    night, _ = Crontab.objects.get_or_create(
        minute="15", hour="3", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(
        name="清理30天前的登录失败记录", defaults={"task": "departments.prune_sign_in_failures", "crontab": night}
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        task="departments.prune_sign_in_failures"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("departments", "0004_login_attempts_counted_before_checked"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
