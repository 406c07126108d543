from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("消息")

    def ready(self):
        # The Celery tasks are registered with the app in every process, the web's too:
        # services queue them by name (notifications.queueing.enqueue_on_commit).
        from . import tasks  # noqa: F401
