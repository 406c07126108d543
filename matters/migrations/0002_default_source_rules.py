from django.db import migrations

# (source, kind, first feedback in working days, done in working days, done in months, cycle, 回访)
DEFAULTS = [
    ("instruction", "handle", 5, 20, None, "monthly", False),
    ("meeting", "executive", 10, 30, None, "monthly", False),
    ("meeting", "topical", 10, 20, None, "monthly", False),
    ("meeting", "director", 5, 15, None, "monthly", False),
    ("meeting", "", 10, 30, None, "monthly", False),
    ("proposal", "", None, None, 3, "none", True),
]


def seed(apps, schema_editor):
    SourceRule = apps.get_model("matters", "SourceRule")
    for source, kind, feedback, workdays, months, cycle, revisit in DEFAULTS:
        SourceRule.objects.get_or_create(
            source=source,
            kind=kind,
            defaults={
                "feedback_workdays": feedback,
                "completion_workdays": workdays,
                "completion_months": months,
                "report_cycle": cycle,
                "revisit_required": revisit,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("matters", "0001_source_registers")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
