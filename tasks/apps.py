from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("改革任务")

    def ready(self):
        from departments.services.merging import register_merger, register_stop_check

        from .services.registry_hooks import assignments_fold, open_leads_problem

        register_stop_check(open_leads_problem)
        register_merger("tasks.Assignment", assignments_fold)
