"""What the registers' API actions accept: each serializer parses one body; the services
decide and write."""

from rest_framework import serializers

from departments.models import Department
from reform_portal.api.serializers import StrictSerializer

from ..choices import AnswerCategory, InstructionKind, MeetingKind, ProposalKind, Satisfaction
from ..services import ItemInput

ID = {"min_value": 1, "max_value": 2**63 - 1}


def _departments(ids: list[int]) -> list[Department]:
    found = Department.objects.filter(pk__in=ids, is_active=True).in_bulk()
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise serializers.ValidationError(f"单位不存在或已停用：{'、'.join(map(str, missing))}。")
    return [found[pk] for pk in ids]


class ItemSerializer(StrictSerializer):
    title = serializers.CharField(max_length=500, help_text="督办事项 · what is to be done")
    text = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    leads = serializers.ListField(
        child=serializers.IntegerField(**ID), max_length=20, help_text="牵头（主办）单位ID · lead departments"
    )
    cooperating = serializers.ListField(
        child=serializers.IntegerField(**ID), max_length=50, required=False, default=list
    )
    deadline = serializers.DateField(required=False, allow_null=True, default=None, help_text="留空按来源规则")
    code = serializers.CharField(max_length=40, required=False, allow_blank=True, default="", help_text="督办编号")

    def validate(self, data):
        return ItemInput(
            title=data["title"],
            text=data["text"],
            leads=_departments(data["leads"]),
            cooperating=_departments(data["cooperating"]),
            deadline=data["deadline"],
            code=data["code"],
        )


class InstructionInput(StrictSerializer):
    leader_name = serializers.CharField(max_length=50, help_text="批示领导")
    leader_post = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    instructed_on = serializers.DateField(help_text="批示日期")
    content = serializers.CharField(max_length=5000, help_text="批示内容")
    kind = serializers.ChoiceField(choices=InstructionKind.choices, help_text="批办 / 阅示 / 参阅")
    requirements = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    item = ItemSerializer(required=False, allow_null=True, default=None, help_text="批办件的交办事项")


class MeetingInput(StrictSerializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    session = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    held_on = serializers.DateField()
    items = ItemSerializer(many=True, max_length=30, help_text="议定事项 · the decisions, each given out")


class ProposalInput(StrictSerializer):
    kind = serializers.ChoiceField(choices=ProposalKind.choices)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    number = serializers.CharField(max_length=30, help_text="建议提案编号")
    proposer = serializers.CharField(max_length=100, help_text="代表/委员")
    item = ItemSerializer(help_text="标题、主办单位（leads，一个）和会办单位（cooperating）")


class AnswerInput(StrictSerializer):
    text = serializers.CharField(max_length=10000)
    category = serializers.ChoiceField(choices=AnswerCategory.choices, help_text="A 已解决 / B 列入计划 / C 留作参考")


class CountersignInput(StrictSerializer):
    opinion = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class SatisfactionInput(StrictSerializer):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
