import django.db.models.deletion
import django.utils.timezone
import notifications.models
from django.conf import settings
from django.db import migrations, models


MODELS = ["notification", "delivery", "deliverysettings"]


def _relabel(apps, old: str, new: str) -> None:
    content_types = apps.get_model("contenttypes", "ContentType").objects
    for model in MODELS:
        if not content_types.filter(app_label=new, model=model).exists():
            content_types.filter(app_label=old, model=model).update(app_label=new)


def content_types_follow(apps, schema_editor):
    _relabel(apps, "tasks", "notifications")


def content_types_return(apps, schema_editor):
    _relabel(apps, "notifications", "tasks")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('tasks', '0012_notifications_move_to_their_app'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # The models come from tasks/ (its 0012 lets them go) with their tables, which keep the
    # names tasks_notification, tasks_delivery and tasks_deliverysettings: no row moves.
    # Their content types move with them, so permissions given on them stay given.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('assigned', '任务交办'), ('report', '进展报告'), ('decision', '审批结果'), ('request', '待审事项'), ('reminder', '提醒催办'), ('urge', '督办催办')], max_length=12, verbose_name='类别')),
                        ('title', models.CharField(max_length=200, verbose_name='标题')),
                        ('body', models.TextField(blank=True, verbose_name='内容')),
                        ('url', models.CharField(blank=True, max_length=300, verbose_name='链接')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='时间')),
                        ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='已读时间')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='接收人')),
                        ('task', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='tasks.task', verbose_name='任务')),
                    ],
                    options={
                        'verbose_name': '站内消息',
                        'verbose_name_plural': '站内消息',
                        'db_table': 'tasks_notification',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='Delivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('channel', models.CharField(choices=[('email', '电子邮件'), ('webhook', '群机器人（Webhook）')], max_length=10, verbose_name='渠道')),
                        ('digest_on', models.DateField(blank=True, null=True, verbose_name='汇总日期')),
                        ('status', models.CharField(choices=[('pending', '待发送'), ('sent', '已发送'), ('failed', '发送失败')], default='pending', max_length=10, verbose_name='状态')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='尝试次数')),
                        ('next_attempt_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='下次尝试')),
                        ('last_error', models.CharField(blank=True, max_length=500, verbose_name='最近错误')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='生成时间')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='发送时间')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to=settings.AUTH_USER_MODEL, verbose_name='接收人')),
                        ('notification', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='notifications.notification', verbose_name='消息')),
                    ],
                    options={
                        'verbose_name': '消息投递',
                        'verbose_name_plural': '消息投递',
                        'db_table': 'tasks_delivery',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='DeliverySettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email', models.BooleanField(default=False, help_text='发送到账户的电子邮箱。', verbose_name='电子邮件')),
                        ('webhook', models.BooleanField(default=False, help_text='推送到企业微信或钉钉群机器人。', verbose_name='群机器人')),
                        ('webhook_url', notifications.models.WebhookURLField(blank=True, max_length=500, verbose_name='Webhook 地址')),
                        ('webhook_secret', models.CharField(blank=True, help_text='群机器人“加签”的密钥；留空则不签名。', max_length=200, verbose_name='签名密钥')),
                        ('digest', models.BooleanField(default=False, help_text='提醒、交办和待审事项每天汇总为一条发送；退回、审批结果和督办催办仍即时发送。', verbose_name='每日汇总')),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='delivery_settings', to=settings.AUTH_USER_MODEL, verbose_name='用户')),
                    ],
                    options={
                        'verbose_name': '消息接收设置',
                        'verbose_name_plural': '消息接收设置',
                        'db_table': 'tasks_deliverysettings',
                        'constraints': [models.CheckConstraint(condition=models.Q(('webhook', False), models.Q(('webhook_url', ''), _negated=True), _connector='OR'), name='delivery_webhook_needs_url', violation_error_message='开启群机器人须填写 Webhook 地址。')],
                    },
                ),
                migrations.AddIndex(
                    model_name='notification',
                    index=models.Index(fields=['recipient', 'read_at'], name='notification_unread_idx'),
                ),
                migrations.AddIndex(
                    model_name='delivery',
                    index=models.Index(fields=['status', 'next_attempt_at'], name='delivery_due_idx'),
                ),
                migrations.AddConstraint(
                    model_name='delivery',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('digest_on__isnull', False), ('notification__isnull', True)), models.Q(('digest_on__isnull', True), ('notification__isnull', False)), _connector='OR'), name='delivery_one_subject', violation_error_message='投递须对应一条消息或一天的汇总。'),
                ),
                migrations.AddConstraint(
                    model_name='delivery',
                    constraint=models.UniqueConstraint(condition=models.Q(('notification__isnull', False)), fields=('notification', 'channel'), name='delivery_notification_once'),
                ),
                migrations.AddConstraint(
                    model_name='delivery',
                    constraint=models.UniqueConstraint(condition=models.Q(('digest_on__isnull', False)), fields=('recipient', 'channel', 'digest_on'), name='delivery_digest_once'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
