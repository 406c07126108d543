from django.contrib import admin

from reform_portal.admin import ReadOnlyAdmin

from .models import Reminder


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["due_on", "kind", "days", "cycle", "target_label", "recipient", "deadline", "sent_at"]
    list_filter = ["kind", "cycle", "due_on", "sent_at", "subject_type"]
    search_fields = ["task__title", "milestone__text", "recipient__username", "message"]
    list_select_related = ["task", "department", "recipient"]
    raw_id_fields = ["task", "milestone", "department", "recipient", "sent_by"]

    @admin.display(description="催办对象")
    def target_label(self, reminder: Reminder) -> str:
        return reminder.target_label
