"""What the API accepts: each serializer parses one action's body and nothing more. The
views hand the parsed values to the services, which decide and write."""

from rest_framework import serializers

from reform_portal.api.serializers import StrictSerializer

from ..choices import DeadlinePrecision, LeadMode

# An id the database can hold (bigint): a larger number is a 400 here, not an overflow in SQL.
ID = {"min_value": 1, "max_value": 2**63 - 1}


class ReportInput(StrictSerializer):
    task = serializers.IntegerField(
        help_text="任务ID（新建时必填）· task id (required to create)", required=False, **ID
    )
    period = serializers.DateField(help_text="报告期，按月（取当月1日）· reporting month (its first day is kept)")
    text = serializers.CharField(max_length=20000, help_text="进展情况 · progress made")
    percent = serializers.IntegerField(min_value=0, max_value=100, help_text="完成进度(%) · percent done")
    lower_reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    milestones_done = serializers.ListField(
        child=serializers.IntegerField(**ID), required=False, default=list, max_length=500
    )
    indicator_values = serializers.DictField(
        child=serializers.DecimalField(max_digits=14, decimal_places=4),
        required=False,
        default=dict,
        help_text="{指标ID: 数值} · {indicator id: value}",
    )
    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        help_text="修改草稿时：打开时的版本号 · when editing: the version read",
    )

    def validate_indicator_values(self, values):
        if any(not str(key).isdigit() or int(key) > ID["max_value"] for key in values):
            raise serializers.ValidationError("指标ID须是整数。")
        return {int(key): value for key, value in values.items()}


class StepInput(StrictSerializer):
    text = serializers.CharField(max_length=500, help_text="步骤 · the step")
    deadline = serializers.DateField(help_text="完成日期，不晚于任务时限 · by this date, not after the task's")
    responsible_person = serializers.CharField(max_length=50, help_text="责任人 · who answers for it")


class EvidenceUpload(serializers.Serializer):
    """Documents the upload for the schema; the view reads the files itself."""

    files = serializers.ListField(child=serializers.FileField(), help_text="佐证材料 · evidence files")


class CommentInput(StrictSerializer):
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReasonInput(StrictSerializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ExtensionInput(StrictSerializer):
    task = serializers.IntegerField(**ID)
    reason = serializers.CharField(max_length=2000)
    proposed_deadline = serializers.DateField()


class CompletionInput(StrictSerializer):
    task = serializers.IntegerField(**ID)
    summary = serializers.CharField(max_length=20000)


class ParticipationInput(StrictSerializer):
    task = serializers.IntegerField(**ID)
    department = serializers.IntegerField(help_text="建议增加的部门ID · the department proposed", **ID)
    reason = serializers.CharField(max_length=2000)


class AssignInput(StrictSerializer):
    leads = serializers.ListField(child=serializers.IntegerField(**ID), max_length=50)
    cooperating = serializers.ListField(
        child=serializers.IntegerField(**ID), required=False, default=list, max_length=200
    )
    reason = serializers.CharField(max_length=2000)


class MarkReadInput(StrictSerializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(**ID),
        required=False,
        allow_null=True,
        default=None,
        max_length=1000,
        help_text="要标为已读的消息ID；不给则全部标为已读 · ids to mark read; all when absent",
    )


# The importer's JSON (README, "Importing plan documents"): checked field by field, so that a
# malformed document is a 400 naming the field, never an error inside the import.
class ImportedDepartment(StrictSerializer):
    raw = serializers.CharField(max_length=100, allow_blank=True)
    name = serializers.CharField(max_length=100, allow_null=True, allow_blank=True, required=False, default=None)
    known = serializers.BooleanField(required=False, default=False)


class ImportedMilestone(StrictSerializer):
    text = serializers.CharField(max_length=5000)
    deadline = serializers.DateField(allow_null=True, required=False, default=None)
    deadline_text = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    precision = serializers.ChoiceField(choices=DeadlinePrecision.choices, required=False, default="unknown")


class ImportedTask(StrictSerializer):
    ref = serializers.CharField(max_length=40)
    parent = serializers.CharField(max_length=40, allow_null=True, required=False, default=None)
    level = serializers.IntegerField(min_value=1, max_value=20)
    kind = serializers.ChoiceField(choices=["section", "task"], required=False, default="task")
    number = serializers.CharField(max_length=20, allow_blank=True, required=False, default="")
    title = serializers.CharField(max_length=500, allow_blank=True)
    text = serializers.CharField(max_length=20000, allow_blank=True, required=False, default="")
    responsibility = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")
    lead = ImportedDepartment(many=True, required=False, default=list)
    cooperating = ImportedDepartment(many=True, required=False, default=list)
    open_set = serializers.BooleanField(required=False, default=False)
    lead_mode = serializers.ChoiceField(choices=LeadMode.choices, required=False, default=LeadMode.SOLE)
    deadline = serializers.DateField(allow_null=True, required=False, default=None)
    start = serializers.DateField(allow_null=True, required=False, default=None)
    deadline_text = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    precision = serializers.ChoiceField(choices=DeadlinePrecision.choices, required=False, default="unknown")
    deadline_inherited = serializers.BooleanField(required=False, default=False)
    deliverable = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")
    category = serializers.CharField(max_length=50, allow_blank=True, required=False, default="")
    weight = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=0, allow_null=True, required=False, default=None
    )
    milestones = ImportedMilestone(many=True, required=False, default=list)
    warnings = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False, default=list)

    def validate(self, item):
        if not (item["title"] or item["number"]).strip():
            raise serializers.ValidationError({"title": "任务没有标题。"})
        if item["start"] and item["deadline"] and item["start"] > item["deadline"]:
            raise serializers.ValidationError({"start": "开始日期晚于完成时限。"})
        return item


class ImportedPlanMeta(StrictSerializer):
    title = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")
    doc_number = serializers.CharField(max_length=100, allow_blank=True, required=False, default="")
    issuer = serializers.CharField(max_length=100, allow_blank=True, required=False, default="")
    year = serializers.IntegerField(min_value=1949, max_value=2100, allow_null=True, required=False, default=None)
    issued = serializers.DateField(allow_null=True, required=False, default=None)


class ImportedPlan(StrictSerializer):
    plan = ImportedPlanMeta()
    tasks = ImportedTask(many=True, allow_empty=False, max_length=20000)
    warnings = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False, default=list)

    def validate_tasks(self, tasks):
        seen: set[str] = set()
        for item in tasks:
            if item["ref"] in seen:
                raise serializers.ValidationError(f"任务编号ref“{item['ref']}”重复。")
            if item["parent"] is not None and item["parent"] not in seen:
                raise serializers.ValidationError(f"任务{item['ref']}的上级{item['parent']}不在它之前。")
            seen.add(item["ref"])
        return tasks


class ImportPreviewInput(StrictSerializer):
    data = ImportedPlan(help_text="导入器的JSON（import_plan --json 的输出）· the importer's JSON")
    plan = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="作为已有方案的新版本 · revise this plan", **ID
    )
    year = serializers.IntegerField(min_value=1949, max_value=2100, required=False, allow_null=True, default=None)
    source_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    source_text = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)


class ImportConfirmInput(StrictSerializer):
    token = serializers.CharField(help_text="预览返回的token · the token the preview returned")
    new_departments = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        default=list,
        max_length=500,
        help_text="确认新建的部门（按原文名称）· unknown departments to create, as written",
    )
