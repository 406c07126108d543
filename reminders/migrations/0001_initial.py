import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _relabel(apps, old: str, new: str) -> None:
    content_types = apps.get_model("contenttypes", "ContentType").objects
    if not content_types.filter(app_label=new, model="reminder").exists():
        content_types.filter(app_label=old, model="reminder").update(app_label=new)


def content_type_follows(apps, schema_editor):
    _relabel(apps, "tasks", "reminders")


def content_type_returns(apps, schema_editor):
    _relabel(apps, "reminders", "tasks")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('departments', '0005_prune_sign_in_failures_nightly'),
        ('tasks', '0013_reminders_move_to_their_app'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # The model comes from tasks/ (its 0013 lets it go) with its table, which keeps the name
    # tasks_reminder: no row moves. Its content type moves with it.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Reminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('target', models.CharField(max_length=40, verbose_name='对象')),
                        ('rule', models.CharField(max_length=40, verbose_name='规则')),
                        ('deadline', models.DateField(verbose_name='所催时限')),
                        ('due_on', models.DateField(verbose_name='催办日期')),
                        ('message', models.TextField(blank=True, verbose_name='催办内容')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='生成时间')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='发送时间')),
                        ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='departments.department', verbose_name='部门')),
                        ('milestone', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='tasks.milestone', verbose_name='进度节点')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to=settings.AUTH_USER_MODEL, verbose_name='接收人')),
                        ('sent_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='催办人')),
                        ('task', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='tasks.task', verbose_name='任务')),
                    ],
                    options={
                        'verbose_name': '催办记录',
                        'verbose_name_plural': '催办记录',
                        'db_table': 'tasks_reminder',
                        'ordering': ['-due_on', '-id'],
                        'indexes': [models.Index(fields=['sent_at', 'due_on'], name='reminder_unsent_idx')],
                        'constraints': [models.UniqueConstraint(fields=('target', 'rule', 'recipient', 'deadline'), name='reminder_once')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_follows, content_type_returns),
    ]
