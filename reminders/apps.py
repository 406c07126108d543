from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("催办")

    def ready(self):
        from . import sources, tasks  # noqa: F401  (tasks: registered with Celery, queued by name)

        sources.register_builtin()
