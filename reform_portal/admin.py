"""What every app's admin shares: records people rely on are kept."""

from django.contrib import admin


class KeptAdmin(admin.ModelAdmin):
    """Records people rely on are never deleted, not even by a superuser: a task is
    withdrawn by 撤销 (cancelled) with its reason and keeps its history; a report, a
    decision or an event stays as it was written."""

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(KeptAdmin):
    """A record the system writes; people read it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
