from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from importer.readers import MAX_BYTES

from .models import Plan
from .rules import report_periods


class TextField(forms.CharField):
    """A paragraph someone writes, with a limit said plainly in Chinese."""

    def __init__(self, *, limit: int, rows: int, **kwargs):
        super().__init__(
            max_length=limit,
            widget=forms.Textarea(attrs={"rows": rows}),
            error_messages={"max_length": _("最多%(limit_value)d字（现有%(show_value)d字）。")},
            **kwargs,
        )


class ImportForm(forms.Form):
    """Upload a plan document or paste its text."""

    document = forms.FileField(
        label=_("上传文件"),
        required=False,
        help_text=_("支持 .txt .docx .xlsx .csv .pdf .doc .wps .rtf .odt .html .mht .ofd，10 MB以内"),
    )
    text = forms.CharField(label=_("或粘贴文字"), required=False, widget=forms.Textarea(attrs={"rows": 10}))
    year = forms.IntegerField(
        label=_("方案年度"),
        required=False,
        min_value=1949,
        max_value=2100,
        help_text=_("文中时限没有写年份时按此年度解析；不填则从文中推断。"),
    )
    simplify = forms.BooleanField(
        label=_("将繁体字转换为简体字"),
        required=False,
        help_text=_("按转换后的简体字识别和保存任务；上传的原文按繁体照存。"),
    )
    plan = forms.ModelChoiceField(
        label=_("作为已有方案的新版本"),
        queryset=Plan.objects.order_by("-year", "title"),
        required=False,
        empty_label=_("（新方案）"),
    )

    def clean(self):
        cleaned = super().clean()
        document, text = cleaned.get("document"), (cleaned.get("text") or "").strip()
        if document and text:
            raise ValidationError(_("请只上传文件或只粘贴文字，不要同时提供。"))
        if not document and not text:
            raise ValidationError(_("请上传文件或粘贴方案文字。"))
        if document and document.size > MAX_BYTES:
            raise ValidationError(_("文件超过10 MB的上限。"))
        if len(text.encode()) > MAX_BYTES:
            raise ValidationError(_("粘贴的文字超过10 MB的上限。"))
        return cleaned

    def source(self) -> tuple[bytes, str]:
        """The bytes to read and the name to read them under."""
        document = self.cleaned_data.get("document")
        if document:
            return document.read(), document.name
        return self.cleaned_data["text"].encode("utf-8"), "粘贴文本.txt"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def month_choices(today) -> list[tuple[str, str]]:
    """The reporting periods a department may report on (rules.report_periods)."""
    return [(month.isoformat(), date_format(month, gettext("Y年n月"))) for month in report_periods(today)]


def _milestone_deadline(milestone) -> str:
    # The ISO date, as the form has always shown it; else the document's own words.
    return str(milestone.deadline or milestone.deadline_phrase or gettext("无时限"))


class ReportForm(forms.Form):
    period = forms.ChoiceField(label=_("报告期"))
    text = TextField(label=_("进展情况"), limit=20000, rows=6, required=False)
    percent = forms.CharField(label=_("完成进度(%)"), required=False)
    lower_reason = forms.CharField(label=_("进度回调说明"), required=False, max_length=500)
    milestones_done = forms.MultipleChoiceField(
        label=_("本期完成的节点"), required=False, widget=forms.CheckboxSelectMultiple
    )
    files = MultipleFileField(label=_("佐证材料"), required=False, help_text=_("PDF、图片或Office文档，单个20 MB以内"))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, task, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        self.fields["period"].choices = month_choices(today)
        self.fields["milestones_done"].choices = [
            (str(m.pk), gettext("%(text)s（%(deadline)s）") % {"text": m.text[:40], "deadline": _milestone_deadline(m)})
            for m in task.milestones.all()
            if m.done_on is None
        ]
        for indicator in task.indicators.all():
            self.fields[f"indicator_{indicator.pk}"] = forms.CharField(
                label=gettext("%(name)s（目标%(comparison)s%(target)s%(unit)s）")
                % {
                    "name": indicator.name,
                    "comparison": indicator.get_comparison_display(),
                    "target": indicator.target.normalize(),
                    "unit": indicator.unit,
                },
                required=False,
            )

    def indicator_values(self) -> dict:
        return {
            name.removeprefix("indicator_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("indicator_")
        }


class ReasonForm(forms.Form):
    """A decision's comment or reason; required where the decision says no."""

    comment = TextField(label=_("意见"), limit=2000, rows=2, required=False)


class ExtensionForm(forms.Form):
    prefix = "extension"  # several forms share a page: their ids must not clash
    proposed_deadline = forms.DateField(label=_("申请延至"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = TextField(label=_("延期理由"), limit=2000, rows=3)


class UrgeForm(forms.Form):
    """The office's own 催办 from a task page."""

    prefix = "urge"  # several forms share a page: their ids must not clash
    message = forms.CharField(
        label=_("催办内容"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("即时发送给牵头单位的工作人员和负责人，并记入变更记录。"),
    )
    cooperating = forms.BooleanField(label=_("同时催办配合单位"), required=False)


class CompletionForm(forms.Form):
    prefix = "completion"  # several forms share a page: their ids must not clash
    summary = TextField(label=_("完成情况"), limit=5000, rows=3)
    deliverable = forms.FileField(label=_("成果材料"), required=False)


class StepForm(forms.Form):
    """One of the lead's own steps, scheduled back from the deadline (倒排时间表)."""

    prefix = "step"
    text = forms.CharField(label=_("步骤"), max_length=500)
    deadline = forms.DateField(label=_("完成日期"), widget=forms.DateInput(attrs={"type": "date"}))
    responsible_person = forms.CharField(label=_("责任人"), max_length=50)


class ParticipationForm(forms.Form):
    prefix = "participation"  # several forms share a page: their ids must not clash
    department = forms.ModelChoiceField(label=_("建议增加的部门"), queryset=None)
    reason = TextField(label=_("理由"), limit=2000, rows=2)

    def __init__(self, *args, **kwargs):
        from departments.selectors import departments_with_names

        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments_with_names().filter(is_active=True).order_by("name")


class AssignForm(forms.Form):
    prefix = "assign"  # several forms share a page: their ids must not clash
    leads = forms.ModelMultipleChoiceField(label=_("牵头单位"), queryset=None, required=False)
    cooperating = forms.ModelMultipleChoiceField(label=_("配合单位"), queryset=None, required=False)
    reason = forms.CharField(label=_("调整理由"), max_length=300)
    # A draft with its lead set is given out in the same step, unless the office unticks it.
    give_out = forms.BooleanField(label=_("调整后立即交办"), required=False, initial=True)
    acknowledge_days = forms.IntegerField(label=_("签收时限（工作日）"), min_value=1, max_value=30, required=False)

    def __init__(self, *args, draft: bool = False, **kwargs):
        from departments.selectors import departments_with_names

        super().__init__(*args, **kwargs)
        departments = departments_with_names().filter(is_active=True).order_by("name")
        self.fields["leads"].queryset = departments
        self.fields["cooperating"].queryset = departments
        if not draft:
            del self.fields["give_out"], self.fields["acknowledge_days"]
