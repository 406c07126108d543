from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import EventKind


def actor_field():
    """Who acted; empty for the system, and kept (as empty) if the account is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class TaskEvent(models.Model):
    """One entry of a task's history: who did what, when, and what it was before."""

    task = models.ForeignKey("tasks.Task", verbose_name=_("任务"), on_delete=models.CASCADE, related_name="events")
    actor = actor_field()
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


class ChangeRecord(models.Model):
    """One change a person (or the system) made to anything that is not a task: a plan's
    public switch, an inspection's finding, a demand's report or the office's reply, an
    assessment scheme. TaskEvent's sibling for every other object, so nothing is lost when
    a field is overwritten: the record keeps what it was before and what it became."""

    object_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("对象类型"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("对象ID"))
    subject = GenericForeignKey("object_type", "object_id")
    actor = actor_field()
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    action = models.CharField(_("操作"), max_length=40)
    summary = models.CharField(_("摘要"), max_length=500, blank=True)
    # {field: [before, after]} with values as shown to people, texts in full.
    changes = models.JSONField(_("变更"), default=dict, blank=True)

    class Meta:
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"], name="changerecord_object_at_idx")]

    def __str__(self):
        return f"{self.action}：{self.summary}" if self.summary else self.action
