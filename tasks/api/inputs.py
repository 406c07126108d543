"""What the API accepts: each serializer parses one action's body and nothing more. The
views hand the parsed values to the services, which decide and write."""

from django.utils import timezone
from rest_framework import serializers

from reform_portal.api.serializers import StrictSerializer

from ..choices import DeadlinePrecision, LeadMode
from ..models.tasks import INDICATOR_DIGITS
from ..rules import report_periods
from ..services.giving_out import MAX_ACKNOWLEDGE_DAYS

# An id the database can hold (bigint): a larger number is a 400 here, not an overflow in SQL.
ID = {"min_value": 1, "max_value": 2**63 - 1}


def acknowledge_days_field() -> serializers.IntegerField:
    """签收时限 in working days, as 交办 takes it (tasks.services.giving_out.MAX_ACKNOWLEDGE_DAYS)."""
    return serializers.IntegerField(
        required=False,
        default=None,
        allow_null=True,
        min_value=1,
        max_value=MAX_ACKNOWLEDGE_DAYS,
        help_text="签收时限（工作日），默认按平台设置 · working days to acknowledge, the portal's setting by default",
    )


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
        child=serializers.DecimalField(**INDICATOR_DIGITS),
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

    def validate_period(self, period):
        allowed = report_periods(timezone.localdate())
        if period.replace(day=1) not in allowed:
            raise serializers.ValidationError(f"报告期只能是{allowed[-1]:%Y年%m月}至{allowed[0]:%Y年%m月}。")
        return period

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
    give_out = serializers.BooleanField(
        required=False, default=False, help_text="草稿任务调整后立即交办 · give a draft out once its lead is set"
    )
    acknowledge_days = acknowledge_days_field()


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
    recurrence = serializers.CharField(max_length=200, allow_null=True, allow_blank=True, required=False, default=None)


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
    lead_leader = serializers.CharField(max_length=200, allow_null=True, allow_blank=True, required=False, default=None)
    recurrence = serializers.CharField(max_length=200, allow_null=True, allow_blank=True, required=False, default=None)
    ongoing = serializers.BooleanField(required=False, default=False)

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


class ImportMatchedDepartment(StrictSerializer):
    name = serializers.CharField(max_length=100, help_text="原文名称 · the name as written")
    department = serializers.IntegerField(help_text="部门库中的部门ID · the registered department", **ID)


class ImportConfirmInput(StrictSerializer):
    token = serializers.CharField(help_text="预览返回的token · the token the preview returned")
    new_departments = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        default=list,
        max_length=500,
        help_text="确认新建的部门（按原文名称）· unknown departments to create, as written",
    )
    matched_departments = ImportMatchedDepartment(
        many=True,
        required=False,
        default=list,
        max_length=500,
        help_text="把未登记的名称对应到已有部门，平台记住这个名称 · unknown names that are a registered department",
    )
    assign = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true：有牵头单位的任务立即交办并通知各单位；false（默认）：保存为草稿"
        " · true gives out every task with a lead at once, notifying the departments; false keeps drafts",
    )
    acknowledge_days = acknowledge_days_field()


class GiveOutInput(StrictSerializer):
    """批量交办: the drafts to give out and their 签收时限."""

    tasks = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        max_length=1000,
        help_text="要交办的草稿任务id · ids of the draft tasks to give out",
    )
    acknowledge_days = acknowledge_days_field()
