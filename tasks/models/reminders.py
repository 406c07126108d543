from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Reminder(models.Model):
    """One reminder (催办) owed to one person about one deadline. The database, not the
    broker, knows what is owed and what was sent: a reminder is never sent twice for the
    same deadline, and one not yet sent is sent by the next sweep."""

    task = models.ForeignKey(
        "tasks.Task",
        verbose_name=_("任务"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    milestone = models.ForeignKey(
        "tasks.Milestone",
        verbose_name=_("进度节点"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    # A department's reports due for a period are one reminder, not one per task.
    department = models.ForeignKey(
        "departments.Department",
        verbose_name=_("部门"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # "task:12", "milestone:34" or "department:5": one key for the uniqueness rule.
    target = models.CharField(_("对象"), max_length=40)
    rule = models.CharField(_("规则"), max_length=40)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="reminders"
    )
    deadline = models.DateField(_("所催时限"))
    due_on = models.DateField(_("催办日期"))
    # The office's own words, for a manual 催办; the rest say what the rule says.
    message = models.TextField(_("催办内容"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("催办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("催办记录")
        verbose_name_plural = _("催办记录")
        ordering = ["-due_on", "-id"]
        constraints = [
            # The same rule about the same deadline reaches a person once: a second sweep,
            # or a redelivered message, finds the row already there.
            models.UniqueConstraint(fields=["target", "rule", "recipient", "deadline"], name="reminder_once"),
        ]
        indexes = [models.Index(fields=["sent_at", "due_on"], name="reminder_unsent_idx")]

    def __str__(self):
        return f"{self.target} {self.rule} → {self.recipient_id}"
