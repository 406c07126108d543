from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from departments.permissions import is_office
from reform_portal.admin import KeptAdmin

from .choices import AssignmentRole, TaskStatus
from .models import (
    Assignment,
    CompletionRequest,
    Evidence,
    ExtensionRequest,
    Indicator,
    Milestone,
    Plan,
    ProgressReport,
    Task,
    TaskEvent,
)
from .services import task_assign, task_update, tasks_give_out
from .services.plans import EDITABLE_FIELDS


@admin.register(Plan)
class PlanAdmin(KeptAdmin):
    list_display = ["title", "document_number", "issuing_body", "year", "issue_date"]
    search_fields = ["title", "document_number"]
    list_filter = ["year"]
    prepopulated_fields = {"slug": ["title"]}


class AssignmentFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return  # each row's own errors are shown first
        kept = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        departments = [row["department"].pk for row in kept]
        if len(departments) != len(set(departments)):
            raise ValidationError("同一部门不能重复列出。")
        has_lead = any(row["role"] == AssignmentRole.LEAD for row in kept)
        if self.instance.pk and self.instance.status != TaskStatus.DRAFT and not has_lead:
            raise ValidationError("已交办的任务必须有牵头单位。")


class AssignmentInline(admin.TabularInline):
    model = Assignment
    formset = AssignmentFormSet
    extra = 1
    fields = ["department", "role", "order"]
    autocomplete_fields = ["department"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["order", "text", "deadline", "deadline_phrase", "deadline_precision", "responsible_person", "done_on"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


class TaskEventInline(admin.TabularInline):
    model = TaskEvent
    extra = 0
    can_delete = False
    fields = ["at", "actor", "kind", "summary", "changes"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Task)
class TaskAdmin(KeptAdmin):
    list_display = ["__str__", "plan", "kind", "status", "deadline", "progress"]
    list_filter = ["plan", "kind", "status", "deadline_precision"]
    search_fields = ["title", "text", "number"]
    list_select_related = ["plan"]
    readonly_fields = ["sort_key", "status", "progress", "completed_on", "original_deadline"]
    autocomplete_fields = ["parent"]
    inlines = [AssignmentInline, MilestoneInline, IndicatorInline, TaskEventInline]
    actions = ["issue_tasks"]

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Edits go through the service so that each lands in the task's history.
        original = Task.objects.get(pk=obj.pk)
        task_update(task=original, by=request.user, **{name: getattr(obj, name) for name in EDITABLE_FIELDS})
        obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        if formset.model is not Assignment:
            super().save_formset(request, form, formset, change)
            return
        kept = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        kept = [row for row in kept if row.get("department")]
        kept.sort(key=lambda row: row.get("order") or 0)
        task_assign(
            task=form.instance,
            leads=[row["department"] for row in kept if row["role"] == AssignmentRole.LEAD],
            cooperating=[row["department"] for row in kept if row["role"] == AssignmentRole.COOPERATING],
            by=request.user,
            reason="管理后台调整",
        )
        # The admin's change message reads these; the service keeps its own record.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def has_view_permission(self, request, obj=None):
        # The office gives tasks out from here too (批量交办 is also on the task list).
        return super().has_view_permission(request, obj) or is_office(request.user)

    def has_give_out_permission(self, request):
        return request.user.is_superuser or is_office(request.user)

    @admin.action(description="交办所选任务", permissions=["give_out"])
    def issue_tasks(self, request, queryset):
        drafts = list(queryset.filter(status=TaskStatus.DRAFT))
        try:
            given = tasks_give_out(tasks=drafts, by=request.user, reason="管理后台交办")
        except ValidationError as error:
            self.message_user(request, "；".join(error.messages), messages.ERROR)
            return
        self.message_user(request, f"已交办 {len(given)} 项任务，各单位已收到通知。")


@admin.register(ProgressReport)
class ProgressReportAdmin(KeptAdmin):
    list_display = ["task", "department", "period", "status", "percent", "submitted_at"]
    list_filter = ["status", "period"]
    list_select_related = ["task", "department"]
    search_fields = ["task__title", "text"]
    raw_id_fields = ["task"]


@admin.register(Evidence)
class EvidenceAdmin(KeptAdmin):
    list_display = ["original_name", "report", "content_type", "size", "uploaded_at"]
    raw_id_fields = ["report"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(KeptAdmin):
    list_display = ["task", "department", "previous_deadline", "proposed_deadline", "status", "requested_at"]
    list_filter = ["status"]
    raw_id_fields = ["task"]


@admin.register(CompletionRequest)
class CompletionRequestAdmin(KeptAdmin):
    list_display = ["task", "department", "status", "requested_at"]
    list_filter = ["status"]
    raw_id_fields = ["task"]


@admin.register(TaskEvent)
class TaskEventAdmin(KeptAdmin):
    list_display = ["at", "task", "actor", "kind", "summary"]
    list_filter = ["kind"]
    list_select_related = ["task", "actor"]
    raw_id_fields = ["task"]

    def has_change_permission(self, request, obj=None):
        return False  # history is written by the services only
