"""How plans, tasks and their records read in the API. Output only: input is in inputs.py."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import AssignmentRole, TaskSource
from ..models import (
    CompletionRequest,
    ExtensionRequest,
    Milestone,
    ParticipationRequest,
    Plan,
    ProgressReport,
    Task,
    TaskEvent,
)
from ..models.tasks import INDICATOR_DIGITS
from ..sources import facts_of


class DepartmentRefSerializer(serializers.Serializer):
    """A department as a task or record names it (its aliases prefetched by the selector)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField()


class DepartmentNameSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = [
            "id",
            "slug",
            "title",
            "document_number",
            "issuing_body",
            "issue_date",
            "year",
            "source_name",
            "source",
            "is_public",
            "created_at",
        ]


class LatestReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    period = serializers.DateField()
    percent = serializers.IntegerField()
    status = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    department = DepartmentNameSerializer()


def _departments(task, role: str) -> list[dict]:
    return [
        {"id": a.department_id, "name": a.department.name, "short_name": a.department.short_name}
        for a in task.assignments.all()
        if a.role == role
    ]


class TaskSerializer(serializers.ModelSerializer):
    """A row of the task list: what the list page shows, with the departments and the latest
    report that has left its department."""

    plan_title = serializers.CharField(read_only=True)
    source = serializers.ChoiceField(choices=TaskSource.choices, read_only=True)
    light = serializers.CharField(read_only=True)
    report_late = serializers.BooleanField(read_only=True)
    lead = serializers.SerializerMethodField()
    cooperating = serializers.SerializerMethodField()
    next_step = serializers.DateField(read_only=True, allow_null=True)
    latest_report = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "plan",
            "plan_title",
            "source",
            "code",
            "parent",
            "number",
            "title",
            "category",
            "weight",
            "status",
            "progress",
            "light",
            "report_late",
            "deadline",
            "deadline_phrase",
            "deadline_precision",
            "original_deadline",
            "completed_on",
            "related_departments",
            "lead",
            "cooperating",
            "next_step",
            "latest_report",
            "updated_at",
        ]

    # `lead` and `cooperating` come ready made with the rows (selectors.records.task_api_rows);
    # the detail reads them from its prefetched assignments.
    @extend_schema_field(DepartmentRefSerializer(many=True))
    def get_lead(self, task) -> list[dict]:
        return task.lead if isinstance(getattr(task, "lead", None), list) else _departments(task, AssignmentRole.LEAD)

    @extend_schema_field(DepartmentRefSerializer(many=True))
    def get_cooperating(self, task) -> list[dict]:
        if isinstance(getattr(task, "cooperating", None), list):
            return task.cooperating
        return _departments(task, AssignmentRole.COOPERATING)

    @extend_schema_field(LatestReportSerializer(allow_null=True))
    def get_latest_report(self, task) -> dict | None:
        report = getattr(task, "latest_report", None)
        return LatestReportSerializer(report).data if report else None


_DATE = serializers.DateField()
_DATETIME = serializers.DateTimeField()
_WEIGHT = serializers.DecimalField(max_digits=6, decimal_places=2)


def _or_none(field, value):
    return None if value is None else field.to_representation(value)


class TaskRowSerializer(TaskSerializer):
    """TaskSerializer's output for the rows of selectors.records.task_api_rows, written out
    by hand: at 100 rows a page, DRF's per-field machinery was a third of the response time.
    tests/api/test_serializers.py holds the two to the same output."""

    def to_representation(self, task) -> dict:
        report = task.latest_report
        if report is not None:
            report = {
                "id": report["id"],
                "period": _DATE.to_representation(report["period"]),
                "percent": report["percent"],
                "status": report["status"],
                "submitted_at": _or_none(_DATETIME, report["submitted_at"]),
                "department": report["department"],
            }
        return {
            "id": task.pk,
            "plan": task.plan_id,
            "plan_title": task.plan_title,
            "source": task.source,
            "code": task.code,
            "parent": task.parent_id,
            "number": task.number,
            "title": task.title,
            "category": task.category,
            "weight": _or_none(_WEIGHT, task.weight),
            "status": task.status,
            "progress": task.progress,
            "light": task.light,
            "report_late": bool(task.report_late),
            "deadline": _or_none(_DATE, task.deadline),
            "deadline_phrase": task.deadline_phrase,
            "deadline_precision": task.deadline_precision,
            "original_deadline": _or_none(_DATE, task.original_deadline),
            "completed_on": _or_none(_DATE, task.completed_on),
            "related_departments": task.related_departments,
            "lead": task.lead,
            "cooperating": task.cooperating,
            "next_step": _or_none(_DATE, task.next_step),
            "latest_report": report,
            "updated_at": _DATETIME.to_representation(task.updated_at),
        }


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = [
            "id",
            "order",
            "text",
            "deadline",
            "deadline_phrase",
            "deadline_precision",
            "department",
            "responsible_person",
            "done_on",
        ]


class IndicatorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    target = serializers.DecimalField(**INDICATOR_DIGITS)
    unit = serializers.CharField()
    comparison = serializers.CharField()
    latest_value = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DecimalField(**INDICATOR_DIGITS, allow_null=True))
    def get_latest_value(self, indicator):
        values = list(indicator.values.all())  # newest first (selectors.task_detail)
        return serializers.DecimalField(**INDICATOR_DIGITS).to_representation(values[0].value) if values else None


class TaskDetailSerializer(TaskSerializer):
    plan_title = serializers.CharField(source="plan.title", read_only=True)
    source = serializers.ChoiceField(source="plan.source", choices=TaskSource.choices, read_only=True)
    source_facts = serializers.SerializerMethodField(
        help_text="来源信息（批示、会议、建议提案）· the source's own facts"
    )
    milestones = MilestoneSerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta(TaskSerializer.Meta):
        fields = [
            *TaskSerializer.Meta.fields,
            "kind",
            "text",
            "responsibility",
            "lead_mode",
            "deliverable",
            "start_date",
            "created_at",
            "milestones",
            "indicators",
            "source_facts",
        ]

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_source_facts(self, task) -> dict | None:
        return facts_of(task)

    @extend_schema_field(LatestReportSerializer(allow_null=True))
    def get_latest_report(self, task) -> dict | None:
        sent = [r for r in task.reports.all() if r.submitted_at and r.status in ("submitted", "accepted", "returned")]
        latest = max(sent, key=lambda r: (r.submitted_at, r.pk), default=None)
        return LatestReportSerializer(latest).data if latest else None


class EvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, evidence) -> str:
        return f"/api/reports/{evidence.report_id}/evidence/{evidence.pk}/"


class IndicatorValueSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(source="indicator_id")
    value = serializers.DecimalField(**INDICATOR_DIGITS)


class ReportSerializer(serializers.ModelSerializer):
    department = DepartmentRefSerializer(read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    reviewed_by = serializers.CharField(source="reviewed_by.username", read_only=True, allow_null=True)
    signed_off_by = serializers.CharField(source="signed_off_by.username", read_only=True, allow_null=True)
    milestones_done = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    indicator_values = IndicatorValueSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "task",
            "department",
            "period",
            "text",
            "percent",
            "lower_reason",
            "status",
            "version",
            "created_by",
            "created_at",
            "submitted_at",
            "signed_off_by",
            "signed_off_at",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
            "milestones_done",
            "indicator_values",
            "evidence",
        ]


class DecisionFieldsSerializer(serializers.ModelSerializer):
    department = DepartmentRefSerializer(read_only=True)
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, allow_null=True)

    decision_fields = [
        "id",
        "task",
        "department",
        "requested_by",
        "requested_at",
        "status",
        "decided_by",
        "decided_at",
        "decision_reason",
    ]


class ExtensionRequestSerializer(DecisionFieldsSerializer):
    class Meta:
        model = ExtensionRequest
        fields = [*DecisionFieldsSerializer.decision_fields, "reason", "previous_deadline", "proposed_deadline"]


class CompletionRequestSerializer(DecisionFieldsSerializer):
    has_deliverable = serializers.SerializerMethodField()

    class Meta:
        model = CompletionRequest
        fields = [*DecisionFieldsSerializer.decision_fields, "summary", "has_deliverable"]

    def get_has_deliverable(self, request) -> bool:
        return bool(request.deliverable)


class ParticipationRequestSerializer(DecisionFieldsSerializer):
    proposed_department = DepartmentNameSerializer(read_only=True)

    class Meta:
        model = ParticipationRequest
        fields = [*DecisionFieldsSerializer.decision_fields, "proposed_department", "reason"]


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True, allow_null=True)

    class Meta:
        model = TaskEvent
        fields = ["id", "task", "at", "kind", "actor", "summary", "changes"]


class GiveOutSerializer(serializers.Serializer):
    """What 批量交办 did: the tasks given out, the day, and their 签收时限."""

    tasks = serializers.ListField(child=serializers.IntegerField())
    assigned_on = serializers.DateField()
    acknowledge_by = serializers.DateField()
