from django.contrib import admin

from .models import Department, DepartmentAlias, LoginFailure, Membership


class DepartmentAliasInline(admin.TabularInline):
    model = DepartmentAlias
    extra = 1
    fields = ["name", "kind", "added_by", "added_at", "source"]
    readonly_fields = ["added_by", "added_at", "source"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "jurisdiction", "parent", "is_active"]
    list_filter = ["kind", "jurisdiction", "is_active"]
    search_fields = ["name", "aliases__name"]
    autocomplete_fields = ["parent"]
    inlines = [DepartmentAliasInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent").prefetch_related("aliases", "parent__aliases")

    @admin.display(description="简称")
    def short_name(self, obj):
        return obj.short_name


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "department", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "department__name"]
    autocomplete_fields = ["user", "department"]
    list_select_related = ["user", "department"]


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    """Failed sign-ins; deleting an account's rows lifts its lock at once."""

    list_display = ["at", "username", "ip_address"]
    search_fields = ["username", "ip_address"]
    list_filter = ["at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
