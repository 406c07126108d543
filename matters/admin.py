from django.contrib import admin

from .models import Instruction, Meeting, Proposal


class ReadOnly(admin.ModelAdmin):
    """The registers are written through the services (numbering, 交办, history): the admin
    only shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Instruction)
class InstructionAdmin(ReadOnly):
    list_display = ["leader_name", "instructed_on", "kind", "task"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnly):
    list_display = ["name", "session", "held_on", "kind"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnly):
    list_display = ["number", "kind", "year", "proposer", "stage", "satisfaction"]
