"""What supervision's API actions accept: each serializer parses one action's body; the
services decide and write."""

from rest_framework import serializers

from reform_portal.api.serializers import StrictSerializer

from ..choices import Rating

ID = {"min_value": 1, "max_value": 2**63 - 1}


class ConfirmInput(StrictSerializer):
    rating = serializers.ChoiceField(choices=Rating.choices, help_text="督查评价 · the rating confirmed")
    comment = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default="", help_text="督查意见 · comment"
    )


class DemandInput(StrictSerializer):
    department = serializers.IntegerField(help_text="责任单位ID · the department responsible", **ID)
    requirement = serializers.CharField(max_length=5000, help_text="整改要求 · what must be put right")
    due_date = serializers.DateField(help_text="整改时限，不早于今天 · due date, today or later")


class DemandReportInput(StrictSerializer):
    text = serializers.CharField(max_length=20000, help_text="整改情况 · what was put right")


class DemandReportUpload(serializers.Serializer):
    """Documents the multipart report for the schema; the view hands the files to the service."""

    text = serializers.CharField(max_length=20000, help_text="整改情况 · what was put right")
    files = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="整改佐证（最多10个）· files, up to 10"
    )


class DemandCommentInput(StrictSerializer):
    comment = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="审核意见（退回时必填）· the office's comment (required to return)",
    )
