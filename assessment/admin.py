from django.contrib import admin

from .models import Scheme, Snapshot


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ("title", "year", "plan", "updated_at")
    list_filter = ("year",)

    def has_change_permission(self, request, obj=None):
        return False  # schemes change through the assessment pages' service, which checks closure

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a scheme scored periods; it stays with them


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ("scheme", "as_of", "closed_by", "closed_at", "reopened_by", "reopened_at")
    readonly_fields = [f.name for f in Snapshot._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # a closed period's scores are a record: reopening keeps them too
