from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """A day the official calendar treats differently from Monday-Friday: a public holiday on
    a weekday, or a 调休 weekend worked. The office keeps the table (the State Council
    announces the next year's days each December); it is seeded from chinesecalendar for the
    years that package knows, and its rows win over it (workdays' `overrides`)."""

    day = models.DateField(_("日期"), primary_key=True)
    working = models.BooleanField(_("上班"), help_text=_("勾选：调休上班日；不勾选：放假。"))
    name = models.CharField(_("说明"), max_length=50, blank=True, help_text=_("如“国庆节”“国庆节调休上班”。"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("维护人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("维护时间"), auto_now=True)

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day} {'上班' if self.working else '放假'} {self.name}".strip()
