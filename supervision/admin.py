"""Supervision in the admin, to look up, not to edit: every write goes through the
services (numbers, freezing and notifications would be bypassed otherwise)."""

from django.contrib import admin

from .models import (
    Bulletin,
    DemandAttachment,
    Finding,
    Inspection,
    Notice,
    NoticeAttachment,
    NumberSequence,
    RectificationDemand,
    RenderJob,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "period_start", "period_end", "created_by"]
    list_filter = ["kind"]
    search_fields = ["title"]


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["task", "inspection", "suggested_rating", "rating", "overdue_days"]
    list_filter = ["rating", "suggested_rating"]
    list_select_related = ["task", "inspection"]
    search_fields = ["task__title"]


@admin.register(RectificationDemand)
class RectificationDemandAdmin(ReadOnlyAdmin):
    list_display = ["department", "due_date", "status", "finding"]
    list_filter = ["status"]
    list_select_related = ["department", "finding__task", "finding__inspection"]


@admin.register(DemandAttachment)
class DemandAttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "demand", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["demand__department", "uploaded_by"]


@admin.register(Bulletin)
class BulletinAdmin(ReadOnlyAdmin):
    list_display = ["title", "year", "sequence", "version", "status", "issue_date", "pdf_sha256"]
    list_filter = ["status", "year"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["inspection", "department", "year", "sequence", "sent_at", "feedback_due", "responded_at"]
    list_select_related = ["inspection", "department"]


@admin.register(NoticeAttachment)
class NoticeAttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "notice", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["notice__department", "uploaded_by"]


@admin.register(RenderJob)
class RenderJobAdmin(ReadOnlyAdmin):
    list_display = ["bulletin", "issue", "status", "progress", "created_at", "finished_at"]


@admin.register(NumberSequence)
class NumberSequenceAdmin(ReadOnlyAdmin):
    list_display = ["kind", "year", "last"]
