from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepartmentsConfig(AppConfig):
    name = "departments"
    verbose_name = _("部门")

    def ready(self):
        from . import throttle  # noqa: F401  (connects the sign-in signals)
