"""The task list walks the plans in title order (models.Plan.Meta.indexes)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0020_task_waiting_and_tally"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="plan",
            index=models.Index(fields=["title", "id"], name="plan_title_idx"),
        ),
    ]
