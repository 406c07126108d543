from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('tasks', '0012_notifications_move_to_their_app'),
    ]

    # Reminder now belongs to reminders/ (its 0001 takes it over). Only Django's record of the
    # model moves: the table stays as it is.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='Reminder',
                ),
            ],
            database_operations=[],
        ),
    ]
