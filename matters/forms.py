from django import forms
from django.utils.translation import gettext_lazy as _

from departments.selectors import departments_with_names
from tasks.choices import TaskSource
from tasks.forms import TextField
from tasks.models import Plan
from tasks.services.plans import PLAN_SOURCES
from tasks.uploads import content_type_of

from .choices import AnswerCategory, InstructionKind, MeetingKind, ProposalKind, Satisfaction
from .models import SourceRule
from .services import ItemInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CheckedFileField(forms.FileField):
    """An upload judged by its content (tasks.uploads): a scan, a 纪要, an answer letter."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            content_type_of(upload)
        return upload


class DepartmentsField(forms.ModelMultipleChoiceField):
    """Departments by full name, searchable by the box the template puts before it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", departments_with_names().filter(is_active=True).order_by("name"))
        kwargs.setdefault("widget", forms.SelectMultiple(attrs={"size": 6, "class": "picker"}))
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return obj.name


class ItemForm(forms.Form):
    """One item to give out: its content, departments, deadline and (optionally) its number."""

    title = forms.CharField(label=_("督办事项"), max_length=500)
    text = TextField(label=_("具体要求"), limit=5000, rows=2, required=False)
    leads = DepartmentsField(label=_("牵头单位"))
    cooperating = DepartmentsField(label=_("配合单位"), required=False)
    deadline = forms.DateField(
        label=_("办结时限"), widget=DATE, required=False, help_text=_("留空则按来源规则以工作日计算。")
    )
    code = forms.CharField(
        label=_("督办编号"), max_length=40, required=False, help_text=_("留空由系统按年度顺序编号。")
    )

    def clean(self):
        cleaned = super().clean()
        overlap = set(cleaned.get("leads") or ()) & set(cleaned.get("cooperating") or ())
        if overlap:
            self.add_error("cooperating", _("同一单位不能既牵头又配合。"))
        return cleaned

    def item(self) -> ItemInput:
        data = self.cleaned_data
        return ItemInput(
            title=data["title"],
            text=data["text"],
            leads=list(data["leads"]),
            cooperating=list(data["cooperating"]),
            deadline=data["deadline"],
            code=data["code"],
        )


class InstructionForm(forms.Form):
    leader_name = forms.CharField(label=_("批示领导"), max_length=50)
    leader_post = forms.CharField(label=_("领导职务"), max_length=100, required=False)
    instructed_on = forms.DateField(label=_("批示日期"), widget=DATE)
    kind = forms.ChoiceField(
        label=_("批示类型"), choices=InstructionKind.choices, help_text=_("只有批办件需要交办办理。")
    )
    content = TextField(label=_("批示内容"), limit=5000, rows=3)
    requirements = TextField(label=_("办理要求"), limit=2000, rows=2, required=False)
    document = CheckedFileField(label=_("批示件扫描件"), required=False, help_text=_("PDF或图片，20 MB以内。"))


class MeetingForm(forms.Form):
    name = forms.CharField(label=_("会议名称"), max_length=200)
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    session = forms.CharField(label=_("届次/期数"), max_length=50, required=False)
    held_on = forms.DateField(label=_("会议日期"), widget=DATE)
    minutes = CheckedFileField(label=_("会议纪要"), required=False, help_text=_("PDF、图片或Word文档，20 MB以内。"))


ItemFormSet = forms.formset_factory(ItemForm, extra=3, max_num=30, absolute_max=30)


class ProposalForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=ProposalKind.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    number = forms.CharField(label=_("建议提案编号"), max_length=30)
    proposer = forms.CharField(label=_("代表/委员"), max_length=100)


class AnswerForm(forms.Form):
    text = TextField(label=_("答复内容"), limit=10000, rows=5)
    category = forms.ChoiceField(label=_("答复类别"), choices=AnswerCategory.choices)
    document = CheckedFileField(label=_("答复函"), required=False)


class CountersignForm(forms.Form):
    opinion = forms.CharField(label=_("会签意见"), max_length=500, required=False)


class SatisfactionForm(forms.Form):
    satisfaction = forms.ChoiceField(label=_("代表/委员满意度"), choices=Satisfaction.choices)
    note = forms.CharField(label=_("评价意见"), max_length=500, required=False)


class CalendarDayForm(forms.Form):
    day = forms.DateField(label=_("日期"), widget=DATE)
    working = forms.TypedChoiceField(
        label=_("安排"), choices=(("0", _("放假")), ("1", _("调休上班"))), coerce=lambda v: v == "1"
    )
    name = forms.CharField(label=_("说明"), max_length=50, required=False)


class SourceRuleForm(forms.ModelForm):
    class Meta:
        model = SourceRule
        fields = [
            "feedback_workdays",
            "completion_workdays",
            "completion_months",
            "report_cycle",
            "revisit_required",
        ]


class PlanSourceForm(forms.Form):
    """Flag an imported plan as the 政府工作报告's task division."""

    plan = forms.ModelChoiceField(
        label=_("方案"), queryset=Plan.objects.filter(source__in=PLAN_SOURCES).order_by("-year", "title")
    )
    source = forms.ChoiceField(label=_("来源"), choices=[(value, TaskSource(value).label) for value in PLAN_SOURCES])
