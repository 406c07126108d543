"""Each task's waiting reports through an index, for the trigger keeping Task.waiting
(migration 0020). Without it, a bulk COPY not yet analysed made PostgreSQL search all the
waiting reports again for each task it refreshed, through the status index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tasks", "0022_report_from_lead")]

    operations = [
        migrations.AddIndex(
            model_name="progressreport",
            index=models.Index(
                condition=models.Q(("status", "submitted")), fields=["task"], name="report_waiting_task_idx"
            ),
        ),
    ]
