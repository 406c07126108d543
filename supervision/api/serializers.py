"""How supervision reads in the API. Output only: input is in inputs.py. Every related row
printed here is selected or prefetched by the selectors and views, never read per row."""

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tasks.api.serializers import DepartmentNameSerializer

from ..choices import DemandStatus, Rating
from ..models import (
    Bulletin,
    BulletinDepartment,
    DemandAttachment,
    Finding,
    Inspection,
    Notice,
    RectificationDemand,
)


class TaskRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()


class InspectionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class InspectionSerializer(serializers.ModelSerializer):
    inspectors = serializers.SerializerMethodField()
    finding_count = serializers.IntegerField(read_only=True, help_text="督查发现数 · findings")
    unconfirmed = serializers.IntegerField(read_only=True, help_text="待确认的发现数 · findings not confirmed")
    url = serializers.SerializerMethodField(help_text="页面 · the page")

    class Meta:
        model = Inspection
        fields = [
            "id",
            "title",
            "kind",
            "period_start",
            "period_end",
            "inspectors",
            "scope",
            "notes",
            "created_at",
            "finding_count",
            "unconfirmed",
            "url",
        ]

    def get_inspectors(self, inspection) -> list[str]:
        return [user.username for user in inspection.inspectors.all()]

    def get_url(self, inspection) -> str:
        return inspection.get_absolute_url()


class RatingCounts(serializers.Serializer):
    """督查评价 → findings with it (confirmed, else suggested)."""

    on_time = serializers.IntegerField()
    on_track = serializers.IntegerField()
    behind = serializers.IntegerField()
    not_started = serializers.IntegerField()
    overdue = serializers.IntegerField()


class InspectionDetailSerializer(InspectionSerializer):
    rating_counts = serializers.SerializerMethodField()

    class Meta(InspectionSerializer.Meta):
        fields = [*InspectionSerializer.Meta.fields, "rating_counts"]

    @extend_schema_field(RatingCounts)
    def get_rating_counts(self, inspection) -> dict:
        return self.context["rating_counts"]


class FindingEvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, evidence) -> str:
        return reverse("supervision:evidence", args=[evidence.pk])


class FindingSerializer(serializers.ModelSerializer):
    task = TaskRefSerializer(read_only=True)
    lead = serializers.SerializerMethodField()
    final_rating = serializers.ChoiceField(
        choices=Rating.choices, read_only=True, help_text="确认的评价，未确认时为建议 · confirmed, else suggested"
    )
    confirmed_by = serializers.CharField(source="confirmed_by.username", read_only=True, allow_null=True)
    demands = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    evidence = FindingEvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "inspection",
            "task",
            "lead",
            "task_status",
            "progress",
            "overdue_days",
            "milestones_missed",
            "indicators_behind",
            "last_report_text",
            "last_report_period",
            "suggested_rating",
            "rating",
            "final_rating",
            "comment",
            "confirmed_by",
            "confirmed_at",
            "demands",
            "evidence",
        ]

    @extend_schema_field(DepartmentNameSerializer(many=True))
    def get_lead(self, finding) -> list[dict]:
        # The selector prefetches the task's lead assignments only.
        return [{"id": a.department_id, "name": a.department.name} for a in finding.task.assignments.all()]


class DemandAttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", help_text="原文件名 · the file's own name")
    round = serializers.IntegerField(
        source="record_id", help_text="所属报告记录（每轮报告一条）· the record of the round it was sent with"
    )
    sent_at = serializers.DateTimeField(source="record.at", help_text="随该轮报告送出的时间 · when that round was sent")
    url = serializers.SerializerMethodField(help_text="下载；加 ?inline=1 在浏览器中打开 · download; ?inline=1 opens")

    class Meta:
        model = DemandAttachment
        fields = ["id", "name", "content_type", "size", "round", "sent_at", "url"]

    def get_url(self, attachment) -> str:
        return reverse("demand-attachment", args=[attachment.demand_id, attachment.pk])


class DemandSerializer(serializers.ModelSerializer):
    inspection = serializers.IntegerField(source="finding.inspection_id", read_only=True)
    task = TaskRefSerializer(source="finding.task", read_only=True)
    department = DepartmentNameSerializer(read_only=True)
    overdue = serializers.SerializerMethodField(help_text="整改逾期 · open past its due date")
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    reported_by = serializers.CharField(source="reported_by.username", read_only=True, allow_null=True)
    closed_by = serializers.CharField(source="closed_by.username", read_only=True, allow_null=True)
    attachments = DemandAttachmentSerializer(
        many=True, read_only=True, help_text="每轮整改情况所附的文件，含已退回的轮次 · every round's files"
    )

    class Meta:
        model = RectificationDemand
        fields = [
            "id",
            "finding",
            "inspection",
            "task",
            "department",
            "requirement",
            "due_date",
            "status",
            "overdue",
            "created_by",
            "created_at",
            "report_text",
            "reported_by",
            "reported_at",
            "attachments",
            "office_comment",
            "closed_by",
            "closed_at",
        ]

    def get_overdue(self, demand) -> bool:
        return demand.status == DemandStatus.OPEN and demand.due_date < timezone.localdate()


class VerdictSerializer(serializers.ModelSerializer):
    department = DepartmentNameSerializer(read_only=True)

    class Meta:
        model = BulletinDepartment
        fields = ["department", "verdict", "reason"]


class BulletinSerializer(serializers.ModelSerializer):
    inspection = InspectionRefSerializer(read_only=True)
    number = serializers.CharField(read_only=True, help_text="文号，草稿为空 · the number, blank for a draft")
    verdicts = VerdictSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField(help_text="页面 · the page")
    pdf_url = serializers.SerializerMethodField(help_text="印发的PDF，草稿为null · the issued PDF, null for a draft")

    class Meta:
        model = Bulletin
        fields = [
            "id",
            "inspection",
            "status",
            "number",
            "year",
            "sequence",
            "version",
            "supersedes",
            "correction_reason",
            "title",
            "recipients",
            "basic",
            "achievements",
            "problems",
            "requirements",
            "verdicts",
            "issue_date",
            "issued_at",
            "pdf_sha256",
            "pdf_pages",
            "url",
            "pdf_url",
        ]

    def get_url(self, bulletin) -> str:
        return bulletin.get_absolute_url()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_pdf_url(self, bulletin) -> str | None:
        return reverse("supervision:bulletin_pdf", args=[bulletin.pk]) if bulletin.pdf_sha256 else None


class NoticeSerializer(serializers.ModelSerializer):
    inspection = InspectionRefSerializer(read_only=True)
    department = DepartmentNameSerializer(read_only=True)
    url = serializers.SerializerMethodField(help_text="督办单（?format=pdf 为PDF）· the notice (?format=pdf: PDF)")
    number = serializers.CharField(read_only=True, help_text="督办编号，如“督办〔2026〕3号” · the notice's number")
    contact = serializers.CharField(read_only=True, help_text="联系人与电话 · contact name and phone")
    state = serializers.SerializerMethodField(help_text="回执：responded 已回执 / waiting 未回执 / late 逾期未回执")

    class Meta:
        model = Notice
        fields = [
            "id",
            "number",
            "inspection",
            "department",
            "sent_at",
            "feedback_due",
            "contact",
            "responded_at",
            "state",
            "url",
        ]

    def get_url(self, notice) -> str:
        return notice.get_absolute_url()

    def get_state(self, notice) -> str:
        return notice.state().value
