from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import EventKind


class TaskEvent(models.Model):
    """One entry of a task's history: who did what, when, and what it was before."""

    task = models.ForeignKey("tasks.Task", verbose_name=_("任务"), on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("类别"), max_length=12, choices=EventKind.choices)
    summary = models.CharField(_("摘要"), max_length=500)
    # {field: [before, after]} with values as shown to people.
    changes = models.JSONField(_("变更"), default=dict, blank=True)

    class Meta:
        verbose_name = _("任务记录")
        verbose_name_plural = _("任务记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["task", "-at"], name="taskevent_task_at_idx")]

    def __str__(self):
        return self.summary
