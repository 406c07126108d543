from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("督查")

    def ready(self):
        from reminders.sources import register

        from . import tasks  # noqa: F401  (registered with Celery: services queue them by name)
        from .reminders import demands_owed, notices_owed

        register(demands_owed)
        register(notices_owed)
