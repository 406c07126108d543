from rest_framework import serializers

from reform_portal.api.serializers import ID, StrictSerializer


class MarkReadInput(StrictSerializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(**ID),
        required=False,
        allow_null=True,
        default=None,
        max_length=1000,
        help_text="要标为已读的消息ID；不给则全部标为已读 · ids to mark read; all when absent",
    )
