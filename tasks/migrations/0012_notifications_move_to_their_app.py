from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('tasks', '0011_import_preview_confirmed_once'),
    ]

    # Notification, Delivery and DeliverySettings now belong to notifications/ (its 0001 takes
    # them over). Only Django's record of the models moves: the tables stay as they are.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='deliverysettings',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='notification',
                    name='recipient',
                ),
                migrations.RemoveField(
                    model_name='notification',
                    name='task',
                ),
                migrations.DeleteModel(
                    name='Delivery',
                ),
                migrations.DeleteModel(
                    name='DeliverySettings',
                ),
                migrations.DeleteModel(
                    name='Notification',
                ),
            ],
            database_operations=[],
        ),
    ]
